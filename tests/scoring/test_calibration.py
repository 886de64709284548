from datetime import date
from typing import ClassVar

import numpy as np
import pytest

from scoring import backtest as backtest_module
from scoring.backtest import base_rate_cutoffs, labelled_rows, settled_rate
from scoring.calibration import (
    CalibratedModel,
    Platt,
    anchored,
    calibrated_candidate,
    firm_folds,
    logit,
    out_of_fold_scores,
)
from scoring.facts import add_years
from scoring.features import rows_to_matrix
from scoring.pipeline import build_pipeline
from scoring.training import default_windows, final_windows
from tests.helpers import SCORING_AS_OF


class Recorder:
    """A stand-in classifier that remembers which firms (column 0) it learned from and refuses
    to score one of them."""

    fitted: ClassVar[list[set[int]]] = []

    def fit(self, matrix: np.ndarray, labels: np.ndarray) -> "Recorder":
        self.firms = {int(firm) for firm in matrix[:, 0]}
        Recorder.fitted.append(self.firms)
        return self

    def predict_proba(self, matrix: np.ndarray) -> np.ndarray:
        seen = self.firms & {int(firm) for firm in matrix[:, 0]}
        assert not seen, f"firms {seen} were scored by a model that learned from them"
        return np.full((len(matrix), 2), 0.5)


def test_no_firm_is_in_both_the_fitting_and_the_calibration_side_of_a_fold(firms):
    windows = default_windows(SCORING_AS_OF, 3)
    fit = labelled_rows(firms, windows.fit_cutoffs, 3)
    calibration = labelled_rows(firms, [windows.validation_cutoff], 3)
    assert set(fit.firm_ids) & set(calibration.firm_ids)  # the same firms, later in time
    Recorder.fitted = []

    scores = out_of_fold_scores(
        Recorder,
        np.array(fit.firm_ids).reshape(-1, 1),
        fit.labels,
        fit.firm_ids,
        np.array(calibration.firm_ids).reshape(-1, 1),
        calibration.firm_ids,
    )

    assert not np.isnan(scores).any()  # every calibration row was scored
    assert len(Recorder.fitted) == 3
    folds = firm_folds(fit.firm_ids)
    for firm_id, fold in zip(fit.firm_ids, folds, strict=True):
        assert fold == firm_id % 3  # one firm, one fold, at every cutoff


def test_the_calibration_window_comes_after_every_fitting_window_and_before_every_test():
    windows = default_windows(SCORING_AS_OF, 3)
    fit_cutoffs, calibration_cutoff = final_windows(SCORING_AS_OF, 3)

    # Each fitting window opens before the calibration window and closes at most a year into it.
    for cutoff in windows.fit_cutoffs:
        assert cutoff < windows.validation_cutoff
        assert add_years(cutoff, 3) <= add_years(windows.validation_cutoff, 1)
    assert add_years(windows.fit_cutoffs[-1], 3) == add_years(windows.validation_cutoff, 1)
    # No test window opens before every fitting and calibration outcome is settled.
    for cutoff in windows.test_cutoffs:
        assert add_years(windows.validation_cutoff, 3) <= cutoff
        assert add_years(cutoff, 3) <= SCORING_AS_OF
    for cutoff in fit_cutoffs:
        assert cutoff < calibration_cutoff
        assert add_years(cutoff, 3) <= add_years(calibration_cutoff, 1)
    assert add_years(calibration_cutoff, 3) <= SCORING_AS_OF


def test_calibrating_on_a_later_window_carries_its_base_rate_not_the_fitting_one(firms):
    windows = default_windows(SCORING_AS_OF, 3)
    fit = labelled_rows(firms, windows.fit_cutoffs, 3)
    later = labelled_rows(firms, [windows.validation_cutoff], 3)
    # Half the later window's positives forgotten: a base rate well below the fitting one's.
    seen_positive = 0
    labels = []
    for label in later.labels:
        seen_positive += label
        labels.append(label and seen_positive % 2 == 0)

    model, _scores = calibrated_candidate(
        lambda: build_pipeline("logistic"),
        rows_to_matrix(fit.rows),
        fit.labels,
        fit.firm_ids,
        rows_to_matrix(later.rows),
        labels,
        later.firm_ids,
    )

    predicted = model.predict_proba(rows_to_matrix(later.rows))[:, 1].mean()
    assert fit.positives / len(fit.labels) > 1.5 * np.mean(labels)
    assert predicted == pytest.approx(np.mean(labels), rel=0.25)


def test_a_calibrated_model_scores_through_its_curve_and_is_not_refitted(firms):
    rows = labelled_rows(firms, [date(2018, 6, 1)], 3)
    matrix = rows_to_matrix(rows.rows)
    base = build_pipeline("logistic").fit(matrix, rows.labels)
    platt = Platt(0.5, -1.0)

    model = CalibratedModel(base, platt)

    raw = base.predict_proba(matrix)[:, 1]
    expected = 1 / (1 + np.exp(-(0.5 * logit(raw) - 1.0)))
    assert model.predict_proba(matrix)[:, 1] == pytest.approx(expected)
    with pytest.raises(TypeError):
        model.fit(matrix, rows.labels)


def test_anchoring_moves_the_mean_to_the_base_rate_and_keeps_the_order():
    scores = np.random.default_rng(0).uniform(0.01, 0.6, 500)
    platt = Platt(0.8, -1.5)

    moved = anchored(platt, scores, 0.0625)

    assert moved.apply(scores).mean() == pytest.approx(0.0625, abs=1e-9)
    assert moved.slope == platt.slope
    order = np.argsort(scores)
    assert (np.diff(moved.apply(scores)[order]) >= 0).all()
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        anchored(platt, scores, 0.0)


def test_the_base_rate_pools_the_settled_windows_up_to_the_calibration_cutoff(firms):
    calibration_cutoff = final_windows(SCORING_AS_OF, 3)[1]
    cutoffs = base_rate_cutoffs(calibration_cutoff)
    pooled = labelled_rows(firms, cutoffs, 3)

    assert cutoffs == [add_years(calibration_cutoff, -k) for k in (2, 1, 0)]
    assert all(add_years(cutoff, 3) <= SCORING_AS_OF for cutoff in cutoffs)
    assert settled_rate(firms, cutoffs, 3) == pooled.positives / len(pooled.labels)


def test_a_candidate_anchored_to_a_base_rate_predicts_it_on_average_at_calibration(firms):
    windows = default_windows(SCORING_AS_OF, 3)
    fit = labelled_rows(firms, windows.fit_cutoffs, 3)
    later = labelled_rows(firms, [windows.validation_cutoff], 3)
    matrix = rows_to_matrix(later.rows)
    own_rate = later.positives / len(later.labels)

    model, scores = calibrated_candidate(
        lambda: build_pipeline("logistic"),
        rows_to_matrix(fit.rows),
        fit.labels,
        fit.firm_ids,
        matrix,
        later.labels,
        later.firm_ids,
        base_rate=own_rate * 1.5,
    )

    assert model.platt.apply(scores).mean() == pytest.approx(own_rate * 1.5)
    # The final model scores all rows itself (not out of fold): close to the rate, not on it.
    assert model.predict_proba(matrix)[:, 1].mean() == pytest.approx(own_rate * 1.5, rel=0.25)


def test_the_backtest_anchors_each_candidate_to_the_pooled_rate_up_to_validation(
    firms, monkeypatch
):
    windows = default_windows(SCORING_AS_OF, 3)
    anchors: list[float | None] = []

    def recorded(*args, base_rate=None):
        anchors.append(base_rate)
        return calibrated_candidate(*args, base_rate=base_rate)

    monkeypatch.setattr(backtest_module, "calibrated_candidate", recorded)

    backtest_module.backtest(firms, windows, 3, bootstrap_rounds=20)

    pooled = settled_rate(firms, base_rate_cutoffs(windows.validation_cutoff), 3)
    validation = labelled_rows(firms, [windows.validation_cutoff], 3)
    assert anchors == [pooled, pooled]  # one per learned candidate
    assert pooled != validation.positives / len(validation.labels)

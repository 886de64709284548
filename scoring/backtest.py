"""Out-of-time evaluation of the index and the learned candidates, and the choice between them.

Three kinds of cut-off (`Windows.check`):

- the **fitting** cut-offs: the candidates learn from these rows. They come before the validation
  cut-off, and the latest one's window runs at most FIT_OVERLAP_YEARS into the validation window;
- the **validation** cut-off: each candidate is calibrated on it (scoring.calibration) and the
  one with the best average precision there is chosen;
- the **test** cut-offs (at least two), each after the validation window has closed: the chosen
  candidate meets the index on firms and years it never saw, and the gate (scoring.gate)
  decides whether its gain is clear of noise.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial

import numpy as np

from scoring.calibration import BASE_RATE_WINDOWS, CalibratedModel, calibrated_candidate
from scoring.facts import FirmFacts, add_years
from scoring.features import Row, existed_before, features_as_of, rows_to_matrix
from scoring.gate import Gain, paired_bootstrap, passes
from scoring.index import index_scores
from scoring.labels import (
    DEFAULT_HORIZON_YEARS,
    FOLD_WITHOUT_OUTCOMES,
    MIN_POSITIVES,
    SINGLE_OUTCOME,
    TOO_FEW_POSITIVES,
    reached_milestone,
)
from scoring.metrics import (
    CandidateMetrics,
    OutOfTimeCalibration,
    candidate_metrics,
    out_of_time_calibration,
)
from scoring.pipeline import MODEL_KINDS, build_pipeline

INDEX = "index"
# How far the latest fitting window may run into the validation (or calibration) window. Without
# any overlap the freshest outcomes a model learns from are a whole horizon older than the
# calibration cut-off; on Crunchbase, one year more of them lifted the learned model above the
# index and the heuristic at every cut-off pair (docs/external-benchmark.md). A firm is still
# never scored by a model that learned from it (folds by firm), and no test window opens before
# every fitting and calibration window has closed.
FIT_OVERLAP_YEARS = 1
# A track or zone is evaluated on its own only with this many firms of each outcome.
MIN_SUBSET_OUTCOMES = 5


@dataclass(frozen=True)
class LabelledRows:
    rows: list[Row]
    labels: list[bool]
    firm_ids: list[int] = field(default_factory=list)

    @property
    def positives(self) -> int:
        return sum(self.labels)

    def __add__(self, other: "LabelledRows") -> "LabelledRows":
        return LabelledRows(
            self.rows + other.rows, self.labels + other.labels, self.firm_ids + other.firm_ids
        )


@dataclass(frozen=True)
class Windows:
    fit_cutoffs: list[date]
    validation_cutoff: date
    test_cutoffs: list[date]

    def check(self, horizon: int) -> None:
        check_fitting_windows(self.fit_cutoffs, self.validation_cutoff, horizon)
        if not self.test_cutoffs:
            raise ValueError("at least one test cutoff is needed")
        for cutoff in self.test_cutoffs:
            check_windows([*self.fit_cutoffs, self.validation_cutoff], cutoff, horizon)


@dataclass(frozen=True)
class ModelChoice:
    name: str
    reason: str


@dataclass(frozen=True)
class TestResult:
    """Every candidate at one test cut-off."""

    cutoff: date
    rows: LabelledRows
    candidates: dict[str, CandidateMetrics]
    scores: dict[str, list[float]] = field(repr=False, compare=False)
    calibration: dict[str, OutOfTimeCalibration]  # learned candidates only
    gains: dict[str, Gain]  # the validation's choice over the index; empty without one


@dataclass(frozen=True)
class BacktestReport:
    windows: Windows
    horizon_years: int
    fit: LabelledRows = field(repr=False, compare=False)
    validation: LabelledRows = field(repr=False, compare=False)
    validation_metrics: dict[str, CandidateMetrics]
    tests: list[TestResult]
    choice: ModelChoice
    best_learned: str | None  # the validation's choice, before the gate; None if none trained
    # The learned candidates fitted on the fitting rows and calibrated on the validation rows.
    fitted: dict[str, CalibratedModel] = field(default_factory=dict, repr=False, compare=False)

    @property
    def latest(self) -> TestResult:
        return self.tests[-1]


def labelled_rows(
    firms: Sequence[FirmFacts], cutoffs: Sequence[date], horizon: int
) -> LabelledRows:
    """One row per firm and cutoff: firms founded before it and not yet at a milestone."""
    found = LabelledRows([], [], [])
    for cutoff in cutoffs:
        for firm in firms:
            label = reached_milestone(firm, cutoff, horizon)
            if label is not None and existed_before(firm, cutoff):
                found.rows.append(features_as_of(firm, cutoff))
                found.labels.append(label)
                found.firm_ids.append(firm.firm_id)
    return found


def base_rate_cutoffs(calibration_cutoff: date) -> list[date]:
    """The settled windows whose pooled rate a model calibrated at the cut-off carries."""
    return [add_years(calibration_cutoff, -k) for k in reversed(range(BASE_RATE_WINDOWS))]


def settled_rate(firms: Sequence[FirmFacts], cutoffs: Sequence[date], horizon: int) -> float:
    """The share of the firms in the reservoir at the cut-offs (pooled) that reached a
    milestone within the horizon: outcomes only, no features."""
    rows = positives = 0
    for cutoff in cutoffs:
        for firm in firms:
            label = reached_milestone(firm, cutoff, horizon)
            if label is not None and existed_before(firm, cutoff):
                rows += 1
                positives += label
    if rows == 0:
        raise ValueError("no firm was in the reservoir at the base rate's cut-offs")
    return positives / rows


def fitting_cutoffs(calibration_cutoff: date, horizon: int, count: int) -> list[date]:
    """The yearly fitting cut-offs for a calibration cut-off: the latest one's window ends
    FIT_OVERLAP_YEARS into the calibration window, and it is never the calibration cut-off."""
    last = add_years(calibration_cutoff, -max(horizon - FIT_OVERLAP_YEARS, 1))
    return [add_years(last, -k) for k in reversed(range(count))]


def check_fitting_windows(
    fit_cutoffs: Sequence[date], calibration_cutoff: date, horizon: int
) -> None:
    """Every fitting cut-off comes before the calibration cut-off, and its label window ends at
    most FIT_OVERLAP_YEARS into the calibration window."""
    if not fit_cutoffs:
        raise ValueError("at least one training cutoff is needed")
    latest_end = add_years(calibration_cutoff, FIT_OVERLAP_YEARS)
    for cutoff in fit_cutoffs:
        if cutoff >= calibration_cutoff or add_years(cutoff, horizon) > latest_end:
            raise ValueError(
                f"the label window of fitting cutoff {cutoff} would overlap the calibration "
                f"window of {calibration_cutoff} by more than {FIT_OVERLAP_YEARS} year"
            )


def check_windows(earlier: Sequence[date], later: date, horizon: int) -> None:
    """Every earlier outcome must be settled by the later cutoff, or the earlier step would see
    the later one's years."""
    if not earlier:
        raise ValueError("at least one training cutoff is needed")
    for cutoff in earlier:
        if add_years(cutoff, horizon) > later:
            raise ValueError(
                f"the label window of cutoff {cutoff} ends after the later cutoff {later}: "
                "training would overlap the period it is judged on"
            )


def backtest(
    firms: Sequence[FirmFacts],
    windows: Windows,
    horizon_years: int = DEFAULT_HORIZON_YEARS,
    bootstrap_rounds: int | None = None,
) -> BacktestReport:
    """Fit, calibrate and choose on the earlier windows; judge on the test cut-offs only.

    The index ranks within each cohort, so it needs no training rows at all.
    """
    windows.check(horizon_years)
    fit = labelled_rows(firms, windows.fit_cutoffs, horizon_years)
    validation = labelled_rows(firms, [windows.validation_cutoff], horizon_years)
    tested = [labelled_rows(firms, [cutoff], horizon_years) for cutoff in windows.test_cutoffs]
    judged = [validation, *tested]
    if not tested[-1].labels:
        raise ValueError(
            f"no firm was in the reservoir at the test cutoff {windows.test_cutoffs[-1]}: "
            "there are no outcomes to measure a scorer on"
        )
    validation_scores = {INDEX: index_scores(validation.rows)}
    fitted: dict[str, CalibratedModel] = {}
    unfit = TOO_FEW_POSITIVES  # why no learned model was trained, when none was
    if fit.positives >= MIN_POSITIVES and not all(_both_outcomes(rows) for rows in judged):
        unfit = SINGLE_OUTCOME
    elif fit.positives >= MIN_POSITIVES:
        fit_matrix, validation_matrix = rows_to_matrix(fit.rows), rows_to_matrix(validation.rows)
        cutoffs = base_rate_cutoffs(windows.validation_cutoff)
        base_rate = settled_rate(firms, cutoffs, horizon_years)
        try:
            for kind in MODEL_KINDS:
                fitted[kind], out_of_fold = calibrated_candidate(
                    partial(build_pipeline, kind),
                    fit_matrix,
                    fit.labels,
                    fit.firm_ids,
                    validation_matrix,
                    validation.labels,
                    validation.firm_ids,
                    base_rate=base_rate,
                )
                validation_scores[kind] = out_of_fold.tolist()
        except ValueError:  # a handful of positive firms, all in two of the three folds
            fitted, unfit = {}, FOLD_WITHOUT_OUTCOMES
            validation_scores = {INDEX: validation_scores[INDEX]}
    validation_metrics = (
        {name: candidate_metrics(validation.labels, s) for name, s in validation_scores.items()}
        if _both_outcomes(validation)
        else {}
    )
    best = (
        max(fitted, key=lambda kind: validation_metrics[kind].average_precision) if fitted else None
    )
    rounds: dict[str, int] = {} if bootstrap_rounds is None else {"rounds": bootstrap_rounds}
    tests = []
    for cutoff, rows in zip(windows.test_cutoffs, tested, strict=True):
        scores = {INDEX: index_scores(rows.rows)}
        if fitted:  # the index alone needs no matrix
            matrix = rows_to_matrix(rows.rows)
            for name, model in fitted.items():
                scores[name] = model.predict_proba(matrix)[:, 1].tolist()
        judgeable = _both_outcomes(rows)
        tests.append(
            TestResult(
                cutoff=cutoff,
                rows=rows,
                candidates={name: candidate_metrics(rows.labels, s) for name, s in scores.items()}
                if judgeable
                else {},
                scores=scores,
                calibration={
                    kind: out_of_time_calibration(rows.labels, scores[kind]) for kind in fitted
                },
                gains=paired_bootstrap(rows.labels, scores[best], scores[INDEX], **rounds)
                if best
                else {},
            )
        )
    return BacktestReport(
        windows=windows,
        horizon_years=horizon_years,
        fit=fit,
        validation=validation,
        validation_metrics=validation_metrics,
        tests=tests,
        choice=_choose(best, unfit, tests),
        best_learned=best,
        fitted=fitted,
    )


def _both_outcomes(rows: LabelledRows) -> bool:
    return 0 < rows.positives < len(rows.labels)


def _choose(best: str | None, unfit: str, tests: Sequence[TestResult]) -> ModelChoice:
    """The validation's choice goes live only when the gate finds its gain over the index clear
    at every test cut-off; otherwise the explainable index stays."""
    if best is None:
        return ModelChoice(INDEX, unfit)
    gains = [test.gains for test in tests]
    worst = min(
        ((test.cutoff, name, gain) for test in tests for name, gain in test.gains.items()),
        key=lambda found: found[2].low,
    )
    cutoff, metric, gain = worst
    words = metric.replace("_", " ")
    if passes(gains):
        return ModelChoice(
            best,
            f"its gain over the index is clear at every test cutoff; the smallest lower bound is "
            f"{words} {gain.low:+.3f} at {cutoff}",
        )
    return ModelChoice(
        INDEX,
        f"the gain over the index is not clear of noise: {words} at {cutoff} is "
        f"{gain.estimate:+.3f}, interval [{gain.low:+.3f}, {gain.high:+.3f}]",
    )


def subset_metrics(
    test: TestResult, names: Sequence[str], feature: str
) -> dict[str, dict[str, object]]:
    """The candidates on each value of a categorical feature (a track, a zone) with enough
    firms of both outcomes: scored by the whole-panel model, judged on the subset."""
    values = np.array([str(row[feature]) for row in test.rows.rows])
    labels = np.asarray(test.rows.labels, dtype=bool)
    found: dict[str, dict[str, object]] = {}
    for value in sorted(set(values.tolist())):
        inside = values == value
        positives = int(labels[inside].sum())
        if min(positives, int(inside.sum()) - positives) < MIN_SUBSET_OUTCOMES:
            continue
        found[value] = {
            "rows": int(inside.sum()),
            "positives": positives,
            "candidates": {
                name: candidate_metrics(
                    labels[inside].tolist(), np.asarray(test.scores[name])[inside].tolist()
                ).ranking()
                for name in names
            },
        }
    return found

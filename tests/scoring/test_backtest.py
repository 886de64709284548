import math
from dataclasses import replace
from datetime import date

import pytest

from scoring.backtest import (
    INDEX,
    MIN_POSITIVES,
    TOO_FEW_POSITIVES,
    backtest,
    check_windows,
    choose_model,
    labelled_rows,
)
from scoring.labels import MILESTONE_DESIGNATIONS
from tests.helpers import TEST_CUTOFF, TRAIN_CUTOFFS

CANDIDATES = ["index", "logistic", "hist_gradient_boosting"]


def test_backtest_refuses_a_training_window_that_overlaps_the_test_period(firms):
    with pytest.raises(ValueError, match="overlap"):
        backtest(firms, [date(2018, 1, 1), date(2019, 6, 1)], date(2022, 1, 1), horizon_years=3)


def test_a_training_window_may_end_exactly_on_the_test_cutoff_but_not_a_day_later():
    check_windows([date(2019, 1, 1)], date(2022, 1, 1), 3)

    with pytest.raises(ValueError, match="overlap"):
        check_windows([date(2019, 1, 2)], date(2022, 1, 1), 3)
    with pytest.raises(ValueError, match="at least one"):
        check_windows([], date(2022, 1, 1), 3)


def test_every_candidate_ranks_well_above_chance_out_of_time(report):
    assert list(report.candidates) == CANDIDATES
    for name, metrics in report.candidates.items():
        assert metrics.roc_auc > 0.6, name


def test_metrics_lie_in_their_valid_ranges(report):
    base_rate = report.test_positives / report.test_rows

    for metrics in report.candidates.values():
        for value in (
            metrics.roc_auc,
            metrics.average_precision,
            metrics.precision_at_top_10_percent,
            metrics.precision_at_top_50,
            metrics.brier_score,
        ):
            assert 0.0 <= value <= 1.0
        assert metrics.lift_at_top_10_percent == pytest.approx(
            metrics.precision_at_top_10_percent / base_rate
        )


def test_calibration_tables_have_ten_bins_covering_every_test_row(report):
    for metrics in report.candidates.values():
        table = metrics.calibration

        assert len(table) == 10
        assert sum(row.count for row in table) == report.test_rows
        for row in table:
            if row.count:
                assert row.lower <= (row.mean_predicted or 0.0) <= row.upper
                assert 0.0 <= (row.observed_rate or 0.0) <= 1.0


def test_training_and_test_rows_exclude_firms_already_at_a_milestone(firms, report):
    held = [
        f
        for f in firms
        if any(
            d.designation in MILESTONE_DESIGNATIONS and d.on <= TEST_CUTOFF for d in f.designations
        )
    ]

    rows = labelled_rows(firms, [TEST_CUTOFF], 3)

    assert held
    assert report.test_rows == len(rows.rows) <= len(firms) - len(held)
    assert report.train_positives >= MIN_POSITIVES


def test_choose_model_picks_a_learned_model_only_if_it_beats_the_index(report):
    choice = choose_model(report)

    best = max(CANDIDATES[1:], key=lambda name: report.candidates[name].average_precision)
    beats = report.candidates[best].average_precision > report.candidates[INDEX].average_precision
    assert choice.name == (best if beats else INDEX)


def test_choose_model_prefers_a_learned_model_that_beats_the_index(report):
    better = replace(report.candidates["logistic"], average_precision=1.0)
    candidates = {**report.candidates, "logistic": better}

    choice = choose_model(replace(report, candidates=candidates))

    assert choice.name == "logistic"


def test_choose_model_keeps_the_index_with_too_few_positive_outcomes(firms):
    train_cutoff = date(2018, 1, 1)
    keep = {
        f.firm_id
        for f in firms
        if any(
            d.designation in MILESTONE_DESIGNATIONS and train_cutoff < d.on <= date(2021, 1, 1)
            for d in f.designations
        )
    }
    three = set(sorted(keep)[:3])
    sparse = [
        f
        if f.firm_id in three
        else replace(
            f,
            designations=[
                d
                for d in f.designations
                if d.designation not in MILESTONE_DESIGNATIONS or d.on > TEST_CUTOFF
            ],
        )
        for f in firms
    ]

    report = backtest(sparse, [train_cutoff], TEST_CUTOFF)
    choice = choose_model(report)

    assert report.train_positives == 3
    assert list(report.candidates) == [INDEX]
    assert (choice.name, choice.reason) == (INDEX, TOO_FEW_POSITIVES)


def test_two_backtests_give_identical_metrics(firms, report):
    again = backtest(firms, TRAIN_CUTOFFS, TEST_CUTOFF)

    assert again == report
    assert not any(math.isnan(m.roc_auc) for m in again.candidates.values())

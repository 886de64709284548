import math
from dataclasses import replace
from datetime import date

import pytest

from scoring.backtest import (
    INDEX,
    MIN_POSITIVES,
    TOO_FEW_POSITIVES,
    Windows,
    backtest,
    check_fitting_windows,
    check_windows,
    fitting_cutoffs,
    labelled_rows,
    subset_metrics,
)
from scoring.facts import add_years
from scoring.gate import passes
from scoring.labels import FOLD_WITHOUT_OUTCOMES, MILESTONE_DESIGNATIONS, SINGLE_OUTCOME
from tests.helpers import FIT_CUTOFFS, TEST_BOOTSTRAP_ROUNDS, TEST_CUTOFFS, VALIDATION_CUTOFF
from tests.scoring.conftest import WINDOWS

CANDIDATES = ["index", "logistic", "hist_gradient_boosting"]


def test_backtest_refuses_a_fitting_window_that_runs_over_a_year_into_the_validation_window(firms):
    # The validation cut-off is 2018-06-01 and the horizon 3 years: a 2017 window ends in 2020.
    with pytest.raises(ValueError, match="by more than 1 year"):
        backtest(firms, replace(WINDOWS, fit_cutoffs=[*FIT_CUTOFFS, date(2017, 1, 1)]))


def test_a_fitting_window_may_end_a_year_into_the_calibration_window_but_not_a_day_later():
    check_fitting_windows([date(2016, 6, 1)], date(2018, 6, 1), 3)

    with pytest.raises(ValueError, match="overlap"):
        check_fitting_windows([date(2016, 6, 2)], date(2018, 6, 1), 3)
    with pytest.raises(ValueError, match="at least one"):
        check_fitting_windows([], date(2018, 6, 1), 3)


def test_a_fitting_cutoff_is_never_the_calibration_cutoff_whatever_the_horizon():
    with pytest.raises(ValueError, match="overlap"):
        check_fitting_windows([date(2018, 6, 1)], date(2018, 6, 1), 1)
    assert fitting_cutoffs(date(2018, 6, 1), 1, 2) == [date(2016, 6, 1), date(2017, 6, 1)]
    assert fitting_cutoffs(date(2018, 6, 1), 3, 2) == [date(2015, 6, 1), date(2016, 6, 1)]


def test_backtest_refuses_a_validation_window_that_overlaps_a_test_window(firms):
    with pytest.raises(ValueError, match="overlap"):
        backtest(firms, replace(WINDOWS, test_cutoffs=[date(2021, 6, 1), date(2021, 5, 31)]))
    with pytest.raises(ValueError, match="at least one test"):
        Windows(FIT_CUTOFFS, VALIDATION_CUTOFF, []).check(3)


def test_a_training_window_may_end_exactly_on_the_test_cutoff_but_not_a_day_later():
    check_windows([date(2019, 1, 1)], date(2022, 1, 1), 3)

    with pytest.raises(ValueError, match="overlap"):
        check_windows([date(2019, 1, 2)], date(2022, 1, 1), 3)
    with pytest.raises(ValueError, match="at least one"):
        check_windows([], date(2022, 1, 1), 3)


def test_every_candidate_ranks_well_above_chance_at_every_test_cutoff(report):
    assert [test.cutoff for test in report.tests] == TEST_CUTOFFS
    for test in report.tests:
        assert list(test.candidates) == CANDIDATES
        for name, metrics in test.candidates.items():
            assert metrics.roc_auc > 0.6, (test.cutoff, name)


def test_metrics_lie_in_their_valid_ranges(report):
    latest = report.latest
    base_rate = latest.rows.positives / len(latest.rows.labels)

    for metrics in latest.candidates.values():
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
    for metrics in report.latest.candidates.values():
        table = metrics.calibration

        assert len(table) == 10
        assert sum(row.count for row in table) == len(report.latest.rows.labels)
        for row in table:
            if row.count:
                assert row.lower <= (row.mean_predicted or 0.0) <= row.upper
                assert 0.0 <= (row.observed_rate or 0.0) <= 1.0


def test_out_of_time_calibration_is_reported_for_each_learned_candidate(report):
    for test in report.tests:
        assert set(test.calibration) == {"logistic", "hist_gradient_boosting"}
        for found in test.calibration.values():
            assert found.observed_rate == test.rows.positives / len(test.rows.labels)
            assert found.base_rate_brier_score == pytest.approx(
                found.observed_rate * (1 - found.observed_rate)
            )
            assert 0.0 <= found.expected_calibration_error <= 1.0


def test_training_and_test_rows_exclude_firms_already_at_a_milestone(firms, report):
    cutoff = report.latest.cutoff
    held = [
        f
        for f in firms
        if any(d.designation in MILESTONE_DESIGNATIONS and d.on <= cutoff for d in f.designations)
    ]

    rows = labelled_rows(firms, [cutoff], 3)

    assert held
    assert len(report.latest.rows.labels) == len(rows.rows) <= len(firms) - len(held)
    assert report.fit.positives >= MIN_POSITIVES


def test_the_candidate_is_chosen_on_validation_and_goes_live_only_through_the_gate(report):
    best = max(CANDIDATES[1:], key=lambda name: report.validation_metrics[name].average_precision)

    assert report.best_learned == best
    for test in report.tests:
        assert set(test.gains) == {"average_precision", "roc_auc"}
        gain = test.gains["average_precision"]
        assert gain.low <= gain.estimate <= gain.high
        assert gain.estimate == pytest.approx(
            test.candidates[best].average_precision - test.candidates[INDEX].average_precision
        )
    gated = passes([test.gains for test in report.tests])
    assert report.choice.name == (best if gated else INDEX)


def test_too_few_positive_outcomes_keep_the_index(firms):
    fitting_outcomes_end = add_years(FIT_CUTOFFS[-1], 3)
    keep = {
        f.firm_id
        for f in firms
        if any(
            d.designation in MILESTONE_DESIGNATIONS
            and FIT_CUTOFFS[0] < d.on <= fitting_outcomes_end
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
                if d.designation not in MILESTONE_DESIGNATIONS or d.on > fitting_outcomes_end
            ],
        )
        for f in firms
    ]

    report = backtest(sparse, WINDOWS, bootstrap_rounds=TEST_BOOTSTRAP_ROUNDS)

    assert report.fit.positives <= 3 * len(FIT_CUTOFFS) < MIN_POSITIVES
    assert list(report.latest.candidates) == [INDEX]
    assert report.best_learned is None
    assert (report.choice.name, report.choice.reason) == (INDEX, TOO_FEW_POSITIVES)


def test_subsets_are_judged_with_the_whole_panel_scores(report):
    tracks = subset_metrics(report.latest, CANDIDATES, "track")

    assert tracks
    for found in tracks.values():
        assert found["positives"] >= 5
        assert set(found["candidates"]) == set(CANDIDATES)


def test_two_backtests_give_identical_metrics(firms, report):
    again = backtest(firms, WINDOWS, bootstrap_rounds=TEST_BOOTSTRAP_ROUNDS)

    assert again == report
    assert not any(math.isnan(m.roc_auc) for m in again.latest.candidates.values())


def test_a_validation_cutoff_with_a_single_outcome_keeps_the_index_and_says_so(firms):
    quiet = [
        replace(
            f,
            designations=[
                d
                for d in f.designations
                if d.designation not in MILESTONE_DESIGNATIONS
                or not VALIDATION_CUTOFF < d.on <= add_years(VALIDATION_CUTOFF, 3)
            ],
        )
        for f in firms
    ]

    report = backtest(quiet, WINDOWS, bootstrap_rounds=TEST_BOOTSTRAP_ROUNDS)

    assert report.fit.positives >= MIN_POSITIVES
    assert report.validation.positives == 0
    assert (report.choice.name, report.choice.reason) == (INDEX, SINGLE_OUTCOME)


def test_positive_firms_all_in_one_calibration_fold_keep_the_index_instead_of_failing(firms):
    # Ids that are all multiples of 3 put every firm in fold 0: its calibration rows would be
    # scored by a model fitted on no firm at all.
    one_fold = [replace(f, firm_id=3 * f.firm_id) for f in firms]

    report = backtest(one_fold, WINDOWS, bootstrap_rounds=TEST_BOOTSTRAP_ROUNDS)

    assert report.best_learned is None
    assert (report.choice.name, report.choice.reason) == (INDEX, FOLD_WITHOUT_OUTCOMES)
    assert list(report.latest.candidates) == [INDEX]

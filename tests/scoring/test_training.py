import pytest

from scoring.backtest import INDEX, check_fitting_windows, check_windows
from scoring.facts import FirmFacts, add_years
from scoring.training import TrainingOutcome, default_windows, train
from tests.helpers import (
    FIT_CUTOFFS,
    SCORING_AS_OF,
    TEST_BOOTSTRAP_ROUNDS,
    TEST_CUTOFFS,
    VALIDATION_CUTOFF,
)


def test_default_windows_settle_the_validation_window_before_the_tests_and_the_tests_by_today():
    windows = default_windows(SCORING_AS_OF, 3)

    assert (windows.fit_cutoffs, windows.validation_cutoff, windows.test_cutoffs) == (
        FIT_CUTOFFS,
        VALIDATION_CUTOFF,
        TEST_CUTOFFS,
    )
    assert add_years(windows.test_cutoffs[-1], 3) <= SCORING_AS_OF
    windows.check(3)  # raises if one step's window overlaps the next too far
    check_fitting_windows(windows.fit_cutoffs, windows.validation_cutoff, 3)
    for cutoff in windows.test_cutoffs:
        check_windows([*windows.fit_cutoffs, windows.validation_cutoff], cutoff, 3)


@pytest.fixture(scope="module")
def trained(firms: list[FirmFacts]) -> tuple[TrainingOutcome, list[str]]:
    """One training run and the steps it reported, for the checks that only read them."""
    seen: list[str] = []
    outcome = train(
        firms,
        SCORING_AS_OF,
        progress=lambda step, percent: seen.append(step),
        bootstrap_rounds=TEST_BOOTSTRAP_ROUNDS,
    )
    return outcome, seen


def test_training_reports_every_candidate_the_gate_and_calibration_on_the_card(trained):
    outcome, seen = trained

    assert set(outcome.report.latest.candidates) == {INDEX, "logistic", "hist_gradient_boosting"}
    assert outcome.kind == outcome.report.best_learned
    assert outcome.beats_index == (outcome.choice.name == outcome.kind)
    assert outcome.model is not None
    assert outcome.final is not None
    card = outcome.card("2025-06-01T00:00:00")
    assert card["train_positives"] == outcome.report.fit.positives > 0
    assert card["metrics"] == outcome.report.latest.candidates[outcome.kind].headline()
    assert [row["cutoff"] for row in card["gate"]] == [day.isoformat() for day in TEST_CUTOFFS]
    assert [row["cutoff"] for row in card["calibration"]] == [
        day.isoformat() for day in TEST_CUTOFFS
    ]
    assert card["final_fit_cutoffs"] == ["2018-06-01", "2019-06-01", "2020-06-01"]
    assert card["calibration_cutoff"] == "2022-06-01"
    assert card["base_rate_cutoffs"] == ["2020-06-01", "2021-06-01", "2022-06-01"]
    assert 0 < card["base_rate"] == outcome.final.base_rate < 1
    assert set(card) >= {"features", "test_cutoff", "sklearn_version", "index_metrics"}
    assert seen == ["backtest", "importance", "final_fit"]
    # The synthetic firms' quality shows in patents and growth, not in visits.
    assert max(outcome.importance, key=outcome.importance.__getitem__) != "visits_last_12_months"
    assert outcome.feedback_bias["difference"] == pytest.approx(
        outcome.feedback_bias["mean_score_often_visited"]
        - outcome.feedback_bias["mean_score_rarely_visited"]
    )
    details = outcome.details()
    assert set(details["validation"]) == {INDEX, "logistic", "hist_gradient_boosting"}
    assert set(details["subsets"]) == {"track", "zone"}


def test_on_synthetic_firms_the_calibrated_model_predicts_the_rate_that_came(trained):
    outcome, _steps = trained

    for row in outcome.card("")["calibration"]:
        assert row["mean_predicted"] == pytest.approx(row["observed_rate"], rel=0.2)
        assert row["brier_score"] < row["base_rate_brier_score"]


def test_with_too_few_positive_outcomes_the_index_is_kept_and_says_why(firms):
    outcome = train(firms[:60], SCORING_AS_OF, bootstrap_rounds=TEST_BOOTSTRAP_ROUNDS)

    assert outcome.kind == INDEX
    assert outcome.model is None
    assert "too few positive" in outcome.choice.reason

from datetime import date

import pytest

from scoring.backtest import INDEX, check_windows
from scoring.facts import add_years
from scoring.training import default_cutoffs, train

AS_OF = date(2025, 6, 1)


def test_default_cutoffs_leave_every_label_window_settled_before_the_next():
    train_cutoffs, test_cutoff = default_cutoffs(AS_OF, 3)

    assert add_years(test_cutoff, 3) <= AS_OF
    check_windows(train_cutoffs, test_cutoff, 3)  # raises if a training window overlaps the test
    assert train_cutoffs == sorted(train_cutoffs)


def test_training_reports_every_candidate_and_a_complete_card(firms):
    seen: list[str] = []

    outcome = train(firms, AS_OF, progress=lambda step, percent: seen.append(step))

    assert set(outcome.report.candidates) == {INDEX, "logistic", "hist_gradient_boosting"}
    assert outcome.kind in {"logistic", "hist_gradient_boosting"}
    assert outcome.beats_index == (outcome.choice.name == outcome.kind)
    assert outcome.model is not None
    card = outcome.card("2025-06-01T00:00:00")
    assert card["train_positives"] == outcome.report.train_positives > 0
    assert card["metrics"] == outcome.report.candidates[outcome.kind].headline()
    assert set(card) >= {"features", "test_cutoff", "sklearn_version", "index_metrics"}
    assert seen == ["backtest", "importance", "final_fit"]
    # The synthetic firms' quality shows in patents and growth, not in visits.
    assert max(outcome.importance, key=outcome.importance.__getitem__) != "visits_last_12_months"
    assert outcome.feedback_bias["difference"] == pytest.approx(
        outcome.feedback_bias["mean_score_often_visited"]
        - outcome.feedback_bias["mean_score_rarely_visited"]
    )


def test_with_too_few_positive_outcomes_the_index_is_kept_and_says_why(firms):
    outcome = train(firms[:40], AS_OF)

    assert outcome.kind == INDEX
    assert outcome.model is None
    assert "too few positive" in outcome.choice.reason

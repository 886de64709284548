import math

import pytest

from scoring.backtest import labelled_rows
from scoring.calibration import calibrated_candidate
from scoring.explain import score_rows, typical_values
from scoring.features import FEATURE_NAMES, NUMERIC_FEATURES, rows_to_matrix
from scoring.pipeline import build_pipeline
from scoring.training import default_windows
from tests.helpers import FIT_CUTOFFS, SCORING_AS_OF, TEST_CUTOFFS


def test_rows_become_an_object_matrix_in_feature_name_order(firms):
    train = labelled_rows(firms[:10], FIT_CUTOFFS, 3)

    matrix = rows_to_matrix(train.rows)

    assert matrix.shape == (len(train.rows), len(FEATURE_NAMES))
    assert matrix[0, FEATURE_NAMES.index("track")] == train.rows[0]["track"]


@pytest.mark.parametrize("kind", ["logistic", "hist_gradient_boosting"])
def test_each_pipeline_gives_probabilities_and_ignores_an_unknown_track(firms, kind):
    train = labelled_rows(firms[:400], FIT_CUTOFFS, 3)
    test = labelled_rows(firms[400:420], [TEST_CUTOFFS[-1]], 3)
    rows = [{**row, "track": "quantum", "revenue_growth": math.nan} for row in test.rows]

    model = build_pipeline(kind).fit(rows_to_matrix(train.rows), train.labels)
    probabilities = model.predict_proba(rows_to_matrix(rows))[:, 1]

    assert all(0.0 <= p <= 1.0 for p in probabilities)


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown model kind"):
        build_pipeline("forest")  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["logistic", "hist_gradient_boosting"])
def test_each_learned_model_scores_in_unit_interval_with_occlusion_reasons(firms, kind):
    train = labelled_rows(firms[:400], FIT_CUTOFFS, 3)
    test = labelled_rows(firms[400:460], [TEST_CUTOFFS[-1]], 3)
    model = build_pipeline(kind).fit(rows_to_matrix(train.rows), train.labels)

    scored = score_rows(test.rows, model)

    assert all(0.0 <= score <= 1.0 for score in scored.scores)
    assert sum(1 for reasons in scored.reasons if reasons) > len(test.rows) // 2
    first = next(reasons for reasons in scored.reasons if reasons)[0]
    occluded = rows_to_matrix(test.rows)
    column = FEATURE_NAMES.index(first.feature)
    occluded[:, column] = typical_values(rows_to_matrix(test.rows))[column]
    row = next(i for i, reasons in enumerate(scored.reasons) if reasons)
    # The effect is exactly the change from setting that one feature to the cohort's typical value.
    assert first.effect == pytest.approx(
        scored.scores[row] - model.predict_proba(occluded[row : row + 1])[0, 1]
    )


def test_reasons_follow_the_calibrated_model_in_sign_and_order_on_constructed_firms(firms):
    windows = default_windows(SCORING_AS_OF, 3)
    fit = labelled_rows(firms, windows.fit_cutoffs, 3)
    later = labelled_rows(firms, [windows.validation_cutoff], 3)
    model, _scores = calibrated_candidate(
        lambda: build_pipeline("logistic"),
        rows_to_matrix(fit.rows),
        fit.labels,
        fit.firm_ids,
        rows_to_matrix(later.rows),
        later.labels,
        later.firm_ids,
    )
    cohort = labelled_rows(firms, [TEST_CUTOFFS[-1]], 3).rows[:80]
    typical = dict(zip(FEATURE_NAMES, typical_values(rows_to_matrix(cohort)), strict=True))
    # Constructed firms: the cohort's typical firm with one thing changed. Every other feature
    # already sits at its typical value, so the changed one is the firm's only reason.
    strong = {**typical, "patents_cumulative": 10 * float(typical["patents_cumulative"]) + 10}
    silent = {**typical, "revenue_growth": math.nan}
    rows = [*cohort, strong, silent]

    scored = score_rows(rows, model)

    matrix = rows_to_matrix(rows)
    centre = typical_values(matrix)
    for i, reasons in enumerate(scored.reasons):
        for reason in reasons:
            occluded = matrix[i : i + 1].copy()
            occluded[0, FEATURE_NAMES.index(reason.feature)] = centre[
                FEATURE_NAMES.index(reason.feature)
            ]
            # The sign and size are the model's own: the score minus the score with it typical.
            assert reason.effect == pytest.approx(
                scored.scores[i] - model.predict_proba(occluded)[0, 1]
            )
        ups = [r.effect for r in reasons if r.effect > 0]
        downs = [r.effect for r in reasons if r.effect < 0]
        assert ups == sorted(ups, reverse=True)
        assert downs == sorted(downs)
    [patents] = scored.reasons[-2]
    assert patents.feature == "patents_cumulative"
    assert patents.effect > 0  # more patents than the typical firm raise the model's score
    # Not reported: the models see a missing-value indicator, and the reason says so in the
    # same words as the index's ("Revenue growth not reported"), whichever way it moves.
    [growth] = scored.reasons[-1]
    assert growth.feature == "revenue_growth"
    assert growth.percentile is None
    assert growth.plain_words() == "Revenue growth not reported"
    imputer = model.model.named_steps["columns"].named_transformers_["numeric"][0]
    median = imputer.statistics_[NUMERIC_FEATURES.index("revenue_growth")]
    as_median = rows_to_matrix([{**silent, "revenue_growth": median}])
    # A figure not reported is not read as an average one (the index ranks it last).
    assert model.predict_proba(rows_to_matrix([silent]))[0, 1] != pytest.approx(
        model.predict_proba(as_median)[0, 1], rel=1e-6
    )
    index_reasons = score_rows(rows, model=None).reasons[-1]
    assert any(
        r.feature == "revenue_growth" and r.percentile is None and r.effect < 0
        for r in index_reasons
    )

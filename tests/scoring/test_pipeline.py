import math

import pytest

from scoring.backtest import labelled_rows
from scoring.explain import score_rows, typical_values
from scoring.features import FEATURE_NAMES, rows_to_matrix
from scoring.pipeline import build_pipeline
from tests.helpers import FIT_CUTOFFS, TEST_CUTOFFS


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

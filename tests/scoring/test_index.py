import math
from datetime import date

import pytest

from scoring.features import feature_table
from scoring.index import INDEX_TERMS, index_reasons, index_scores, percentile_ranks

CUTOFF = date(2022, 1, 1)


def test_index_weights_sum_to_one():
    assert math.isclose(sum(term.weight for term in INDEX_TERMS), 1.0)


def test_index_scores_lie_between_zero_and_one(firms):
    _, rows = feature_table(firms, CUTOFF)

    scores = index_scores(rows)

    assert len(scores) == len(rows)
    assert all(0.0 <= score <= 1.0 for score in scores)


def test_reasons_contributions_sum_exactly_to_the_index_score(firms):
    _, rows = feature_table(firms, CUTOFF)

    scores = index_scores(rows)
    ranks = percentile_ranks(rows)

    for row, row_ranks, score in zip(rows, ranks, scores, strict=True):
        reasons = index_reasons(row, row_ranks)
        assert sum(reason.contribution for reason in reasons) == pytest.approx(score, abs=1e-12)
        assert [r.contribution for r in reasons] == sorted(
            (r.contribution for r in reasons), reverse=True
        )


def test_the_leader_of_its_track_in_pct_applications_is_told_so_in_plain_words(firms):
    _, rows = feature_table(firms, CUTOFF)
    ranks = percentile_ranks(rows)
    track = "biomedicine"
    leader = max(
        (i for i, row in enumerate(rows) if row["track"] == track),
        key=lambda i: (ranks[i]["pct_applications_cumulative"], -i),
    )

    reasons = index_reasons(rows[leader], ranks[leader])

    pct = next(r for r in reasons if r.feature == "pct_applications_cumulative")
    assert pct.plain_words.startswith("PCT applications in the top ")
    assert pct.plain_words.endswith("% of its track")
    assert pct.value == rows[leader]["pct_applications_cumulative"]


def test_a_missing_figure_contributes_nothing_and_says_so():
    row: dict[str, float | str] = {term.feature: math.nan for term in INDEX_TERMS}
    row["track"] = "fintech"
    other = {**row, "designations_held": 2.0}

    ranks = percentile_ranks([row, other])
    reasons = index_reasons(row, ranks[0])

    assert index_scores([row, other])[0] == 0.0
    assert all(reason.contribution == 0.0 for reason in reasons)
    assert "Designations held not reported" in [reason.plain_words for reason in reasons]

import math
from datetime import date

import numpy as np
import pytest

from scoring.explain import score_rows
from scoring.features import feature_table
from scoring.index import INDEX_TERMS, NEUTRAL_RANK, explain_index, index_effects, index_scores
from scoring.ranks import percentiles

CUTOFF = date(2022, 1, 1)


def test_index_weights_sum_to_one():
    assert math.isclose(sum(term.weight for term in INDEX_TERMS), 1.0)


def test_index_scores_lie_between_zero_and_one(firms):
    _, rows = feature_table(firms, CUTOFF)

    scores = index_scores(rows)

    assert len(scores) == len(rows)
    assert all(0.0 <= score <= 1.0 for score in scores)
    assert max(scores) - min(scores) > 0.3  # it separates firms, not a constant


def test_each_rows_effects_sum_exactly_to_its_index_minus_the_neutral_rank(firms):
    _, rows = feature_table(firms, CUTOFF)

    explained = explain_index(rows)
    effects = index_effects(explained)

    totals = sum(effects.values())
    assert isinstance(totals, np.ndarray)
    assert totals == pytest.approx(explained.scores - NEUTRAL_RANK, abs=1e-12)


def test_percentiles_match_counting_by_hand_within_each_track(firms):
    _, rows = feature_table(firms, CUTOFF)

    found = percentiles(rows, "pct_applications_cumulative")

    for i in (0, 7, 99):
        track, value = rows[i]["track"], rows[i]["pct_applications_cumulative"]
        group = [
            r["pct_applications_cumulative"]
            for r in rows
            if r["track"] == track and not math.isnan(r["pct_applications_cumulative"])  # type: ignore[arg-type]
        ]
        if isinstance(value, float) and math.isnan(value):
            assert math.isnan(found[i])
            continue
        below = sum(1 for other in group if other < value)  # type: ignore[operator]
        equal = sum(1 for other in group if other == value)
        assert found[i] == pytest.approx((below + 0.5 * equal) / len(group))


def test_the_leader_of_its_track_in_pct_applications_is_told_so_in_plain_words(firms):
    _, rows = feature_table(firms, CUTOFF)
    track = "biomedicine"
    # A firm of the track that leads it in PCT applications and reports nothing else the index
    # ranks: PCT is then its one reason up, whatever the synthetic firms' other figures are.
    leader = next(i for i, row in enumerate(rows) if row["track"] == track)
    most = max(float(row["pct_applications_cumulative"]) for row in rows if row["track"] == track)
    rows[leader] = {
        **{term.feature: math.nan for term in INDEX_TERMS},
        **{key: rows[leader][key] for key in ("track", "zone")},
        "pct_applications_cumulative": most + 1,
    }

    scored = score_rows(rows, model=None)

    pct = next(r for r in scored.reasons[leader] if r.feature == "pct_applications_cumulative")
    assert pct.effect > 0
    assert pct.scope == "track"
    assert pct.plain_words().startswith("Pct applications cumulative in the top ")
    assert pct.plain_words().endswith("% of its track")


def test_a_missing_figure_lowers_the_index_and_says_so():
    row: dict[str, float | str] = {term.feature: math.nan for term in INDEX_TERMS}
    row.update(track="fintech", zone="north")
    leader = {**row, "designations_held": 2.0}
    follower = {**row, "designations_held": 1.0}

    scored = score_rows([row, leader, follower], model=None)

    assert scored.scores[0] == 0.0
    assert all(reason.effect < 0 for reason in scored.reasons[0])
    assert "Designations held not reported" in [r.plain_words() for r in scored.reasons[0]]
    assert scored.reasons[1][0].feature == "designations_held"
    assert scored.reasons[1][0].effect > 0

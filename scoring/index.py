"""A transparent rule-based potential index: weighted percentile ranks within the cohort."""

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from scoring.features import Row


@dataclass(frozen=True)
class IndexTerm:
    feature: str
    weight: float
    within_track: bool  # ranked against firms of the same track, else the whole cohort
    label: str


# Weights sum to 1, so the index is a weighted mean of percentile ranks and lies in [0, 1].
# Technology figures are ranked within the track: a biotech and a software firm patent at
# different rates. A missing figure ranks 0: the index rewards what a firm has shown us.
INDEX_TERMS: tuple[IndexTerm, ...] = (
    IndexTerm("revenue_growth", 0.15, True, "Revenue growth"),
    IndexTerm("employee_growth", 0.05, False, "Employee growth"),
    IndexTerm("rd_intensity", 0.15, True, "R&D intensity"),
    IndexTerm("patents_cumulative", 0.10, True, "Patents"),
    IndexTerm("pct_applications_cumulative", 0.10, True, "PCT applications"),
    IndexTerm("funding_last_3_years", 0.15, False, "Funding raised in the last 3 years"),
    IndexTerm("funding_stage", 0.10, False, "Funding stage"),
    IndexTerm("designations_held", 0.20, False, "Designations held"),
)
Ranks = dict[str, float]


@dataclass(frozen=True)
class Reason:
    feature: str
    contribution: float
    plain_words: str
    value: float | str


def _number(row: Row, feature: str) -> float:
    value = row[feature]
    return value if isinstance(value, float) else math.nan


def _percentile(value: float, group: Sequence[float]) -> float:
    """Mid-rank percentile in [0, 1]: the share of the group below, ties counted half."""
    if math.isnan(value):
        return 0.0
    below = sum(1 for other in group if other < value)
    equal = sum(1 for other in group if other == value)
    return (below + 0.5 * equal) / len(group)


def percentile_ranks(rows: Sequence[Row]) -> list[Ranks]:
    """For every row, the percentile rank of each index feature in its group."""
    ranks: list[Ranks] = [{} for _ in rows]
    for term in INDEX_TERMS:
        groups: dict[str, list[float]] = defaultdict(list)
        for row in rows:
            value = _number(row, term.feature)
            if not math.isnan(value):
                groups[str(row["track"]) if term.within_track else ""].append(value)
        for row, row_ranks in zip(rows, ranks, strict=True):
            group = groups[str(row["track"]) if term.within_track else ""]
            row_ranks[term.feature] = _percentile(_number(row, term.feature), group)
    return ranks


def index_scores(rows: Sequence[Row]) -> list[float]:
    """The index of every row, in [0, 1]; equal to the sum of its reasons' contributions."""
    return [
        sum(term.weight * row_ranks[term.feature] for term in INDEX_TERMS)
        for row_ranks in percentile_ranks(rows)
    ]


def _plain_words(term: IndexTerm, rank: float, value: float) -> str:
    scope = "its track" if term.within_track else "the cohort"
    if math.isnan(value):
        return f"{term.label} not reported"
    if rank >= 0.5:
        return f"{term.label} in the top {max(1, math.ceil((1 - rank) * 100))}% of {scope}"
    return f"{term.label} in the bottom {max(1, math.ceil(rank * 100))}% of {scope}"


def index_reasons(row: Row, ranks: Ranks) -> list[Reason]:
    """Each term's share of the row's index (weight x rank), largest first.

    `ranks` is the row's entry of `percentile_ranks`; the contributions sum to its index score.
    """
    reasons = [
        Reason(
            feature=term.feature,
            contribution=term.weight * ranks[term.feature],
            plain_words=_plain_words(term, ranks[term.feature], _number(row, term.feature)),
            value=row[term.feature],
        )
        for term in INDEX_TERMS
    ]
    return sorted(reasons, key=lambda reason: reason.contribution, reverse=True)

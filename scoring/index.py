"""A transparent rule-based potential index: weighted percentile ranks within the cohort."""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from scoring.features import Row
from scoring.ranks import percentiles


@dataclass(frozen=True)
class IndexTerm:
    feature: str
    weight: float


# Weights sum to 1, so the index is a weighted mean of percentile ranks and lies in [0, 1].
# Technology figures rank within the track (scoring.ranks.WITHIN_TRACK). A missing figure ranks
# 0: the index rewards what a firm has shown us.
INDEX_TERMS: tuple[IndexTerm, ...] = (
    IndexTerm("revenue_growth", 0.15),
    IndexTerm("employee_growth", 0.05),
    IndexTerm("rd_intensity", 0.15),
    IndexTerm("patents_cumulative", 0.10),
    IndexTerm("pct_applications_cumulative", 0.10),
    IndexTerm("funding_last_3_years", 0.15),
    IndexTerm("funding_stage", 0.10),
    IndexTerm("designations_held", 0.20),
)
# The firm the index's reasons are measured against: one at the middle of every rank.
NEUTRAL_RANK = 0.5


@dataclass(frozen=True)
class IndexExplained:
    scores: np.ndarray
    # feature -> each row's rank in [0, 1], 0 where missing
    ranks: dict[str, np.ndarray]
    # feature -> each row's percentile, NaN where missing (for the reasons' words)
    percentiles: dict[str, np.ndarray]


def explain_index(rows: Sequence[Row]) -> IndexExplained:
    found = {term.feature: percentiles(rows, term.feature) for term in INDEX_TERMS}
    ranks = {feature: np.nan_to_num(values, nan=0.0) for feature, values in found.items()}
    scores = np.zeros(len(rows))
    for term in INDEX_TERMS:
        scores += term.weight * ranks[term.feature]
    return IndexExplained(scores, ranks, found)


def index_scores(rows: Sequence[Row]) -> list[float]:
    """The index of every row, in [0, 1]."""
    return explain_index(rows).scores.tolist()


def index_effects(explained: IndexExplained) -> dict[str, np.ndarray]:
    """Each term's effect on every row: weight x (rank - 0.5), by construction of the index.

    Against a firm at the middle of every rank, a term above the middle raises the score and one
    below (or missing) lowers it; the effects of a row sum exactly to its index minus 0.5.
    """
    return {
        term.feature: term.weight * (explained.ranks[term.feature] - NEUTRAL_RANK)
        for term in INDEX_TERMS
    }

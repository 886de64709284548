"""Percentile ranks (the one definition), of features within the cohort or each firm's track."""

from collections.abc import Sequence

import numpy as np

from scoring.features import Row

# Technology figures are compared within the track: a biotech and a software firm patent and
# spend on R&D at different rates. Everything else is compared across the whole cohort.
WITHIN_TRACK = frozenset(
    {
        "revenue_growth",
        "rd_intensity",
        "patents_latest",
        "patents_cumulative",
        "pct_applications_latest",
        "pct_applications_cumulative",
    }
)


def numbers(rows: Sequence[Row], feature: str) -> np.ndarray:
    """The feature's column as floats; anything not a float (a category, None) becomes NaN."""
    return np.array(
        [value if isinstance(value, float) else np.nan for value in (r[feature] for r in rows)],
        dtype=np.float64,
    )


def percentile_ranks(values: np.ndarray) -> np.ndarray:
    """Each value's share of the values below it, ties counted half, in [0, 1]; NaN where missing,
    and not counted. The one percentile of scoring: the index's terms, the reasons' places, the
    stored scores' percentiles and the benchmarks' cohort ranks all read this.

    Sorting once and bisecting keeps this O(n log n): 100,000 firms take milliseconds.
    """
    result = np.full(len(values), np.nan)
    known = ~np.isnan(values)
    reported = np.sort(values[known])
    if len(reported):
        below = np.searchsorted(reported, values[known], side="left")
        not_above = np.searchsorted(reported, values[known], side="right")
        result[known] = (below + 0.5 * (not_above - below)) / len(reported)
    return result


def percentiles(rows: Sequence[Row], feature: str) -> np.ndarray:
    """The feature's percentile_ranks within the cohort, or within each firm's track."""
    values = numbers(rows, feature)
    if feature not in WITHIN_TRACK:
        return percentile_ranks(values)
    tracks = np.array([str(row["track"]) for row in rows], dtype=object)
    result = np.full(len(rows), np.nan)
    for track in set(tracks.tolist()):
        members = tracks == track
        result[members] = percentile_ranks(values[members])
    return result

"""Scores with reasons: the top factors that raise and lower each firm's score.

For the index a factor's effect is its weighted term against a firm at the middle of every rank
(exact by construction). For a learned model it is occlusion: the firm's probability minus the
probability with that one feature set to the cohort's typical value (the median, or the most
common category), every other feature unchanged. Occlusion is model-agnostic and honest about
what it measures, one feature at a time; with interactions the effects need not sum to the score.
"""

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from scoring.features import (
    CATEGORICAL_FEATURES,
    FEATURE_NAMES,
    NUMERIC_FEATURES,
    Row,
    rows_to_matrix,
)
from scoring.index import explain_index, index_effects
from scoring.ranks import WITHIN_TRACK, percentiles

REASONS_UP = 3
REASONS_DOWN = 2
MIN_EFFECT = 1e-9  # an effect this small neither raises nor lowers


@dataclass(frozen=True)
class Reason:
    feature: str
    effect: float  # change in the score this factor makes, see the module docstring
    percentile: float | None  # the firm's place on this feature within `scope`; None if missing
    scope: str  # "track" or "cohort"
    category: str | None = None  # for track and zone: the firm's own, which has no place

    def plain_words(self) -> str:
        """English words for logs and the command line; the CRM words the same fields itself."""
        name = self.feature.replace("_", " ").capitalize()
        scope = "its track" if self.scope == "track" else "the cohort"
        if self.category is not None:
            return f"{name} {self.category} {'raises' if self.effect > 0 else 'lowers'} the score"
        if self.percentile is None:
            return f"{name} not reported"
        if self.percentile >= 0.5:
            return f"{name} in the top {top_share(self.percentile)}% of {scope}"
        return f"{name} in the bottom {bottom_share(self.percentile)}% of {scope}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "feature": self.feature,
            "effect": round(self.effect, 6),
            "percentile": None if self.percentile is None else round(self.percentile, 4),
            "scope": self.scope,
            "category": self.category,
        }


def top_share(percentile: float) -> int:
    return max(1, math.ceil((1 - percentile) * 100))


def bottom_share(percentile: float) -> int:
    return max(1, math.ceil(percentile * 100))


@dataclass(frozen=True)
class Scored:
    scores: list[float]
    reasons: list[list[Reason]]  # per row: the strongest raising, then the strongest lowering


def score_rows(rows: Sequence[Row], model: Any | None) -> Scored:
    """Scores in [0, 1] and reasons of every row; `model` None means the index."""
    if not rows:
        return Scored([], [])
    if model is None:
        explained = explain_index(rows)
        scores = explained.scores
        effects = index_effects(explained)
        known = explained.percentiles  # the places of the index's own terms: already ranked
    else:
        matrix = rows_to_matrix(rows)
        scores = model.predict_proba(matrix)[:, 1]
        effects = occlusion_effects(model, matrix, scores)
        known = {}
    places = {
        feature: known[feature] if feature in known else percentiles(rows, feature)
        for feature in effects
        if feature in NUMERIC_FEATURES
    }
    return Scored([float(score) for score in scores], _top_reasons(rows, effects, places))


def typical_values(matrix: np.ndarray) -> list[float | str]:
    """The cohort's median of each numeric column and most common value of each category."""
    typical: list[float | str] = []
    for column, name in enumerate(FEATURE_NAMES):
        if name in CATEGORICAL_FEATURES:
            typical.append(Counter(matrix[:, column].tolist()).most_common(1)[0][0])
        else:
            values = matrix[:, column].astype(np.float64)
            reported = values[~np.isnan(values)]
            typical.append(float(np.median(reported)) if len(reported) else math.nan)
    return typical


def occlusion_effects(model: Any, matrix: np.ndarray, scores: np.ndarray) -> dict[str, np.ndarray]:
    """feature -> each row's score minus its score with that feature at the typical value."""
    typical = typical_values(matrix)
    effects: dict[str, np.ndarray] = {}
    for column, name in enumerate(FEATURE_NAMES):
        occluded = matrix.copy()
        occluded[:, column] = typical[column]
        effects[name] = scores - model.predict_proba(occluded)[:, 1]
    return effects


def _top_reasons(
    rows: Sequence[Row], effects: dict[str, np.ndarray], places: dict[str, np.ndarray]
) -> list[list[Reason]]:
    """Per row, the strongest raising effects, largest first, then the strongest lowering.

    Sorted for all rows at once: a stable sort keeps equal effects in feature order, as sorting
    each row's reasons did, and only the five kept become `Reason`s.
    """
    features = list(effects)
    matrix = np.column_stack(
        [np.asarray(effects[feature], dtype=np.float64) for feature in features]
    )
    # NaN effects neither raise nor lower: both comparisons are False for them.
    raising = np.argsort(-matrix, axis=1, kind="stable")[:, :REASONS_UP]
    lowering = np.argsort(matrix, axis=1, kind="stable")[:, :REASONS_DOWN]
    return [
        [
            _reason(rows[i], i, features[j], matrix[i, j], places)
            for j in up
            if matrix[i, j] > MIN_EFFECT
        ]
        + [
            _reason(rows[i], i, features[j], matrix[i, j], places)
            for j in down
            if matrix[i, j] < -MIN_EFFECT
        ]
        for i, (up, down) in enumerate(zip(raising.tolist(), lowering.tolist(), strict=True))
    ]


def _reason(
    row: Row, i: int, feature: str, effect: np.float64, places: dict[str, np.ndarray]
) -> Reason:
    place = places[feature][i] if feature in places else math.nan
    return Reason(
        feature=feature,
        effect=float(effect),
        percentile=None if math.isnan(place) else float(place),
        scope="track" if feature in WITHIN_TRACK else "cohort",
        category=str(row[feature]) if feature in CATEGORICAL_FEATURES else None,
    )

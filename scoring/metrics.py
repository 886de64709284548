"""Held-out metrics of one candidate's scores: ranking, top-of-list precision, calibration."""

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

TOP_SHARE = 0.10
TOP_COUNT = 50
CALIBRATION_BINS = 10


@dataclass(frozen=True)
class CalibrationBin:
    lower: float
    upper: float
    mean_predicted: float | None  # None for an empty bin
    observed_rate: float | None
    count: int


@dataclass(frozen=True)
class CandidateMetrics:
    roc_auc: float
    average_precision: float
    precision_at_top_10_percent: float
    precision_at_top_50: float
    lift_at_top_10_percent: float  # precision at the top 10% over the base rate
    brier_score: float  # for the index, a score in [0, 1] but not a probability: compare with care
    calibration: list[CalibrationBin]

    def ranking(self) -> dict[str, float]:
        """The two ranking metrics the gate judges on."""
        return {"roc_auc": self.roc_auc, "average_precision": self.average_precision}

    def headline(self) -> dict[str, float]:
        """The scalar metrics, for a model card."""
        return {
            "roc_auc": self.roc_auc,
            "average_precision": self.average_precision,
            "precision_at_top_10_percent": self.precision_at_top_10_percent,
            "precision_at_top_50": self.precision_at_top_50,
            "lift_at_top_10_percent": self.lift_at_top_10_percent,
            "brier_score": self.brier_score,
        }


def precision_at_top(labels: np.ndarray, scores: np.ndarray, count: int) -> float:
    # A stable sort on the negated score keeps ties in input order, so reruns agree.
    order = np.argsort(-scores, kind="stable")[:count]
    return float(labels[order].mean())


def calibration_table(labels: np.ndarray, scores: np.ndarray) -> list[CalibrationBin]:
    edges = np.linspace(0.0, 1.0, CALIBRATION_BINS + 1)
    bins = np.clip(np.digitize(scores, edges[1:-1], right=False), 0, CALIBRATION_BINS - 1)
    table = []
    for b in range(CALIBRATION_BINS):
        inside = bins == b
        count = int(inside.sum())
        table.append(
            CalibrationBin(
                lower=float(edges[b]),
                upper=float(edges[b + 1]),
                mean_predicted=float(scores[inside].mean()) if count else None,
                observed_rate=float(labels[inside].mean()) if count else None,
                count=count,
            )
        )
    return table


def candidate_metrics(labels: Sequence[bool], scores: Sequence[float]) -> CandidateMetrics:
    """Metrics of scores in [0, 1] against outcomes; needs both outcomes among the labels."""
    y = np.asarray(labels, dtype=np.float64)
    s = np.asarray(scores, dtype=np.float64)
    if not len(y) or y.min() == y.max():
        raise ValueError("held-out rows need both positive and negative outcomes")
    top_10_percent = precision_at_top(y, s, max(1, math.ceil(TOP_SHARE * len(y))))
    return CandidateMetrics(
        roc_auc=float(roc_auc_score(y, s)),
        average_precision=float(average_precision_score(y, s)),
        precision_at_top_10_percent=top_10_percent,
        precision_at_top_50=precision_at_top(y, s, min(TOP_COUNT, len(y))),
        lift_at_top_10_percent=top_10_percent / float(y.mean()),
        brier_score=float(brier_score_loss(y, s)),
        calibration=calibration_table(y, s),
    )


@dataclass(frozen=True)
class OutOfTimeCalibration:
    """How a candidate's probabilities compare with what happened after a later cut-off."""

    mean_predicted: float
    observed_rate: float
    brier_score: float
    # The Brier score of predicting the panel's own observed rate for every firm: a forecaster
    # that knew the future base rate but nothing about firms. Beating it means the scores add.
    base_rate_brier_score: float
    expected_calibration_error: float  # over equal-count bins, see expected_calibration_error
    bins: list[CalibrationBin]


def expected_calibration_error(
    labels: np.ndarray, probabilities: np.ndarray, bins: int = CALIBRATION_BINS
) -> float:
    """The row-weighted gap between mean predicted and observed rate over equal-count bins.

    Equal-count, not the reliability table's equal-width bins: at a base rate of a few per cent
    nearly every probability falls in the first tenth of [0, 1], and the figure would only
    restate the gap between the means."""
    order = np.argsort(probabilities, kind="stable")
    return float(
        sum(
            len(chunk) / len(order) * abs(probabilities[chunk].mean() - labels[chunk].mean())
            for chunk in np.array_split(order, bins)
            if len(chunk)
        )
    )


def out_of_time_calibration(
    labels: Sequence[bool], probabilities: Sequence[float]
) -> OutOfTimeCalibration:
    y = np.asarray(labels, dtype=np.float64)
    p = np.asarray(probabilities, dtype=np.float64)
    rate = float(y.mean())
    table = calibration_table(y, p)
    return OutOfTimeCalibration(
        mean_predicted=float(p.mean()),
        observed_rate=rate,
        brier_score=float(brier_score_loss(y, p)),
        base_rate_brier_score=rate * (1 - rate),
        expected_calibration_error=expected_calibration_error(y, p),
        bins=table,
    )

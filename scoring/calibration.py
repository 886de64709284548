"""Probabilities for the future: calibrated on a later window than the model learned from.

A classifier fitted on one period and calibrated inside it (cross-validation over pooled rows)
repeats that period's base rate, and the same firm in several folds makes it look sharper than it
is. Here a candidate learns from the fitting cut-offs and is calibrated on the rows of a later
cut-off whose outcomes are fully known:

1. Firms are split into folds by id. For each fold a model learns from the fitting rows of the
   other firms and scores this fold's rows at the calibration cut-off, so every calibration score
   comes from a model that never saw the firm, nor any outcome after the first year of the
   calibration window (scoring.backtest.FIT_OVERLAP_YEARS).
2. A logistic curve (Platt scaling) maps those scores onto the calibration window's outcomes.
3. The curve's intercept is moved until its mean over the calibration window is the pooled rate
   of the latest settled windows: the calibration cut-off's and the two yearly ones before it.
   Only the intercept moves, so the order of the firms is the curve's.

One year's rate is a noisy forecast of the next: on Crunchbase big raises came to 8.7%, 6.1% and
4.7% of the 2007, 2008 and 2009 panels and 6.3% of the 2011 one. The pooled rate brought the mean
prediction closer to what happened at all ten cut-off pairs, and the expected calibration error
down at all ten; a correction by the drift of the first year since was worse on average than none
(docs/external-benchmark.md).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import brentq
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression

CALIBRATION_FOLDS = 3
# The settled windows whose pooled rate the probabilities carry: the calibration cut-off's own
# and the yearly ones before it, as many as the fitting cut-offs.
BASE_RATE_WINDOWS = 3
# Scores are clipped away from 0 and 1 before the logit.
EPSILON = 1e-6


def firm_folds(firm_ids: Sequence[int], folds: int = CALIBRATION_FOLDS) -> np.ndarray:
    """The fold of each row: by firm, so one firm's rows at every cut-off share a fold."""
    return np.asarray(firm_ids, dtype=np.int64) % folds


def logit(scores: np.ndarray) -> np.ndarray:
    clipped = np.clip(np.asarray(scores, dtype=np.float64), EPSILON, 1 - EPSILON)
    return np.log(clipped / (1 - clipped))


def out_of_fold_scores(
    make_model: Callable[[], Any],
    fit_matrix: np.ndarray,
    fit_labels: Sequence[bool],
    fit_firms: Sequence[int],
    calibration_matrix: np.ndarray,
    calibration_firms: Sequence[int],
    folds: int = CALIBRATION_FOLDS,
) -> np.ndarray:
    """Scores of the calibration rows, each from a model fitted without that row's firm."""
    fit_fold, calibration_fold = firm_folds(fit_firms, folds), firm_folds(calibration_firms, folds)
    labels = np.asarray(fit_labels, dtype=bool)
    scores = np.full(len(calibration_firms), np.nan)
    for fold in range(folds):
        scored, learned = calibration_fold == fold, fit_fold != fold
        if not scored.any():
            continue
        if labels[learned].all() or not labels[learned].any():
            raise ValueError("a calibration fold's fitting rows need both outcomes")
        model = make_model().fit(fit_matrix[learned], labels[learned])
        scores[scored] = model.predict_proba(calibration_matrix[scored])[:, 1]
    return scores


@dataclass(frozen=True)
class Platt:
    """p = 1 / (1 + exp(-(slope * logit(score) + intercept)))."""

    slope: float
    intercept: float

    def apply(self, scores: np.ndarray) -> np.ndarray:
        z = self.slope * logit(scores) + self.intercept
        return 1.0 / (1.0 + np.exp(-z))


def fit_platt(scores: np.ndarray, labels: Sequence[bool]) -> Platt:
    y = np.asarray(labels, dtype=bool)
    if y.all() or not y.any():
        raise ValueError("the calibration window needs both outcomes")
    # Nearly unpenalised: two parameters on hundreds of rows need no shrinking.
    curve = LogisticRegression(C=1e6, max_iter=1000).fit(logit(scores).reshape(-1, 1), y)
    return Platt(float(curve.coef_[0, 0]), float(curve.intercept_[0]))


def anchored(platt: Platt, scores: np.ndarray, base_rate: float) -> Platt:
    """The curve with its intercept moved so that its mean over `scores` is `base_rate`."""
    if not 0 < base_rate < 1:
        raise ValueError("the base rate must lie strictly between 0 and 1")

    def gap(intercept: float) -> float:
        return float(Platt(platt.slope, intercept).apply(scores).mean()) - base_rate

    # The mean is increasing in the intercept; logits beyond ±50 are 0 and 1 in floating point.
    return Platt(platt.slope, float(brentq(gap, platt.intercept - 50, platt.intercept + 50)))


class CalibratedModel(ClassifierMixin, BaseEstimator):
    """A fitted classifier and the curve that turns its scores into probabilities.

    Scikit-learn shaped (`predict_proba`, `classes_`) so explanations, permutation importance
    and the model store treat it like any classifier.
    """

    def __init__(self, model: Any, platt: Platt) -> None:
        self.model = model
        self.platt = platt

    @property
    def classes_(self) -> np.ndarray:
        return np.array([False, True])

    def fit(self, matrix: np.ndarray, labels: Sequence[bool]) -> "CalibratedModel":
        raise TypeError("a calibrated model is built from fitted parts, not fitted again")

    def predict_proba(self, matrix: np.ndarray) -> np.ndarray:
        positive = self.platt.apply(self.model.predict_proba(matrix)[:, 1])
        return np.column_stack([1 - positive, positive])

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        return self.predict_proba(matrix)[:, 1] >= 0.5


def calibrated_candidate(
    make_model: Callable[[], Any],
    fit_matrix: np.ndarray,
    fit_labels: Sequence[bool],
    fit_firms: Sequence[int],
    calibration_matrix: np.ndarray,
    calibration_labels: Sequence[bool],
    calibration_firms: Sequence[int],
    base_rate: float | None = None,
) -> tuple[CalibratedModel, np.ndarray]:
    """The candidate fitted on every fitting row, with the curve learned out of fold and out of
    time and anchored to `base_rate` (the latest settled windows' pooled rate; None keeps the
    calibration window's own); and the out-of-fold calibration-window scores (uncalibrated), to
    choose on."""
    scores = out_of_fold_scores(
        make_model, fit_matrix, fit_labels, fit_firms, calibration_matrix, calibration_firms
    )
    platt = fit_platt(scores, calibration_labels)
    if base_rate is not None:
        platt = anchored(platt, scores, base_rate)
    model = make_model().fit(fit_matrix, np.asarray(fit_labels, dtype=bool))
    return CalibratedModel(model, platt), scores

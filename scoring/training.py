"""One training run: backtest every candidate out of time, choose, explain, fit the final model."""

import platform
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import numpy as np
import sklearn
from sklearn.inspection import permutation_importance

from scoring.backtest import (
    INDEX,
    BacktestReport,
    LabelledRows,
    ModelChoice,
    backtest,
    choose_model,
)
from scoring.facts import FirmFacts, add_years
from scoring.features import FEATURE_NAMES, rows_to_matrix
from scoring.index import INDEX_TERMS
from scoring.labels import DEFAULT_HORIZON_YEARS
from scoring.metrics import CandidateMetrics
from scoring.pipeline import MODEL_KINDS, build_pipeline

Progress = Callable[[str, int], None]
TRAINING_CUTOFFS = 3  # yearly cutoffs, each with its own settled label window
VISITS = "visits_last_12_months"
OFTEN_VISITED_QUANTILE = 0.9


@dataclass(frozen=True)
class TrainingOutcome:
    report: BacktestReport
    choice: ModelChoice
    kind: str  # the best learned candidate, or the index when none could be trained
    beats_index: bool
    model: Any | None  # `kind` refitted on every settled row; None for the index
    importance: dict[str, float]
    feedback_bias: dict[str, float]

    def card(self, trained_at: str) -> dict[str, Any]:
        """The model card: data window, features, rows, positives, held-out metrics, versions."""
        report = self.report
        return {
            "kind": self.kind,
            "train_cutoffs": [day.isoformat() for day in report.train_cutoffs],
            "test_cutoff": report.test_cutoff.isoformat(),
            "final_fit_cutoffs": [
                day.isoformat() for day in [*report.train_cutoffs, report.test_cutoff]
            ],
            "horizon_years": report.horizon_years,
            "features": list(FEATURE_NAMES),
            "train_rows": report.train_rows,
            "train_positives": report.train_positives,
            "test_rows": report.test_rows,
            "test_positives": report.test_positives,
            "metrics": report.candidates[self.kind].headline(),
            "index_metrics": report.candidates[INDEX].headline(),
            "choice": self.choice.name,
            "choice_reason": self.choice.reason,
            "trained_at": trained_at,
            "sklearn_version": sklearn.__version__,
            "numpy_version": np.__version__,
            "python_version": platform.python_version(),
        }

    def backtest_table(self) -> dict[str, dict[str, Any]]:
        return {name: _metrics_dict(metrics) for name, metrics in self.report.candidates.items()}


def _metrics_dict(metrics: CandidateMetrics) -> dict[str, Any]:
    return {**metrics.headline(), "calibration": [asdict(b) for b in metrics.calibration]}


def default_cutoffs(as_of: date, horizon: int) -> tuple[list[date], date]:
    """The latest test cutoff whose label window has closed by `as_of`, and the yearly training
    cutoffs whose windows close by the test cutoff, oldest first."""
    test_cutoff = add_years(as_of, -horizon)
    last_train = add_years(test_cutoff, -horizon)
    return [add_years(last_train, -k) for k in reversed(range(TRAINING_CUTOFFS))], test_cutoff


def train(
    firms: Sequence[FirmFacts],
    as_of: date,
    horizon: int = DEFAULT_HORIZON_YEARS,
    progress: Progress = lambda step, percent: None,
) -> TrainingOutcome:
    train_cutoffs, test_cutoff = default_cutoffs(as_of, horizon)
    progress("backtest", 10)
    report = backtest(firms, train_cutoffs, test_cutoff, horizon)
    choice = choose_model(report)
    learned = [kind for kind in MODEL_KINDS if kind in report.candidates]
    if not learned:
        weights = {term.feature: term.weight for term in INDEX_TERMS}
        return TrainingOutcome(report, choice, INDEX, False, None, weights, {})
    kind = max(learned, key=lambda name: report.candidates[name].average_precision)
    progress("importance", 60)
    importance = _importance(report, kind)
    bias = _feedback_bias(report, kind)
    progress("final_fit", 80)
    # The rows of every settled cutoff, oldest first: those the backtest built, not built again.
    settled = LabelledRows(
        report.train.rows + report.test.rows, report.train.labels + report.test.labels
    )
    model = build_pipeline(kind).fit(rows_to_matrix(settled.rows), settled.labels)
    return TrainingOutcome(report, choice, kind, choice.name == kind, model, importance, bias)


def _importance(report: BacktestReport, kind: str) -> dict[str, float]:
    """Permutation importance on the held-out rows: the drop in average precision when one
    feature's values are shuffled among firms."""
    found = permutation_importance(
        report.fitted[kind],
        rows_to_matrix(report.test.rows),
        np.asarray(report.test.labels),
        scoring="average_precision",
        n_repeats=5,
        random_state=0,
    )
    return {name: float(found.importances_mean[i]) for i, name in enumerate(FEATURE_NAMES)}


def _feedback_bias(report: BacktestReport, kind: str) -> dict[str, float]:
    """Does the model reward our own attention? The held-out firms scored twice with every figure
    equal: once as never visited in the last year, once as visited as often as the most
    visited tenth. A large gap means visits, not the firm, drive the score."""
    matrix = rows_to_matrix(report.test.rows)
    column = FEATURE_NAMES.index(VISITS)
    often = max(1.0, float(np.quantile(matrix[:, column].astype(float), OFTEN_VISITED_QUANTILE)))
    rarely_matrix, often_matrix = matrix.copy(), matrix.copy()
    rarely_matrix[:, column], often_matrix[:, column] = 0.0, often
    model = report.fitted[kind]
    rarely_mean = float(model.predict_proba(rarely_matrix)[:, 1].mean())
    often_mean = float(model.predict_proba(often_matrix)[:, 1].mean())
    return {
        "visits_often": often,
        "mean_score_rarely_visited": rarely_mean,
        "mean_score_often_visited": often_mean,
        "difference": often_mean - rarely_mean,
    }

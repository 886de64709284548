"""One training run: backtest every candidate out of time, choose, gate, explain, fit the final
model the same way one step later."""

import platform
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from functools import partial
from typing import Any

import numpy as np
import sklearn
from sklearn.inspection import permutation_importance

from scoring.backtest import (
    INDEX,
    BacktestReport,
    LabelledRows,
    ModelChoice,
    TestResult,
    Windows,
    backtest,
    base_rate_cutoffs,
    fitting_cutoffs,
    labelled_rows,
    settled_rate,
    subset_metrics,
)
from scoring.calibration import CalibratedModel, calibrated_candidate
from scoring.facts import FirmFacts, add_years
from scoring.features import FEATURE_NAMES, rows_to_matrix
from scoring.index import INDEX_TERMS
from scoring.labels import DEFAULT_HORIZON_YEARS, LATEST_TOO_FEW, MIN_POSITIVES
from scoring.metrics import CandidateMetrics, OutOfTimeCalibration
from scoring.pipeline import MODEL_KINDS, ModelKind, build_pipeline

Progress = Callable[[str, int], None]
FIT_CUTOFFS = 3  # yearly fitting cutoffs, pooled
TEST_CUTOFFS = 2  # the gate must hold at each
VISITS = "visits_last_12_months"
OFTEN_VISITED_QUANTILE = 0.9


@dataclass(frozen=True)
class FinalFit:
    """The chosen procedure one step later: fitted on the latest cutoffs whose outcomes are
    settled by the latest calibration cutoff, calibrated there."""

    fit_cutoffs: list[date]
    calibration_cutoff: date
    rows: int
    positives: int
    base_rate_cutoffs: list[date]
    base_rate: float  # the pooled rate of those windows, the probabilities' mean at calibration


@dataclass(frozen=True)
class TrainingOutcome:
    report: BacktestReport
    choice: ModelChoice
    kind: str  # the validation's choice, or the index when none could be trained
    beats_index: bool  # the gate's verdict
    model: Any | None  # `kind` as the final fit made it; None for the index
    final: FinalFit | None
    importance: dict[str, float]
    feedback_bias: dict[str, float]

    def card(self, trained_at: str) -> dict[str, Any]:
        """The model card: windows, rows, held-out metrics, the gate, calibration, versions."""
        report, latest = self.report, self.report.latest
        windows = report.windows
        shown = self.kind if self.kind in latest.candidates else INDEX
        return {
            "kind": self.kind,
            "train_cutoffs": _days(windows.fit_cutoffs),
            "validation_cutoff": windows.validation_cutoff.isoformat(),
            "test_cutoffs": _days(windows.test_cutoffs),
            "test_cutoff": latest.cutoff.isoformat(),
            "final_fit_cutoffs": _days(self.final.fit_cutoffs) if self.final else [],
            "calibration_cutoff": (
                self.final.calibration_cutoff.isoformat() if self.final else None
            ),
            "base_rate_cutoffs": _days(self.final.base_rate_cutoffs) if self.final else [],
            "base_rate": self.final.base_rate if self.final else None,
            "horizon_years": report.horizon_years,
            "features": list(FEATURE_NAMES),
            "train_rows": len(report.fit.labels),
            "train_positives": report.fit.positives,
            "validation_rows": len(report.validation.labels),
            "validation_positives": report.validation.positives,
            "test_rows": len(latest.rows.labels),
            "test_positives": latest.rows.positives,
            "metrics": _headline(latest, shown),
            "index_metrics": _headline(latest, INDEX),
            "gate": [_gate_row(test) for test in report.tests if test.gains]
            if self.kind != INDEX
            else [],
            "calibration": [
                _calibration_row(test.cutoff, test.calibration[self.kind])
                for test in report.tests
                if self.kind in test.calibration
            ],
            "choice": self.choice.name,
            "choice_reason": self.choice.reason,
            "trained_at": trained_at,
            "sklearn_version": sklearn.__version__,
            "numpy_version": np.__version__,
            "python_version": platform.python_version(),
        }

    def backtest_table(self) -> dict[str, dict[str, Any]]:
        """Every candidate at the latest test cutoff, with its calibration bins."""
        return {
            name: _metrics_dict(metrics) for name, metrics in self.report.latest.candidates.items()
        }

    def details(self) -> dict[str, Any]:
        """What the model page shows beyond the card: validation and subsets."""
        report = self.report
        names = list(report.latest.candidates)
        return {
            "validation": {
                name: metrics.ranking() for name, metrics in report.validation_metrics.items()
            },
            "subsets": {
                feature: subset_metrics(report.latest, names, feature)
                for feature in ("track", "zone")
            },
        }


def _headline(test: TestResult, name: str) -> dict[str, float]:
    """A candidate's scalar metrics; none when the cutoff had a single outcome."""
    found = test.candidates.get(name)
    return found.headline() if found else {}


def _days(cutoffs: Sequence[date]) -> list[str]:
    return [day.isoformat() for day in cutoffs]


def _gate_row(test: TestResult) -> dict[str, Any]:
    return {
        "cutoff": test.cutoff.isoformat(),
        **{name: gain.as_dict() for name, gain in test.gains.items()},
    }


def _calibration_row(cutoff: date, calibration: OutOfTimeCalibration) -> dict[str, Any]:
    row = asdict(calibration)
    del row["bins"]
    return {"cutoff": cutoff.isoformat(), **row}


def _metrics_dict(metrics: CandidateMetrics) -> dict[str, Any]:
    return {**metrics.headline(), "calibration": [asdict(b) for b in metrics.calibration]}


def default_windows(as_of: date, horizon: int) -> Windows:
    """The latest test cutoffs whose label windows have closed by `as_of`; the validation
    cutoff whose window closes by the first of them; the yearly fitting cutoffs before it, the
    latest one's window ending a year into the validation window (scoring.backtest)."""
    latest = add_years(as_of, -horizon)
    tests = [add_years(latest, -k) for k in reversed(range(TEST_CUTOFFS))]
    validation = add_years(tests[0], -horizon)
    return Windows(fitting_cutoffs(validation, horizon, FIT_CUTOFFS), validation, tests)


def final_windows(as_of: date, horizon: int) -> tuple[list[date], date]:
    """The published model's fitting cutoffs and calibration cutoff: the latest settled ones."""
    calibration = add_years(as_of, -horizon)
    return fitting_cutoffs(calibration, horizon, FIT_CUTOFFS), calibration


def train(
    firms: Sequence[FirmFacts],
    as_of: date,
    horizon: int = DEFAULT_HORIZON_YEARS,
    progress: Progress = lambda step, percent: None,
    bootstrap_rounds: int | None = None,
) -> TrainingOutcome:
    progress("backtest", 10)
    report = backtest(firms, default_windows(as_of, horizon), horizon, bootstrap_rounds)
    kind = report.best_learned
    if kind is None:
        weights = {term.feature: term.weight for term in INDEX_TERMS}
        return TrainingOutcome(report, report.choice, INDEX, False, None, None, weights, {})
    progress("importance", 60)
    latest = report.latest
    tested = report.fitted[kind]
    importance = _importance(tested, latest)
    bias = _feedback_bias(tested, latest)
    progress("final_fit", 80)
    final = _final_fit(firms, kind, as_of, horizon, report)
    if final is None:
        # The backtest's choice cannot be refitted one step later: nothing is saved, the index
        # stays, and the card says so rather than showing a gate it may have passed.
        choice = ModelChoice(INDEX, LATEST_TOO_FEW)
        weights = {term.feature: term.weight for term in INDEX_TERMS}
        return TrainingOutcome(report, choice, INDEX, False, None, None, weights, {})
    model, fitted = final
    beats = report.choice.name == kind
    return TrainingOutcome(report, report.choice, kind, beats, model, fitted, importance, bias)


def _final_fit(
    firms: Sequence[FirmFacts], kind: str, as_of: date, horizon: int, report: BacktestReport
) -> tuple[CalibratedModel, FinalFit] | None:
    fit_cutoffs, calibration_cutoff = final_windows(as_of, horizon)
    # The validation and test cut-offs' rows are built already (the validation cut-off is one of
    # the final fit's, the latest test cut-off its calibration cut-off): features cost the most.
    built = {test.cutoff: test.rows for test in report.tests}
    built[report.windows.validation_cutoff] = report.validation

    def rows_at(cutoff: date) -> LabelledRows:
        return built[cutoff] if cutoff in built else labelled_rows(firms, [cutoff], horizon)

    fit = sum((rows_at(cutoff) for cutoff in fit_cutoffs), LabelledRows([], [], []))
    calibration = rows_at(calibration_cutoff)
    if fit.positives < MIN_POSITIVES or calibration.positives in (0, len(calibration.labels)):
        return None
    model_kind: ModelKind = next(name for name in MODEL_KINDS if name == kind)
    rate_cutoffs = base_rate_cutoffs(calibration_cutoff)
    base_rate = settled_rate(firms, rate_cutoffs, horizon)
    try:
        model, _scores = calibrated_candidate(
            partial(build_pipeline, model_kind),
            rows_to_matrix(fit.rows),
            fit.labels,
            fit.firm_ids,
            rows_to_matrix(calibration.rows),
            calibration.labels,
            calibration.firm_ids,
            base_rate=base_rate,
        )
    except ValueError:  # a calibration fold's fitting rows hold a single outcome
        return None
    facts = FinalFit(
        fit_cutoffs, calibration_cutoff, len(fit.labels), fit.positives, rate_cutoffs, base_rate
    )
    return model, facts


def _importance(model: CalibratedModel, test: TestResult) -> dict[str, float]:
    """Permutation importance on the latest test rows: the drop in average precision when one
    feature's values are shuffled among firms."""
    found = permutation_importance(
        model,
        rows_to_matrix(test.rows.rows),
        np.asarray(test.rows.labels),
        scoring="average_precision",
        n_repeats=5,
        random_state=0,
    )
    return {name: float(found.importances_mean[i]) for i, name in enumerate(FEATURE_NAMES)}


def _feedback_bias(model: CalibratedModel, test: TestResult) -> dict[str, float]:
    """Does the model reward our own attention? The held-out firms scored twice with every figure
    equal: once as never visited in the last year, once as visited as often as the most
    visited tenth. A large gap means visits, not the firm, drive the score."""
    matrix = rows_to_matrix(test.rows.rows)
    column = FEATURE_NAMES.index(VISITS)
    often = max(1.0, float(np.quantile(matrix[:, column].astype(float), OFTEN_VISITED_QUANTILE)))
    rarely_matrix, often_matrix = matrix.copy(), matrix.copy()
    rarely_matrix[:, column], often_matrix[:, column] = 0.0, often
    rarely_mean = float(model.predict_proba(rarely_matrix)[:, 1].mean())
    often_mean = float(model.predict_proba(often_matrix)[:, 1].mean())
    return {
        "visits_often": often,
        "mean_score_rarely_visited": rarely_mean,
        "mean_score_often_visited": often_mean,
        "difference": often_mean - rarely_mean,
    }

"""Out-of-time evaluation of the index and the learned candidates, and the choice between them."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from scoring.facts import FirmFacts, add_years
from scoring.features import Row, existed_before, features_as_of, rows_to_matrix
from scoring.index import index_scores
from scoring.labels import DEFAULT_HORIZON_YEARS, MIN_POSITIVES, reached_milestone
from scoring.metrics import CandidateMetrics, candidate_metrics
from scoring.pipeline import MODEL_KINDS, build_pipeline

INDEX = "index"
TOO_FEW_POSITIVES = "too few positive outcomes to learn from"


@dataclass(frozen=True)
class LabelledRows:
    rows: list[Row]
    labels: list[bool]

    @property
    def positives(self) -> int:
        return sum(self.labels)


@dataclass(frozen=True)
class BacktestReport:
    train_cutoffs: list[date]
    test_cutoff: date
    horizon_years: int
    train_rows: int
    train_positives: int
    test_rows: int
    test_positives: int
    # "index" always; a learned kind only when there were enough positives to train it.
    candidates: dict[str, CandidateMetrics] = field(default_factory=dict)
    # The learned candidates as fitted on the training cutoffs, and the held-out rows they were
    # measured on: for importance and bias checks on data no model has seen.
    fitted: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    test: LabelledRows = field(
        default_factory=lambda: LabelledRows([], []), repr=False, compare=False
    )
    # The training rows too: the final fit learns from them and the test rows, computed once.
    train: LabelledRows = field(
        default_factory=lambda: LabelledRows([], []), repr=False, compare=False
    )


@dataclass(frozen=True)
class ModelChoice:
    name: str
    reason: str


def labelled_rows(
    firms: Sequence[FirmFacts], cutoffs: Sequence[date], horizon: int
) -> LabelledRows:
    """One row per firm and cutoff: firms founded before it and not yet at a milestone."""
    rows: list[Row] = []
    labels: list[bool] = []
    for cutoff in cutoffs:
        for firm in firms:
            label = reached_milestone(firm, cutoff, horizon)
            if label is not None and existed_before(firm, cutoff):
                rows.append(features_as_of(firm, cutoff))
                labels.append(label)
    return LabelledRows(rows, labels)


def check_windows(train_cutoffs: Sequence[date], test_cutoff: date, horizon: int) -> None:
    """Every training outcome must be settled by the test cutoff, or training sees test years."""
    if not train_cutoffs:
        raise ValueError("at least one training cutoff is needed")
    for cutoff in train_cutoffs:
        if add_years(cutoff, horizon) > test_cutoff:
            raise ValueError(
                f"the label window of training cutoff {cutoff} ends after the test cutoff "
                f"{test_cutoff}: training would overlap the test period"
            )


def backtest(
    firms: Sequence[FirmFacts],
    train_cutoffs: list[date],
    test_cutoff: date,
    horizon_years: int = DEFAULT_HORIZON_YEARS,
) -> BacktestReport:
    """Train on the training cutoffs, score the test cutoff's rows, compare on those rows only.

    The index ranks within the test cohort, so it needs no training rows at all.
    """
    check_windows(train_cutoffs, test_cutoff, horizon_years)
    train = labelled_rows(firms, train_cutoffs, horizon_years)
    test = labelled_rows(firms, [test_cutoff], horizon_years)
    candidates = {INDEX: candidate_metrics(test.labels, index_scores(test.rows))}
    fitted: dict[str, Any] = {}
    if train.positives >= MIN_POSITIVES:
        train_matrix, test_matrix = rows_to_matrix(train.rows), rows_to_matrix(test.rows)
        for kind in MODEL_KINDS:
            fitted[kind] = build_pipeline(kind).fit(train_matrix, train.labels)
            scores = fitted[kind].predict_proba(test_matrix)[:, 1]
            candidates[kind] = candidate_metrics(test.labels, scores.tolist())
    return BacktestReport(
        train_cutoffs=list(train_cutoffs),
        test_cutoff=test_cutoff,
        horizon_years=horizon_years,
        train_rows=len(train.rows),
        train_positives=train.positives,
        test_rows=len(test.rows),
        test_positives=test.positives,
        candidates=candidates,
        fitted=fitted,
        test=test,
        train=train,
    )


def choose_model(report: BacktestReport) -> ModelChoice:
    """The learned candidate with the best held-out average precision, if it beats the index.

    Average precision rewards ranking the firms that later reach a milestone at the top, which is
    what managers act on. A tie keeps the index: at equal accuracy, the explainable score wins.
    """
    if report.train_positives < MIN_POSITIVES:
        return ModelChoice(INDEX, TOO_FEW_POSITIVES)
    index_precision = report.candidates[INDEX].average_precision
    learned = [kind for kind in MODEL_KINDS if kind in report.candidates]
    best = max(learned, key=lambda kind: report.candidates[kind].average_precision)
    best_precision = report.candidates[best].average_precision
    if best_precision > index_precision:
        return ModelChoice(
            best, f"average precision {best_precision:.3f} beats the index's {index_precision:.3f}"
        )
    return ModelChoice(
        INDEX, f"no learned model beats the index's average precision {index_precision:.3f}"
    )

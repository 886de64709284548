"""The JSON shapes of /api/v1/pipeline: the ranked firms with the reasons for their scores."""

from datetime import date
from typing import Self

from pydantic import ConfigDict, Field

from crm.api.schema import Shape, TimestampWithoutZ
from crm.pipeline.ranking import PipelinePage, PipelineRow, key_text
from crm.pipeline.reasons import ReasonWords
from crm.pipeline.versions import card_summary
from models import ModelVersion, Tier


class Reason(Shape):
    # Kept as the scorer stored it (scoring/explain.py), with the words added for the reader: the
    # parts an older scorer did not store stay unset, and so out of the answer, as they were.
    model_config = ConfigDict(extra="allow")

    feature: str
    effect: float = Field(description="Change in the score this factor makes (docs/scoring.md)")
    percentile: float | None = None
    scope: str | None = Field(None, json_schema_extra={"enum": ["track", "cohort", None]})
    category: str | None = None
    words: str = Field(description="In the caller's language")
    raises: bool


class Override(Shape):
    """A leader's decision beside the model's: a tier set by hand, or the firm on watch."""

    tier: Tier | None
    watch: bool
    reason: str


class PipelineItem(Shape):
    enterprise_id: int
    name: str
    score: float = Field(ge=0, le=1)
    rank: int
    percentile: float
    change: float | None = Field(description="Since the firm's score in the run before")
    tier: Tier
    suggested_tier: Tier
    override: Override | None
    reasons: list[Reason]
    model_version: str | None

    @classmethod
    def of(cls, row: PipelineRow, wording: ReasonWords, model_version: str | None) -> Self:
        return cls(
            enterprise_id=row.enterprise.id,
            name=row.enterprise.name,
            score=round(row.score.score, 6),
            rank=row.score.rank,
            percentile=round(row.score.percentile, 6),
            change=None if row.change is None else round(row.change, 6),
            tier=row.enterprise.tier,
            suggested_tier=row.suggested_tier,
            override=None if row.override is None else Override.model_validate(row.override),
            reasons=[Reason.model_validate(reason) for reason in wording(row.score.reasons)],
            model_version=model_version,
        )


class Pipeline(Shape):
    """Ranked firms, best first."""

    items: list[PipelineItem]
    total: int | None = Field(
        description="Firms in view when the run scored them; null where the run's tally cannot "
        "say (a search)"
    )
    next: str | None = Field(description="Pass as ?after=")
    page: int
    limit: int
    scored_at: TimestampWithoutZ | None
    model_version: str | None

    @classmethod
    def of(cls, shown: PipelinePage, wording: ReasonWords, page: int, limit: int) -> Self:
        run = shown.run
        model_version = run.scorer if run else None
        return cls(
            items=[PipelineItem.of(row, wording, model_version) for row in shown.rows],
            total=shown.total,
            next=key_text(shown.next_key),
            page=page,
            limit=limit,
            scored_at=run.scored_at if run else None,
            model_version=model_version,
        )


class Interval(Shape):
    estimate: float
    low: float = Field(description="Lower bound of the 95% bootstrap interval")
    high: float


class GateRow(Shape):
    """The chosen candidate's gain over the index at one test cut-off."""

    cutoff: date
    average_precision: Interval
    roc_auc: Interval


class CalibrationRow(Shape):
    """What the chosen candidate predicted at one test cut-off against what came."""

    cutoff: date
    mean_predicted: float
    observed_rate: float
    brier_score: float
    base_rate_brier_score: float = Field(
        description="Brier score of predicting the observed rate for every firm"
    )
    expected_calibration_error: float


class ModelCard(Shape):
    """A training run's card (docs/scoring.md). Cards written before the publish gate lack the
    validation, gate and calibration keys; keys added later pass through."""

    model_config = ConfigDict(extra="allow")

    kind: str
    choice: str
    choice_reason: str
    horizon_years: int
    train_cutoffs: list[date] = Field(description="The fitting cut-offs")
    validation_cutoff: date | None = None
    test_cutoffs: list[date] = Field(default_factory=list)
    test_cutoff: date = Field(description="The latest test cut-off")
    final_fit_cutoffs: list[date]
    calibration_cutoff: date | None = None
    base_rate_cutoffs: list[date] = Field(
        default_factory=list, description="The settled cut-offs whose pooled rate is base_rate"
    )
    base_rate: float | None = Field(
        None, description="The mean probability the final model was anchored to at calibration"
    )
    features: list[str]
    train_rows: int
    train_positives: int
    validation_rows: int | None = None
    validation_positives: int | None = None
    test_rows: int
    test_positives: int
    metrics: dict[str, float] = Field(description="The chosen candidate at the latest test cut-off")
    index_metrics: dict[str, float]
    gate: list[GateRow] = Field(default_factory=list)
    calibration: list[CalibrationRow] = Field(default_factory=list)
    trained_at: str
    sklearn_version: str
    numpy_version: str
    python_version: str


class ModelVersionSummary(Shape):
    id: int
    label: str
    kind: str | None
    state: str
    beats_index: bool
    choice_reason: str | None
    published_at: str | None
    card: ModelCard | None = Field(description="Null until the training run has finished")

    @classmethod
    def of(cls, version: ModelVersion) -> Self:
        return cls.model_validate({**card_summary(version), "card": version.card or None})


class ActiveModel(Shape):
    """The live version, or the index with the latest training run beside it."""

    # The index's answer and a version's carry different keys (those set), as they always have.
    kind: str
    label: str
    reason: str | None = Field(None, description="Only when the index is live: why")
    latest_training: ModelVersionSummary | None = None
    id: int | None = None
    state: str | None = None
    beats_index: bool | None = None
    choice_reason: str | None = None
    published_at: str | None = None
    card: ModelCard | None = None

"""The JSON shapes of /api/v1/pipeline: the ranked firms with the reasons for their scores."""

from typing import Self

from pydantic import ConfigDict, Field

from crm.api.schema import Shape, TimestampWithoutZ
from crm.pipeline.ranking import PipelinePage, PipelineRow, key_text
from crm.pipeline.reasons import ReasonWords
from models import Tier


class Reason(Shape):
    # Kept as the scorer stored it (scoring/explain.py), with the words added for the reader.
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

    def answer_json(self) -> dict[str, object]:
        # Unset: a reason's parts an older scorer did not store stay out, as they were.
        return self.model_dump(mode="json", exclude_unset=True)

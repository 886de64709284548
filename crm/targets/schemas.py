"""The JSON shapes of /api/v1/targets: each target's progress, as the dashboard counts it."""

from datetime import date
from typing import Self

from pydantic import Field

from crm.api.schema import Shape, TimestampWithoutZ
from crm.dashboard.filters import DashboardFilter
from crm.dashboard.snapshots import DashboardFigures, TargetCard


class TargetDefinition(Shape):
    """What is counted: the query over the data, in words and as data."""

    text: str
    measure: str = Field(json_schema_extra={"enum": ["firms", "figure_sum"]})
    tier_at_least: str | None
    designations: list[str]
    figure: str | None
    per_year: bool
    since_year: int | None


class TrendPoint(Shape):
    on: date
    value: int


class TargetProgress(Shape):
    key: str = Field(examples=["new_track"])
    title: str = Field(description="In the caller's language")
    definition: TargetDefinition
    value: int = Field(description="Today, for the firms in view")
    target: float = Field(
        description="The goal; with a zone, sub-district or track, the share of the district "
        "goal in proportion to the firms in view"
    )
    district_target: int
    baseline: date = Field(
        description="The pace is measured from this day (the plan's eve, or the first firm's "
        "entry if later)"
    )
    deadline: date
    projected: float = Field(description="At the deadline, at today's pace")
    on_pace: bool | None = Field(
        description="null when the goal is 0 (a zone, sub-district or track without firms)"
    )
    owner: str | None = Field(description="Department slug")
    trend: list[TrendPoint] = Field(
        description="Value at each quarter end since the plan began, then today"
    )

    @classmethod
    def of(cls, card: TargetCard) -> Self:
        return cls.from_row(
            card,
            definition=TargetDefinition.model_validate(card.definition),
            target=round(card.goal, 2),
            district_target=int(card.district_goal),
            projected=round(card.projected, 2),
            trend=[TrendPoint(on=day, value=value) for day, value in card.trend],
        )


class Targets(Shape):
    """The targets, in the admin's order."""

    as_of: date
    zone: str | None
    sub_district: str | None
    track: str | None
    computed_at: TimestampWithoutZ = Field(
        description="When the figures were counted (UTC): they are refreshed every few minutes"
    )
    items: list[TargetProgress]

    @classmethod
    def of(cls, filters: DashboardFilter, figures: DashboardFigures) -> Self:
        return cls(
            as_of=filters.today,
            zone=filters.zone or None,
            sub_district=filters.sub_district or None,
            track=filters.track or None,
            computed_at=figures.computed_at.replace(microsecond=0),  # whole seconds, as always
            items=[TargetProgress.of(card) for card in figures.cards],
        )

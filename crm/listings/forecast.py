"""How many firms will be listed by the target date: listed so far plus, for each stage, the
firms there times the chance a firm at that stage lists in the days left. Pure arithmetic: the
counts come from crm.listings.funnel, so the method is tested without a database.

The chance comes from the district's own record when it holds enough of it (MIN_OBSERVATIONS
tracks that entered the stage at least the days left ago: the share of them that listed within
that many days), otherwise from the typical course of a listing (TYPICAL, docs/listings.md).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from models.listing import ListingStage

MIN_OBSERVATIONS = 20
RECORDED, TYPICAL_COURSE = "recorded", "typical"


@dataclass(frozen=True)
class Typical:
    eventual_share: float  # of the firms at this stage, the share that ever lists
    days_to_listing: int  # how long the rest of the road usually takes


# The typical course of an A-share listing (docs/listings.md explains each figure): registration
# and listing follow approval within weeks; from an accepted application, months of inquiry.
TYPICAL: dict[ListingStage, Typical] = {
    ListingStage.CANDIDATE: Typical(0.10, 4 * 365),
    ListingStage.SHAREHOLDING_REFORM: Typical(0.20, 3 * 365),
    ListingStage.SPONSOR_SIGNED: Typical(0.30, 2 * 365),
    ListingStage.TUTORING_FILED: Typical(0.40, 540),
    ListingStage.APPLICATION_ACCEPTED: Typical(0.55, 365),
    ListingStage.INQUIRY: Typical(0.65, 240),
    ListingStage.APPROVED: Typical(0.95, 45),
}


@dataclass(frozen=True)
class Record:
    """Tracks that entered a stage at least the days left before today, and how many of them
    were listed within that many days of entering it."""

    observed: int
    listed_within: int


@dataclass(frozen=True)
class StageForecast:
    stage: ListingStage
    firm_count: int
    probability: float
    expected: float
    source: str  # RECORDED or TYPICAL_COURSE
    observed: int


@dataclass(frozen=True)
class Forecast:
    listed: int
    goal: int
    days_left: int
    stages: list[StageForecast]

    @property
    def expected_total(self) -> float:
        return self.listed + sum(row.expected for row in self.stages)

    @property
    def expected_gap(self) -> float:
        """How far the expected count falls short of the goal (0 when it reaches it)."""
        return max(0.0, self.goal - self.expected_total)


def stage_probability(
    stage: ListingStage, days_left: int, record: Record | None
) -> tuple[float, str]:
    """The chance a firm now at `stage` is listed within `days_left` days, and its source."""
    if days_left <= 0:
        return 0.0, TYPICAL_COURSE if record is None else RECORDED
    if record is not None and record.observed >= MIN_OBSERVATIONS:
        return record.listed_within / record.observed, RECORDED
    typical = TYPICAL.get(stage)
    if typical is None:
        return 0.0, TYPICAL_COURSE
    return typical.eventual_share * min(1.0, days_left / typical.days_to_listing), TYPICAL_COURSE


def forecast(
    listed: int,
    goal: int,
    today: date,
    target_day: date,
    firm_counts: Mapping[ListingStage, int],
    records: Mapping[ListingStage, Record],
) -> Forecast:
    days_left = max(0, (target_day - today).days)
    rows = []
    for stage in TYPICAL:
        count = firm_counts.get(stage, 0)
        probability, source = stage_probability(stage, days_left, records.get(stage))
        record = records.get(stage)
        rows.append(
            StageForecast(
                stage,
                count,
                probability,
                count * probability,
                source,
                record.observed if record else 0,
            )
        )
    return Forecast(listed, goal, days_left, rows)

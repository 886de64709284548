"""Progress to a target: its value on any day, the trend by quarter, and the pace to the deadline.

The rules (docs/dashboard.md says them in words):
- a firm counts from the day it entered the reservoir, at the tier it had that day (tier
  changes come from the audit log) and with the designations awarded by then;
- a yearly figure counts from the end of its year (Dec 31), when the year is complete;
- the pace is linear: the gain since the plan began, per day, carried on to the deadline.
  A per-year figure is projected from its last two complete years instead.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from crm.dashboard.facts import FirmFacts
from crm.dashboard.filters import PLAN_START, quarter_start
from models import Target, TargetMeasure, Tier

TIERS_UPWARD = tuple(Tier)  # declared from the reservoir upwards
TIER_RANK = {tier: rank for rank, tier in enumerate(TIERS_UPWARD)}


def last_complete_year(day: date) -> int:
    return day.year if (day.month, day.day) == (12, 31) else day.year - 1


def counted_years(target: Target, day: date) -> range:
    last = last_complete_year(day)
    if target.is_per_year:
        return range(last, last + 1)
    return range(target.since_year or PLAN_START.year, last + 1)


def firm_value(target: Target, firm: FirmFacts, day: date) -> int:
    """What one firm adds to the target's value at the end of `day`."""
    if target.measure == TargetMeasure.FIGURE_SUM:
        values = firm.figures.get(target.figure or "", {})
        return sum(values.get(year, 0) for year in counted_years(target, day))
    if firm.entered_on > day:
        return 0
    floor = target.tier_at_least
    if floor and TIER_RANK[firm.tier_on(day)] < TIER_RANK[Tier(floor)]:
        return 0
    if target.designations and not any(firm.holds_on(d, day) for d in target.designations):
        return 0
    return 1


def value_on(target: Target, firms: Iterable[FirmFacts], day: date) -> int:
    return sum(firm_value(target, firm, day) for firm in firms)


def quarter_ends(today: date) -> list[date]:
    """The last day of each quarter since the plan began, and today for the running quarter."""
    days: list[date] = []
    start = quarter_start(PLAN_START)
    while start <= today:
        end = quarter_start(start + timedelta(days=100)) - timedelta(days=1)
        days.append(min(end, today))
        start = end + timedelta(days=1)
    return days


@dataclass(frozen=True)
class TargetProgress:
    target: Target
    value: int  # today
    goal: float  # the district goal, or the share of it that falls to the firms in view
    baseline: date  # the day the pace is measured from
    start_value: int  # on that day
    trend: list[tuple[date, int]]  # (quarter end or today, value)
    projected: float  # at the deadline, at the current pace
    by_zone: dict[int, int]  # zone id -> value today
    by_sub_district: dict[int, int]

    @property
    def reached(self) -> float:
        """Share of the goal reached (may pass 1)."""
        return self.value / self.goal if self.goal else 0.0

    @property
    def on_pace(self) -> bool | None:
        """None when there is no goal to reach: a zone or track without firms."""
        return self.projected >= self.goal if self.goal else None


def baseline_day(firms: list[FirmFacts]) -> date:
    """The day before the plan began, or the day the first firm in view was entered if later.

    A reservoir loaded in bulk after the plan began has no history before the load: counting
    its whole stock as gain since 2025 would show every target on pace.
    """
    plan_eve = PLAN_START - timedelta(days=1)
    return max([plan_eve, min((firm.entered_on for firm in firms), default=plan_eve)])


def progress(
    target: Target, firms: list[FirmFacts], today: date, scope_share: float = 1.0
) -> TargetProgress:
    """`scope_share`: the firms in view as a share of all the district's firms; the goal of a
    zone or sub-district is the district goal in that proportion."""
    value = 0
    by_zone: dict[int, int] = defaultdict(int)
    by_sub_district: dict[int, int] = defaultdict(int)
    for firm in firms:
        if contribution := firm_value(target, firm, today):
            value += contribution
            by_zone[firm.zone_id] += contribution
            by_sub_district[firm.sub_district_id] += contribution
    baseline = baseline_day(firms)
    start_value = value_on(target, firms, baseline)
    return TargetProgress(
        target=target,
        value=value,
        goal=target.goal * scope_share,
        baseline=baseline,
        start_value=start_value,
        trend=[(day, value_on(target, firms, day)) for day in quarter_ends(today)],
        projected=_projected(target, firms, today, value, (baseline, start_value)),
        by_zone=dict(by_zone),
        by_sub_district=dict(by_sub_district),
    )


def _projected(
    target: Target, firms: list[FirmFacts], today: date, value: int, start: tuple[date, int]
) -> float:
    if target.deadline <= today:
        return float(value_on(target, firms, target.deadline))
    if target.measure == TargetMeasure.FIGURE_SUM and target.is_per_year:
        last = last_complete_year(today)
        before = value_on(target, firms, date(last - 1, 12, 31))
        return float(value + (value - before) * (target.deadline.year - last))
    baseline, start_value = start
    elapsed = (today - baseline).days
    if elapsed <= 0:
        return float(value)
    per_day = (value - start_value) / elapsed
    return value + per_day * (target.deadline - today).days

"""Progress to a target: its value on any day, the trend by quarter, and the pace to the deadline.

The rules (docs/dashboard.md says them in words):
- a firm counts from the day it entered the reservoir, at the tier it had that day (tier
  changes come from the audit log) and with the designations awarded by then;
- a yearly figure counts from the end of its year (Dec 31), when the year is complete;
- the pace is linear: the gain since the plan began, per day, carried on to the deadline.
  A per-year figure is projected from its last two complete years instead.

`firm_value` states the rule for one firm. Counting applies it set-wise, once per target: a firm
whose tier never changed counts from one day on (its start day), so the value on any day is the
number of start days up to it; the few firms with a tier history are counted day by day; figure
targets add up the SQL totals per year (facts.FigureTotals).
"""

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate, chain

from crm.dashboard.facts import FigureTotals, FirmFacts
from crm.dashboard.filters import PLAN_START, quarter_start
from models import Target, TargetMeasure, Tier

StartRow = tuple[int, int, date, int]  # zone id, sub-district id, start day, firms

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


def baseline_day(firms: list[FirmFacts], first_entered: date | None = None) -> date:
    """The day before the plan began, or the day the first firm in view was entered if later.

    A reservoir loaded in bulk after the plan began has no history before the load: counting
    its whole stock as gain since 2025 would show every target on pace.
    """
    plan_eve = PLAN_START - timedelta(days=1)
    entries = [firm.entered_on for firm in firms] + ([first_entered] if first_entered else [])
    return max([plan_eve, min(entries, default=plan_eve)])


class TargetCounter:
    """A target's value on any day and by place today, for the firms in view: `firms` read one by
    one, plus `counted`, the start days SQL counted for the others (start_days.start_rows)."""

    def __init__(
        self,
        target: Target,
        firms: list[FirmFacts],
        totals: FigureTotals,
        today: date,
        counted: Sequence[StartRow] = (),
    ) -> None:
        self.target, self.totals = target, totals
        self.changing: list[FirmFacts] = []  # firms with a tier history: counted day by day
        self.by_zone: Counter[int] = Counter()  # today
        self.by_sub_district: Counter[int] = Counter()
        starts: Counter[date] = Counter()
        own: list[StartRow] = []  # start days of the firms in `firms` whose tier never changed
        if target.measure == TargetMeasure.FIGURE_SUM:
            years, figure = counted_years(target, today), target.figure or ""
            self.by_zone.update(totals.by_place(figure, years, "zone"))
            self.by_sub_district.update(totals.by_place(figure, years, "sub"))
            counted = ()
            firms = []
        for firm in firms:
            if firm.tier_changes:
                self.changing.append(firm)
                if firm_value(target, firm, today):
                    self.by_zone[firm.zone_id] += 1
                    self.by_sub_district[firm.sub_district_id] += 1
            elif (start := start_day(target, firm)) is not None:
                own.append((firm.zone_id, firm.sub_district_id, start, 1))
        for zone_id, sub_district_id, start, count in chain(counted, own):
            starts[start] += count
            if start <= today:
                self.by_zone[zone_id] += count
                self.by_sub_district[sub_district_id] += count
        self.days = sorted(starts)
        self.running = list(accumulate(starts[day] for day in self.days))  # firms by each day

    def value_on(self, day: date) -> int:
        target = self.target
        if target.measure == TargetMeasure.FIGURE_SUM:
            return self.totals.sum(target.figure or "", counted_years(target, day))
        changing = sum(firm_value(target, firm, day) for firm in self.changing)
        index = bisect_right(self.days, day)
        return (self.running[index - 1] if index else 0) + changing


def start_day(target: Target, firm: FirmFacts) -> date | None:
    """The day a firm without tier changes starts counting for a firms target, if ever."""
    floor = target.tier_at_least
    if floor and TIER_RANK[firm.tier] < TIER_RANK[Tier(floor)]:
        return None
    if not target.designations:
        return firm.entered_on
    awards = [
        firm.designations[name] or firm.entered_on
        for name in target.designations
        if name in firm.designations
    ]
    return max(firm.entered_on, min(awards)) if awards else None


def progress(
    target: Target,
    firms: list[FirmFacts],
    today: date,
    scope_share: float = 1.0,
    totals: FigureTotals | None = None,
    counted: Sequence[StartRow] = (),
    first_entered: date | None = None,
) -> TargetProgress:
    """`scope_share`: the firms in view as a share of all the district's firms; the goal of a
    zone or sub-district is the district goal in that proportion. `totals` default to the sums
    of the firms' own figures; `counted` and `first_entered` tell of firms not in `firms`."""
    totals = FigureTotals.of_firms(firms) if totals is None else totals
    counter = TargetCounter(target, firms, totals, today, counted)
    value = counter.value_on(today)
    baseline = baseline_day(firms, first_entered)
    start_value = counter.value_on(baseline)
    return TargetProgress(
        target=target,
        value=value,
        goal=target.goal * scope_share,
        baseline=baseline,
        start_value=start_value,
        trend=[(day, counter.value_on(day)) for day in quarter_ends(today)],
        projected=_projected(counter, today, value, (baseline, start_value)),
        by_zone=dict(counter.by_zone),
        by_sub_district=dict(counter.by_sub_district),
    )


def _projected(counter: TargetCounter, today: date, value: int, start: tuple[date, int]) -> float:
    target = counter.target
    if target.deadline <= today:
        return float(counter.value_on(target.deadline))
    if target.measure == TargetMeasure.FIGURE_SUM and target.is_per_year:
        last = last_complete_year(today)
        before = counter.value_on(date(last - 1, 12, 31))
        return float(value + (value - before) * (target.deadline.year - last))
    baseline, start_value = start
    elapsed = (today - baseline).days
    if elapsed <= 0:
        return float(value)
    per_day = (value - start_value) / elapsed
    return value + per_day * (target.deadline - today).days

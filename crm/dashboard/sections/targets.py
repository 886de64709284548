"""The targets section: progress of every live target for the firms in view.

Edited firms (whose tier may have changed) are read one by one (facts.load_facts); for the
others SQL counts the day each began to count (`start_rows`): a firm never edited has had
today's tier since it entered the reservoir, so it counts from its entry, or from its first
award of a designation the target asks for if later.
"""

from datetime import date
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Date, Select, case, func, select, type_coerce

from crm.dashboard.facts import FIRM_EDITS, figure_totals, load_facts
from crm.dashboard.filters import LIVE_OPERATING, PLAN_START, DashboardFilter
from crm.dashboard.memo import once
from crm.dashboard.report import Chart, Section, Series, Table
from crm.reference import all_of
from crm.targets.definitions import describe
from crm.targets.progress import (
    TIER_RANK,
    TIERS_UPWARD,
    StartRow,
    TargetProgress,
    last_complete_year,
    progress,
)
from models import (
    AuditEntry,
    Designation,
    Enterprise,
    EnterpriseDesignation,
    SubDistrict,
    Target,
    TargetMeasure,
    Tier,
    Zone,
    db,
)


def live_targets() -> list[Target]:
    return list(
        db.session.scalars(
            select(Target).where(Target.deleted_at.is_(None)).order_by(Target.position, Target.id)
        )
    )


def scope_share(filters: DashboardFilter, firms_in_view: int) -> float:
    """The firms in view as a share of all the district's operating firms."""
    if not filters.is_scoped:
        return 1.0
    total = db.session.scalar(select(func.count(Enterprise.id)).where(*LIVE_OPERATING)) or 0
    return firms_in_view / total if total else 0.0


def target_progress(filters: DashboardFilter) -> list[TargetProgress]:
    return once(("targets", filters.firms_key), lambda: _target_progress(filters))


def _target_progress(filters: DashboardFilter) -> list[TargetProgress]:
    """Edited firms (their tier may have changed) are read one by one; SQL counts the rest."""
    in_view = filters.firm_clauses()
    firm_count, first_entered_at = db.session.execute(
        select(func.count(Enterprise.id), func.min(Enterprise.created_at)).where(*in_view)
    ).one()
    edited = load_facts([*filters.place_clauses(), Enterprise.id.in_(edited_firm_ids())])
    never_edited = [*in_view, Enterprise.id.not_in(edited_firm_ids())]
    targets = live_targets()
    totals = figure_totals(filters.place_clauses(), first_counted_year(targets, filters.today))
    share = scope_share(filters, firm_count)
    first_entered = first_entered_at.date() if first_entered_at else None
    return [
        progress(
            target,
            edited,
            filters.today,
            share,
            totals,
            counted=[]
            if target.measure == TargetMeasure.FIGURE_SUM
            else start_rows(target, never_edited),
            first_entered=first_entered,
        )
        for target in targets
    ]


def first_counted_year(targets: list[Target], today: date) -> int:
    """The earliest year any figure target reads: a cumulative one from its first year; a
    per-year one at the plan's eve, at its deadline, and the year before today's last (its pace)."""
    years = [PLAN_START.year - 1, last_complete_year(today) - 1]
    for target in targets:
        if target.is_per_year:
            years.append(last_complete_year(target.deadline))
        else:
            years.append(target.since_year or PLAN_START.year)
    return min(years)


def target_section(rows: list[TargetProgress], filters: DashboardFilter, locale: str) -> Section:
    titles = [row.target.title_for(locale) for row in rows]
    days = [day for day, _value in rows[0].trend] if rows else []
    quarters = [
        _("%(year)s Q%(quarter)s", year=day.year, quarter=(day.month - 1) // 3 + 1) for day in days
    ]
    status = Table(
        key="targets",
        title=_("Progress to the targets"),
        columns=[
            _("Target"),
            _("Now"),
            _("Goal"),
            _("Reached"),
            _("Projected at the deadline"),
            _("Deadline"),
            _("On pace"),
            _("Owner"),
            _("Definition"),
        ],
        rows=[
            [
                title,
                row.value,
                round(row.goal, 1),
                row.reached,
                round(row.projected, 1),
                format_date(row.target.deadline),
                pace_word(row.on_pace),
                row.target.owner.name_for(locale) if row.target.owner else "",
                describe(row.target),
            ]
            for title, row in zip(titles, rows, strict=True)
        ],
        chart=Chart(
            kind="bar",
            labels=titles,
            series=[Series(_("Share of the goal reached"), [round(r.reached, 4) for r in rows])],
            percent=True,
        ),
        percent_columns=frozenset({3}),
        note=_(
            "The pace carries the gain since %(start)s on to the deadline; a target is on pace "
            "when that projection reaches the goal.",
            start=format_date(rows[0].baseline if rows else PLAN_START),
        ),
    )
    trend = Table(
        key="trend",
        title=_("Trend by quarter"),
        columns=[_("Target"), *quarters],
        rows=[
            [title, *[value for _day, value in row.trend]]
            for title, row in zip(titles, rows, strict=True)
        ],
        chart=Chart(
            kind="line",
            labels=quarters,
            series=[
                Series(
                    title,
                    [round(value / row.goal, 4) if row.goal else None for _d, value in row.trend],
                )
                for title, row in zip(titles, rows, strict=True)
            ],
            percent=True,
        ),
        note=_(
            "Value at the end of each quarter (the last one: today). The chart shows each "
            "value as a share of its goal, so targets of different sizes fit one picture."
        ),
    )
    return Section(
        key="targets",
        title=_("Targets"),
        tables=[status, trend, *_breakdowns(rows, titles, locale, filters)],
    )


def pace_word(on_pace: bool | None) -> str:
    return "—" if on_pace is None else _("Yes") if on_pace else _("No")


def _breakdowns(
    rows: list[TargetProgress], titles: list[str], locale: str, filters: DashboardFilter
) -> list[Table]:
    """Every target per zone and per sub-district, for the places with firms in view."""
    in_view = filters.firm_clauses()
    zones = set(db.session.scalars(select(Enterprise.zone_id).where(*in_view).distinct()))
    subs = set(db.session.scalars(select(Enterprise.sub_district_id).where(*in_view).distinct()))
    tables = []
    for key, title, places, attribute in (
        ("by_zone", _("By zone"), [z for z in all_of(Zone) if z.id in zones], "by_zone"),
        (
            "by_sub_district",
            _("By sub-district"),
            [sub for sub in all_of(SubDistrict) if sub.id in subs],
            "by_sub_district",
        ),
    ):
        tables.append(
            Table(
                key=key,
                title=title,
                columns=[_("Place"), *titles],
                rows=[
                    [
                        place.name_for(locale),
                        *[getattr(row, attribute).get(place.id, 0) for row in rows],
                    ]
                    for place in places
                ],
                note=_("Values today, for the firms in view."),
            )
        )
    return tables


def edited_firm_ids() -> Select[Any]:
    return select(AuditEntry.entity_id).where(*FIRM_EDITS)


def start_rows(target: Target, clauses: list[ColumnElement[bool]]) -> list[StartRow]:
    """`clauses`: the never-edited firms in view."""
    entered = func.date(Enterprise.created_at)
    where = list(clauses)
    if target.tier_at_least:
        where.append(Enterprise.tier.in_(TIERS_UPWARD[TIER_RANK[Tier(target.tier_at_least)] :]))
    if not target.designations:
        start = type_coerce(entered, Date)
        grouped = (
            select(Enterprise.zone_id, Enterprise.sub_district_id, start, func.count())
            .where(*where)
            .group_by(Enterprise.zone_id, Enterprise.sub_district_id, start)
        )
    else:
        award = func.min(func.coalesce(EnterpriseDesignation.awarded_on, entered))
        per_firm = (
            select(
                Enterprise.zone_id,
                Enterprise.sub_district_id,
                entered.label("entered_on"),
                award.label("awarded_on"),
            )
            .join(EnterpriseDesignation, EnterpriseDesignation.enterprise_id == Enterprise.id)
            .where(
                *where,
                EnterpriseDesignation.designation.in_(
                    [Designation(d) for d in target.designations]
                ),
            )
            .group_by(
                Enterprise.id, Enterprise.zone_id, Enterprise.sub_district_id, Enterprise.created_at
            )
            .subquery()
        )
        later = case(
            (per_firm.c.awarded_on > per_firm.c.entered_on, per_firm.c.awarded_on),
            else_=per_firm.c.entered_on,
        )
        start = type_coerce(later, Date)
        grouped = select(
            per_firm.c.zone_id, per_firm.c.sub_district_id, start, func.count()
        ).group_by(per_firm.c.zone_id, per_firm.c.sub_district_id, start)
    return [(zone, sub, day, count) for zone, sub, day, count in db.session.execute(grouped)]

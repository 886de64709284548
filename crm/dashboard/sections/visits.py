"""The visit-coverage section: firms in view visited within their cadence."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask_babel import gettext as _
from sqlalchemy import select

from crm.dashboard.filters import DashboardFilter
from crm.dashboard.memo import once
from crm.dashboard.report import Section, Table, bar_chart
from crm.reminders.rules import ReminderSettings, VisitDue, visit_due_dates
from models import Enterprise, SubDistrict, User, db

Group = TypeVar("Group")


@dataclass(frozen=True)
class VisitCoverage(Generic[Group]):
    group: Group  # a sub-district, or a manager (None: firms nobody manages)
    firm_count: int
    visited_in_time_count: int

    @property
    def overdue_count(self) -> int:
        return self.firm_count - self.visited_in_time_count

    @property
    def share(self) -> float | None:
        return self.visited_in_time_count / self.firm_count if self.firm_count else None


def firm_ids_in_view(filters: DashboardFilter) -> set[int]:
    return set(db.session.scalars(select(Enterprise.id).where(*filters.firm_clauses())))


def due_dates_in_view(filters: DashboardFilter, settings: ReminderSettings) -> list[VisitDue]:
    def compute() -> list[VisitDue]:
        in_view = firm_ids_in_view(filters)
        return [firm for firm in visit_due_dates(settings) if firm.enterprise_id in in_view]

    # Within one refresh the settings are the app's, the same for every snapshot.
    return once(("visit_due", filters.firms_key), compute)


def _coverage(due_dates: list[VisitDue], filters: DashboardFilter) -> tuple[int, int]:
    # The reminders' own rule: a visit due today is not late yet, one due yesterday is.
    return len(due_dates), sum(1 for firm in due_dates if firm.due_on >= filters.today)


def visit_coverage_by_sub_district(
    filters: DashboardFilter, settings: ReminderSettings, due: list[VisitDue] | None = None
) -> list[VisitCoverage[SubDistrict]]:
    """Sub-districts with firms in view, in their official order."""
    by_sub_district: dict[int, list[VisitDue]] = defaultdict(list)
    for firm in due_dates_in_view(filters, settings) if due is None else due:
        by_sub_district[firm.sub_district_id].append(firm)
    sub_districts = db.session.scalars(
        select(SubDistrict)
        .where(SubDistrict.id.in_(by_sub_district))
        .order_by(SubDistrict.position, SubDistrict.id)
    )
    return [
        VisitCoverage(sub, *_coverage(by_sub_district[sub.id], filters)) for sub in sub_districts
    ]


def visit_coverage_by_manager(
    filters: DashboardFilter, settings: ReminderSettings, due: list[VisitDue] | None = None
) -> list[VisitCoverage[User | None]]:
    """Managers with firms in view, lowest coverage first (then by name); unmanaged firms last."""
    by_manager: dict[int | None, list[VisitDue]] = defaultdict(list)
    for firm in due_dates_in_view(filters, settings) if due is None else due:
        by_manager[firm.manager_id].append(firm)
    managers = db.session.scalars(select(User).where(User.id.in_(k for k in by_manager if k)))
    rows: list[VisitCoverage[User | None]] = [
        VisitCoverage(user, *_coverage(by_manager[user.id], filters)) for user in managers
    ]
    rows.sort(key=_lowest_coverage_first)
    if unmanaged := by_manager.get(None):
        rows.append(VisitCoverage(None, *_coverage(unmanaged, filters)))
    return rows


def _lowest_coverage_first(row: VisitCoverage[User | None]) -> tuple[float, str, int]:
    user = row.group
    return (row.share or 0.0, user.display_name if user else "", user.id if user else 0)


def visit_section(filters: DashboardFilter, settings: ReminderSettings, locale: str) -> Section:
    due = due_dates_in_view(filters, settings)  # the slow part: once for both
    by_sub_district = visit_coverage_by_sub_district(filters, settings, due)
    by_manager = visit_coverage_by_manager(filters, settings, due)
    tables = [
        _visit_table(
            "visits_by_sub_district",
            _("Visit coverage by sub-district"),
            _("Sub-district"),
            [(row.group.name_for(locale), row) for row in by_sub_district],
            _(
                "Operating firms in view whose next visit is not overdue today, its due day "
                "set as the reminders set it (the tier's cadence after the last visit, sooner "
                "if that visit planned one or the score rose sharply), whatever the period."
            ),
        ),
        _visit_table(
            "visits_by_manager",
            _("Visit coverage by account manager"),
            _("Account manager"),
            [
                (row.group.display_name if row.group else _("No account manager"), row)
                for row in by_manager
            ],
            _(
                "The same count per firm's account manager today, lowest coverage first, with "
                "the firms nobody manages last."
            ),
        ),
    ]
    return Section(key="visits", title=_("Visit coverage"), tables=tables)


def _visit_table(
    key: str,
    title: str,
    group_column: str,
    rows: Sequence[tuple[str, VisitCoverage[Any]]],
    note: str,
) -> Table:
    return Table(
        key=key,
        title=title,
        columns=[
            group_column,
            _("Firms"),
            _("Visited within cadence"),
            _("Overdue for a visit"),
            _("Coverage"),
        ],
        rows=[
            [name, row.firm_count, row.visited_in_time_count, row.overdue_count, row.share]
            for name, row in rows
        ],
        chart=bar_chart(rows, [(_("Coverage"), lambda row: row.share)], percent=True),
        note=note,
        percent_columns=frozenset({4}),
    )

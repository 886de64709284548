"""The district's own work for the firms in view: visits kept to cadence, requests answered."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import ColumnElement, select

from crm.dashboard.filters import DashboardFilter
from crm.dashboard.memo import once
from crm.reminders.rules import ReminderSettings, VisitDue, visit_due_dates
from crm.requests.stats import RequestFigures, category_stats, department_stats
from models import Department, Enterprise, EnterpriseRequest, RequestCategory, SubDistrict, User, db

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


@dataclass(frozen=True)
class RequestCoverage(Generic[Group]):
    group: Group  # a department or a category
    open_count: int  # pending today, whenever raised
    overdue_count: int  # pending today and past its due date
    raised_count: int  # raised within the period
    closed_count: int  # of those raised within the period, confirmed closed by now
    closure_rate: float | None
    median_days_to_resolution: float | None


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


def _requests_of_firms_in_view(filters: DashboardFilter) -> ColumnElement[bool]:
    # IN, not a correlated EXISTS: SQLite lists the firms once instead of once per request.
    return EnterpriseRequest.enterprise_id.in_(select(Enterprise.id).where(*filters.firm_clauses()))


def _raised_in_period(filters: DashboardFilter) -> ColumnElement[bool]:
    return EnterpriseRequest.raised_on.between(filters.start, filters.end)


def _combined(
    group: Group, today: RequestFigures, period: RequestFigures
) -> RequestCoverage[Group]:
    return RequestCoverage(
        group=group,
        open_count=today.open_count,
        overdue_count=today.overdue_count,
        raised_count=period.total,
        closed_count=period.closed_count,
        closure_rate=period.closure_rate,
        median_days_to_resolution=period.median_days_to_resolution,
    )


def request_coverage_by_department(filters: DashboardFilter) -> list[RequestCoverage[Department]]:
    """Every department, in its official order, with the requests now routed to it."""
    in_view = _requests_of_firms_in_view(filters)
    today = once(  # only what is pending today shows: no medians
        ("departments", filters.firms_key),
        lambda: department_stats(filters.today, in_view, medians=False),
    )
    period = once(
        ("departments", filters),
        lambda: department_stats(filters.today, in_view, _raised_in_period(filters)),
    )
    return [_combined(now.department, now, then) for now, then in zip(today, period, strict=True)]


def request_coverage_by_category(
    filters: DashboardFilter,
) -> list[RequestCoverage[RequestCategory]]:
    in_view = _requests_of_firms_in_view(filters)
    today = once(
        ("categories", filters.firms_key),
        lambda: category_stats(filters.today, in_view, medians=False),
    )
    period = once(
        ("categories", filters),
        lambda: category_stats(filters.today, in_view, _raised_in_period(filters)),
    )
    return [_combined(now.category, now, then) for now, then in zip(today, period, strict=True)]

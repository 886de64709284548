"""The requests section: pending and overdue today, raised and closed in the period."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, select

from crm.dashboard.filters import DashboardFilter
from crm.dashboard.memo import once
from crm.dashboard.report import Chart, Section, Table, bar_chart
from crm.requests.labels import label as request_label
from crm.requests.stats import RequestFigures, category_stats, department_stats
from models import Department, Enterprise, EnterpriseRequest, RequestCategory

Group = TypeVar("Group")


@dataclass(frozen=True)
class RequestCoverage(Generic[Group]):
    group: Group  # a department or a category
    open_count: int  # pending today, whenever raised
    overdue_count: int  # pending today and past its due date
    raised_count: int  # raised within the period
    closed_count: int  # of those raised within the period, confirmed closed by now
    closure_rate: float | None
    median_days_to_resolution: float | None


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


def _coverage(
    filters: DashboardFilter,
    key: str,
    stats: Callable[..., Sequence[Any]],
    group_of: Callable[[Any], Group],
) -> list[RequestCoverage[Group]]:
    in_view = _requests_of_firms_in_view(filters)
    today = once(  # only what is pending today shows: no medians
        (key, filters.firms_key), lambda: stats(filters.today, in_view, medians=False)
    )
    period = once((key, filters), lambda: stats(filters.today, in_view, _raised_in_period(filters)))
    return [_combined(group_of(now), now, then) for now, then in zip(today, period, strict=True)]


def request_coverage_by_department(filters: DashboardFilter) -> list[RequestCoverage[Department]]:
    """Every department, in its official order, with the requests now routed to it."""
    return _coverage(filters, "departments", department_stats, lambda row: row.department)


def request_coverage_by_category(
    filters: DashboardFilter,
) -> list[RequestCoverage[RequestCategory]]:
    return _coverage(filters, "categories", category_stats, lambda row: row.category)


def request_section(filters: DashboardFilter, locale: str) -> Section:
    by_department = [
        (row.group.name_for(locale), row) for row in request_coverage_by_department(filters)
    ]
    by_category = [(request_label(row.group), row) for row in request_coverage_by_category(filters)]
    department_chart = bar_chart(
        by_department,
        [(_("Pending"), lambda row: row.open_count), (_("Overdue"), lambda row: row.overdue_count)],
    )
    category_chart = bar_chart(
        by_category, [(_("Closure rate"), lambda row: row.closure_rate)], percent=True
    )
    tables = [
        _request_table(
            "requests_by_department",
            _("Requests by department"),
            _("Department"),
            by_department,
            department_chart,
            _(
                "Pending and overdue count the requests of the firms in view as of today; "
                "raised, closed, closure rate (confirmed closed over all raised, rejected ones "
                "included) and median days from raised to resolved count those raised within "
                "the period; each request counts for the department it is routed to now."
            ),
        ),
        _request_table(
            "requests_by_category",
            _("Requests by category"),
            _("Category"),
            by_category,
            category_chart,
            _("The same counts by the category of the request."),
        ),
    ]
    return Section(key="requests", title=_("Requests"), tables=tables)


def _request_table(
    key: str,
    title: str,
    group_column: str,
    rows: Sequence[tuple[str, RequestCoverage[Any]]],
    chart: Chart,
    note: str,
) -> Table:
    return Table(
        key=key,
        title=title,
        columns=[
            group_column,
            _("Pending"),
            _("Overdue"),
            _("Raised in the period"),
            _("Confirmed closed"),
            _("Closure rate"),
            _("Median days to resolution"),
        ],
        rows=[
            [
                name,
                row.open_count,
                row.overdue_count,
                row.raised_count,
                row.closed_count,
                row.closure_rate,
                row.median_days_to_resolution,
            ]
            for name, row in rows
        ],
        chart=chart,
        note=note,
        percent_columns=frozenset({5}),
    )

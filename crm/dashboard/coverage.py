"""The work-coverage sections of the dashboard; visits and requests here, the rest beside."""

from collections.abc import Sequence
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from crm.dashboard import coverage_work
from crm.dashboard.coverage_outcomes import pipeline_section, support_section
from crm.dashboard.coverage_work import RequestCoverage, VisitCoverage
from crm.dashboard.filters import DashboardFilter
from crm.dashboard.report import Chart, Section, Series, Table
from crm.reminders.rules import ReminderSettings
from crm.requests.labels import label as request_label


def coverage_sections(
    filters: DashboardFilter, locale: str, settings: ReminderSettings | None = None
) -> list[Section]:
    """Visits, requests, support and pipeline of the firms in view. `settings` default to the
    app's reminder settings, so the dashboard and the reminders agree on what is overdue."""
    settings = settings or ReminderSettings.from_config(current_app.config)
    return [
        visit_section(filters, settings, locale),
        request_section(filters, locale),
        support_section(filters, locale),
        pipeline_section(filters),
    ]


def visit_section(filters: DashboardFilter, settings: ReminderSettings, locale: str) -> Section:
    due = coverage_work.due_dates_in_view(filters, settings)  # the slow part: once for both
    by_sub_district = coverage_work.visit_coverage_by_sub_district(filters, settings, due)
    by_manager = coverage_work.visit_coverage_by_manager(filters, settings, due)
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
        chart=Chart(
            "bar",
            [name for name, _row in rows],
            [Series(_("Coverage"), [row.share for _name, row in rows])],
            percent=True,
        ),
        note=note,
        percent_columns=frozenset({4}),
    )


def request_section(filters: DashboardFilter, locale: str) -> Section:
    by_department = [
        (row.group.name_for(locale), row)
        for row in coverage_work.request_coverage_by_department(filters)
    ]
    by_category = [
        (request_label(row.group), row)
        for row in coverage_work.request_coverage_by_category(filters)
    ]
    department_chart = Chart(
        "bar",
        [name for name, _row in by_department],
        [
            Series(_("Pending"), [row.open_count for _name, row in by_department]),
            Series(_("Overdue"), [row.overdue_count for _name, row in by_department]),
        ],
    )
    category_chart = Chart(
        "bar",
        [name for name, _row in by_category],
        [Series(_("Closure rate"), [row.closure_rate for _name, row in by_category])],
        percent=True,
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

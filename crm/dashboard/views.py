"""Dashboard pages: the dashboard, its printable report and its XLSX export."""

from flask import Blueprint, abort, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from crm.clock import today, utcnow
from crm.dashboard import exporting
from crm.dashboard.access import can_read_dashboard
from crm.dashboard.filters import DashboardFilter
from crm.dashboard.progress import TargetProgress
from crm.dashboard.report import Section
from crm.dashboard.sections import (
    dashboard_sections,
    filter_error,
    period_labels,
    place_options,
    scope_line,
)
from crm.errors import InvalidInputError
from crm.i18n import current_locale

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


def _dashboard() -> tuple[DashboardFilter, set[str], list[TargetProgress], list[Section]]:
    if not can_read_dashboard(current_user):
        abort(404)
    filters, errors = DashboardFilter.from_args(request.args, today())
    progress, sections = dashboard_sections(filters, current_locale())
    return filters, errors, progress, sections


def _context(filters: DashboardFilter, errors: set[str]) -> dict[str, object]:
    return {
        "filters": filters,
        "filter_errors": {name: filter_error(name) for name in errors},
        "options": place_options(),
        "periods": period_labels(),
        "period_label": period_labels()[filters.period.value],
        "generated_at": utcnow(),
        "scope_line": scope_line(filters),
    }


def _refuse_wrong_filters(errors: set[str]) -> None:
    """A report goes upward: one for the wrong place must not go out as the district's."""
    if errors:
        raise InvalidInputError({name: [filter_error(name)] for name in errors})


@bp.route("/")
@login_required
def show_dashboard() -> str:
    filters, errors, progress, sections = _dashboard()
    return render_template(
        "dashboard/show_dashboard.html",
        progress=progress,
        sections=sections,
        locale=current_locale(),
        **_context(filters, errors),
    )


@bp.route("/print")
@login_required
def print_dashboard() -> str:
    filters, errors, progress, sections = _dashboard()
    _refuse_wrong_filters(errors)
    return render_template(
        "dashboard/print_dashboard.html",
        progress=progress,
        sections=sections,
        **_context(filters, errors),
    )


@bp.route("/export.xlsx")
@login_required
def export_dashboard() -> Response:
    filters, errors, _progress, sections = _dashboard()
    _refuse_wrong_filters(errors)
    title = _("Cultivate dashboard, %(day)s", day=filters.today.isoformat())
    workbook = exporting.workbook_of(title, scope_line(filters), sections)
    return send_file(
        workbook,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=f"cultivate-dashboard-{filters.today.isoformat()}.xlsx",
    )

"""Dashboard pages: the dashboard, its printable report and its XLSX export."""

from flask import Blueprint, abort, current_app, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from crm import audit
from crm.clock import utcnow
from crm.dashboard import exporting
from crm.dashboard.access import can_read_dashboard
from crm.dashboard.filters import DashboardFilter, counted_day
from crm.dashboard.sections import filter_error, period_labels, place_options, scope_line
from crm.dashboard.snapshots import DashboardFigures, dashboard_figures
from crm.errors import InvalidInputError
from crm.i18n import current_locale
from models import db

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


def _dashboard() -> tuple[DashboardFilter, set[str], DashboardFigures]:
    if not can_read_dashboard(current_user):
        abort(404)
    now = utcnow()
    filters, errors = DashboardFilter.from_args(request.args, counted_day(current_app.config, now))
    figures = dashboard_figures(filters, current_locale(), now)
    db.session.commit()  # keeps the snapshot a first view of these filters computed
    return filters, errors, figures


def _context(
    filters: DashboardFilter, errors: set[str], figures: DashboardFigures
) -> dict[str, object]:
    options = place_options()
    return {
        "filters": filters,
        "filter_errors": {name: filter_error(name) for name in errors},
        "options": options,
        "periods": period_labels(),
        "period_label": period_labels()[filters.period.value],
        "progress": figures.cards,
        "sections_html": figures.sections_html,
        "computed_at": figures.computed_at,
        "scope_line": scope_line(filters, options),
    }


def _refuse_wrong_filters(errors: set[str]) -> None:
    """A report goes upward: one for the wrong place must not go out as the district's."""
    if errors:
        raise InvalidInputError({name: [filter_error(name)] for name in errors})


@bp.route("/")
@login_required
def show_dashboard() -> str:
    filters, errors, figures = _dashboard()
    return render_template("dashboard/show_dashboard.html", **_context(filters, errors, figures))


@bp.route("/print")
@login_required
def print_dashboard() -> str:
    filters, errors, figures = _dashboard()
    _refuse_wrong_filters(errors)
    return render_template("dashboard/print_dashboard.html", **_context(filters, errors, figures))


@bp.route("/export.xlsx")
@login_required
def export_dashboard() -> Response:
    filters, errors, figures = _dashboard()
    _refuse_wrong_filters(errors)
    title = _("Cultivate dashboard, %(day)s", day=filters.today.isoformat())
    workbook = exporting.workbook_of(title, scope_line(filters), figures.sections)
    # Account managers' names are personal data: the workbook is on record before it leaves.
    row_count = sum(len(table.rows) for section in figures.sections for table in section.tables)
    details = {"format": "xlsx", "filters": filters.as_args()}
    audit.record_export(current_user, "dashboard", details, row_count, is_complete=True)
    db.session.commit()
    return send_file(
        workbook,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=f"cultivate-dashboard-{filters.today.isoformat()}.xlsx",
    )

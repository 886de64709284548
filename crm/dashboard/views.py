"""Dashboard pages: the dashboard, its printable report and its XLSX export."""

from flask import Blueprint, abort, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from crm.clock import today, utcnow
from crm.dashboard import exporting
from crm.dashboard.access import can_read_dashboard
from crm.dashboard.coverage import coverage_sections
from crm.dashboard.filters import DashboardFilter, Period
from crm.dashboard.overview import target_progress, target_section
from crm.dashboard.progress import TargetProgress
from crm.dashboard.report import Section
from crm.enterprises.choices import reference_choices
from crm.i18n import current_locale
from models import IndustryTrack, SubDistrict, Zone

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


def period_labels() -> dict[str, str]:
    return {
        Period.QUARTER.value: _("This quarter"),
        Period.LAST_QUARTER.value: _("Last quarter"),
        Period.YEAR.value: _("This year"),
        Period.PLAN.value: _("Since the plan began (2025)"),
    }


def _dashboard() -> tuple[DashboardFilter, dict[str, str], list[TargetProgress], list[Section]]:
    if not can_read_dashboard(current_user):
        abort(404)
    filters, errors = DashboardFilter.from_args(request.args, today())
    locale = current_locale()
    progress = target_progress(filters)
    sections = [target_section(progress, filters, locale), *coverage_sections(filters, locale)]
    return filters, errors, progress, sections


def _context(filters: DashboardFilter, errors: dict[str, str]) -> dict[str, object]:
    wrong = {
        "period": _("Not a period."),
        "zone": _("No such zone."),
        "sub_district": _("No such sub-district."),
        "track": _("No such track."),
    }
    return {
        "filters": filters,
        "filter_errors": {name: wrong[name] for name in errors},
        "options": place_options(),
        "periods": period_labels(),
        "period_label": period_labels()[filters.period.value],
        "generated_at": utcnow(),
        "scope_line": scope_line(filters),
    }


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
    return render_template(
        "dashboard/print_dashboard.html",
        progress=progress,
        sections=sections,
        **_context(filters, errors),
    )


@bp.route("/export.xlsx")
@login_required
def export_dashboard() -> Response:
    filters, _errors, _progress, sections = _dashboard()
    title = _("Cultivate dashboard, %(day)s", day=filters.today.isoformat())
    workbook = exporting.workbook_of(title, scope_line(filters), sections)
    return send_file(
        workbook,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=f"cultivate-dashboard-{filters.today.isoformat()}.xlsx",
    )


def place_options() -> dict[str, list[tuple[str, str]]]:
    return {
        "zone": reference_choices(Zone),
        "sub_district": reference_choices(SubDistrict),
        "track": reference_choices(IndustryTrack),
    }


def scope_line(filters: DashboardFilter) -> str:
    """The period and places of a report, in words, for its heading."""
    options = place_options()
    parts = [period_labels()[filters.period.value]]
    for name in ("zone", "sub_district", "track"):
        slug = getattr(filters, name)
        if slug:
            parts.append(dict(options[name]).get(slug, slug))
    if not filters.is_scoped:
        parts.append(_("whole district"))
    return " · ".join(str(part) for part in parts)

"""The whole dashboard as sections, one module each (its query and its tables), and its filters
in words: for the page, print, XLSX, CLI and API."""

from flask import current_app
from flask_babel import gettext as _

from crm.dashboard.filters import DashboardFilter, Period
from crm.dashboard.report import Section
from crm.dashboard.sections.credit import credit_section
from crm.dashboard.sections.discovery import discovery_section
from crm.dashboard.sections.listings import listing_section
from crm.dashboard.sections.pipeline import pipeline_section
from crm.dashboard.sections.requests import request_section
from crm.dashboard.sections.support import support_section
from crm.dashboard.sections.targets import target_progress, target_section
from crm.dashboard.sections.visits import visit_section
from crm.enterprises.labels import reference_choices
from crm.reminders.rules import ReminderSettings
from crm.targets.progress import TargetProgress
from models import IndustryTrack, SubDistrict, Zone


def dashboard_sections(
    filters: DashboardFilter, locale: str
) -> tuple[list[TargetProgress], list[Section]]:
    progress = target_progress(filters)
    return progress, [
        target_section(progress, filters, locale),
        *coverage_sections(filters, locale),
    ]


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
        listing_section(filters),
        discovery_section(filters, locale),
        credit_section(filters, locale),
    ]


def period_labels() -> dict[str, str]:
    return {
        Period.QUARTER.value: _("This quarter"),
        Period.LAST_QUARTER.value: _("Last quarter"),
        Period.YEAR.value: _("This year"),
        Period.PLAN.value: _("Since the plan began (2025)"),
    }


def place_options() -> dict[str, list[tuple[str, str]]]:
    return {
        "zone": reference_choices(Zone),
        "sub_district": reference_choices(SubDistrict),
        "track": reference_choices(IndustryTrack),
    }


def scope_line(
    filters: DashboardFilter, options: dict[str, list[tuple[str, str]]] | None = None
) -> str:
    """The period and places of a report, in words, for its heading."""
    options = options or place_options()
    parts = [period_labels()[filters.period.value]]
    for name in ("zone", "sub_district", "track"):
        slug = getattr(filters, name)
        if slug:
            parts.append(dict(options[name]).get(slug, slug))
    if not filters.is_scoped:
        parts.append(_("whole district"))
    return " · ".join(str(part) for part in parts)


def filter_error(name: str) -> str:
    """What is wrong with a filter argument DashboardFilter.from_args refused."""
    return {
        "period": _("Not a period: quarter, last_quarter, year or plan."),
        "zone": _("No such zone."),
        "sub_district": _("No such sub-district."),
        "track": _("No such track."),
    }[name]

"""The whole dashboard as sections, and its filters in words: for the page, print, XLSX, CLI."""

from flask_babel import gettext as _

from crm.dashboard.coverage import coverage_sections
from crm.dashboard.filters import DashboardFilter, Period
from crm.dashboard.overview import target_progress, target_section
from crm.dashboard.report import Section
from crm.enterprises.choices import reference_choices
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

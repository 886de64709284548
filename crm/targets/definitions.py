"""A target's definition in words and as data: what the query counts."""

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.labels import label
from models import Designation, Target, TargetMeasure, Tier

FIGURE_NAMES = {
    "pct_applications": _l("PCT applications"),
    "patents": _l("Patents"),
    "blockchain_scenarios": _l("Blockchain application scenarios"),
    "employees": _l("Employees"),
}


def figure_name(figure: str | None) -> str:
    return str(FIGURE_NAMES.get(figure or "", figure or ""))


def describe(target: Target) -> str:
    if target.measure == TargetMeasure.FIGURE_SUM:
        if target.is_per_year:
            return _(
                "%(figure)s reported by operating firms for the last complete year, summed.",
                figure=figure_name(target.figure),
            )
        return _(
            "%(figure)s reported by operating firms for every complete year since %(year)s, "
            "summed.",
            figure=figure_name(target.figure),
            year=target.since_year,
        )
    parts = []
    if target.tier_at_least:
        parts.append(_("at the tier “%(tier)s” or above", tier=label(Tier(target.tier_at_least))))
    if target.designations:
        names = " / ".join(f"“{label(Designation(d))}”" for d in target.designations)
        parts.append(_("holding %(designations)s", designations=names))
    if not parts:
        return _("Operating firms in the reservoir.")
    return _("Operating firms %(conditions)s.", conditions=_(" and ").join(parts))


def definition_dict(target: Target) -> dict[str, Any]:
    return {
        "text": describe(target),
        "measure": target.measure.value,
        "tier_at_least": target.tier_at_least,
        "designations": list(target.designations),
        "figure": target.figure,
        "per_year": target.is_per_year,
        "since_year": target.since_year,
    }

"""Translated display names of the visit enums and the finding areas."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from crm.labels import choices, label, register
from models import MoveOutReason, RedFlag, VisitKind

LABELS: dict[StrEnum, object] = register(
    {
        VisitKind.ON_SITE: _l("On-site"),
        VisitKind.PHONE: _l("Phone"),
        VisitKind.VIDEO: _l("Video call"),
        VisitKind.EVENT: _l("Event"),
    },
    {
        RedFlag.MOVE_OUT: _l("May move out of the district within 12 months"),
        RedFlag.DOWNSIZING: _l("Downsizing"),
        RedFlag.KEY_PEOPLE_LEAVING: _l("Key people leaving"),
        RedFlag.FINANCING_GAP: _l("Financing gap"),
        RedFlag.REGULATORY_TROUBLE: _l("Regulatory trouble"),
    },
    {
        MoveOutReason.COURTED: _l("Courted by another district"),
        MoveOutReason.LEASE_EXPIRING: _l("Lease expiring"),
        MoveOutReason.SPACE_TOO_SMALL: _l("Space too small"),
        MoveOutReason.OTHER: _l("Other reason"),
    },
)
FINDING_LABELS: dict[str, object] = {
    "operations": _l("Operations"),
    "financing": _l("Financing"),
    "space": _l("Space"),
    "talent": _l("Talent"),
    "market": _l("Market"),
    "risks": _l("Risks"),
}


def finding_label(area: str) -> str:
    return str(FINDING_LABELS.get(area, area))


__all__ = ["LABELS", "choices", "label"]

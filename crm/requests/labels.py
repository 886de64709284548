"""Translated names of the request enums and workflow actions (the enums stay language-free)."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from crm.labels import choices, label, register
from models import RequestCategory, RequestState, RequestUrgency

LABELS: dict[StrEnum, object] = register(
    {
        RequestCategory.FINANCING: _l("Financing"),
        RequestCategory.SPACE: _l("Space and premises"),
        RequestCategory.TALENT: _l("Talent and housing"),
        RequestCategory.PERMITS: _l("Permits and approvals"),
        RequestCategory.MARKET: _l("Market and procurement"),
        RequestCategory.INTELLECTUAL_PROPERTY: _l("Intellectual property"),
        RequestCategory.POLICY: _l("Policy consultation"),
        RequestCategory.OTHER: _l("Other"),
    },
    {
        RequestUrgency.LOW: _l("Low"),
        RequestUrgency.NORMAL: _l("Normal"),
        RequestUrgency.HIGH: _l("High"),
    },
    {
        RequestState.OPEN: _l("Open"),
        RequestState.ACCEPTED: _l("Accepted"),
        RequestState.IN_PROGRESS: _l("In progress"),
        RequestState.RESOLVED: _l("Resolved"),
        RequestState.CLOSED: _l("Confirmed closed"),
        RequestState.REJECTED: _l("Rejected"),
    },
)

# Bootstrap badge colour of each state, so every page shows a state the same way.
STATE_BADGES: dict[RequestState, str] = {
    RequestState.OPEN: "text-bg-secondary",
    RequestState.ACCEPTED: "text-bg-info",
    RequestState.IN_PROGRESS: "text-bg-primary",
    RequestState.RESOLVED: "text-bg-warning",
    RequestState.CLOSED: "text-bg-success",
    RequestState.REJECTED: "text-bg-dark",
}

__all__ = ["LABELS", "choices", "label"]

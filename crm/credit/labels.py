"""Translated display names of the batch states and the banks' decisions."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from crm.labels import choices, label, register
from models import BatchState, NominationDecision

LABELS: dict[StrEnum, object] = register(
    {
        BatchState.DRAFT: _l("Draft"),
        BatchState.SUBMITTED: _l("Submitted to the bank"),
        BatchState.DECIDED: _l("Decided by the bank"),
    },
    {
        NominationDecision.PENDING: _l("Awaiting the bank"),
        NominationDecision.LISTED: _l("On the white list"),
        NominationDecision.REFUSED: _l("Refused"),
    },
)
BADGES = {
    BatchState.DRAFT: "text-bg-light border",
    BatchState.SUBMITTED: "text-bg-warning",
    BatchState.DECIDED: "text-bg-success",
    NominationDecision.PENDING: "text-bg-warning",
    NominationDecision.LISTED: "text-bg-success",
    NominationDecision.REFUSED: "text-bg-secondary",
}

__all__ = ["BADGES", "LABELS", "choices", "label"]

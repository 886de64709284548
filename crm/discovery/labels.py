"""Translated display names of the event kinds, candidate sources and states."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from crm.labels import choices, label, register
from models import CandidateState, EventKind, SourceKind

# Registered one by one: the event kinds and the sources share values ("competition").
EVENT_LABELS: dict[StrEnum, object] = register(
    {
        EventKind.COMPETITION: _l("Competition"),
        EventKind.ROADSHOW: _l("Roadshow"),
        EventKind.HORSE_RACE: _l("Horse race"),
        EventKind.OPEN_INNOVATION_CALL: _l("Open-innovation call"),
    },
)
LABELS: dict[StrEnum, object] = register(
    {
        SourceKind.INVESTOR: _l("Investor or fund"),
        SourceKind.COMPETITION: _l("Competition"),
        SourceKind.ROADSHOW: _l("Roadshow"),
        SourceKind.DEPARTMENT_REFERRAL: _l("Department referral"),
        SourceKind.OPEN_INNOVATION: _l("Big firm's open-innovation call"),
        SourceKind.OWN_SEARCH: _l("Own search"),
    },
    {
        CandidateState.NEW: _l("Not yet screened"),
        CandidateState.SCREENING: _l("Screening"),
        CandidateState.ADMITTED: _l("Admitted"),
        CandidateState.WATCHING: _l("Watching"),
        CandidateState.DECLINED: _l("Declined"),
        CandidateState.DUPLICATE: _l("Already in the reservoir"),
    },
)
BADGES = {
    CandidateState.NEW: "text-bg-info",
    CandidateState.SCREENING: "text-bg-warning",
    CandidateState.ADMITTED: "text-bg-success",
    CandidateState.WATCHING: "text-bg-primary",
    CandidateState.DECLINED: "text-bg-secondary",
    CandidateState.DUPLICATE: "text-bg-light",
}

__all__ = ["BADGES", "EVENT_LABELS", "LABELS", "choices", "label"]

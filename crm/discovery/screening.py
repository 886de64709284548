"""Screening a candidate and deciding on it: admit to the reservoir, keep watching, decline, or
link it to the reservoir firm that already holds its credit code."""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import update

from crm.access import can_read_enterprise
from crm.audit import diff, record_change
from crm.discovery import scope
from crm.discovery.candidate_input import checked_uscc
from crm.discovery.names import firm_with_code
from crm.discovery.services import check_version
from crm.enterprises.services import EnterpriseInput, create_enterprise
from crm.errors import ConflictError, FieldErrors, ForbiddenError, InvalidInputError
from crm.reference import by_slug
from models import (
    CandidateState,
    DiscoveryCandidate,
    Enterprise,
    EventParticipant,
    Role,
    Tier,
    User,
    Zone,
    db,
)

SCORES = range(1, 6)
RATIONALE_MAX_LENGTH = 500
DECISIONS = ("admit", "watch", "decline", "link")
DECIDABLE = {CandidateState.NEW, CandidateState.SCREENING, CandidateState.WATCHING}


class DuplicateFirmError(ConflictError):
    """The candidate's code is already in the reservoir: link it to that firm instead.
    `enterprise` is None when the actor may not read that firm (another sub-district's)."""

    def __init__(self, message: str, enterprise: Enterprise | None) -> None:
        super().__init__(message, "uscc")
        self.enterprise = enterprise


@dataclass
class ScreeningInput:
    screened_on: date | None
    score: int | None
    rationale: str | None = None
    notes: str | None = None


@dataclass
class DecisionInput:
    decision: str
    reason: str | None = None
    tier: str | None = None  # admit
    uscc: str | None = None  # admit: when the candidate has none yet
    zone: str | None = None  # admit: when the candidate has none yet
    watch_until: date | None = None  # watch


def screen_candidate(
    actor: User,
    candidate: DiscoveryCandidate,
    data: ScreeningInput,
    seen_version: int,
    now: datetime,
) -> DiscoveryCandidate:
    check_screener(actor, candidate)
    check_version(candidate, seen_version)
    if candidate.state not in DECIDABLE:
        raise ConflictError(_("This candidate has already been decided."))
    errors = FieldErrors()
    if data.screened_on is None:
        errors.add("screened_on", _("Enter the day of the screening visit."))
    elif data.screened_on > now.date():
        errors.add("screened_on", _("Cannot be in the future."))
    if data.score not in SCORES:
        errors.add("score", _("Give a score from 1 to 5."))
    rationale = errors.text("rationale", data.rationale, RATIONALE_MAX_LENGTH) or None
    errors.raise_if_any()
    before = {
        "state": candidate.state.value,
        "screened_on": candidate.screened_on.isoformat() if candidate.screened_on else None,
        "score": candidate.score,
    }
    if candidate.state == CandidateState.NEW:
        candidate.state = CandidateState.SCREENING
    candidate.screened_on, candidate.score = data.screened_on, data.score
    candidate.score_rationale = rationale
    candidate.screening_notes = (data.notes or "").strip() or None
    candidate.screened_by = actor
    candidate.updated_at = now
    db.session.flush()
    after = {
        "state": candidate.state.value,
        "screened_on": data.screened_on.isoformat() if data.screened_on else None,
        "score": candidate.score,
    }
    record_change(actor, "screen", "discovery_candidate", candidate.id, diff(before, after))
    return candidate


def decide_candidate(
    actor: User,
    candidate: DiscoveryCandidate,
    data: DecisionInput,
    seen_version: int,
    now: datetime,
) -> DiscoveryCandidate:
    check_screener(actor, candidate)
    check_version(candidate, seen_version)
    if candidate.state not in DECIDABLE:
        raise ConflictError(_("This candidate has already been decided."))
    reason = (data.reason or "").strip() or None
    before = candidate.state.value
    if data.decision == "admit":
        _admit(actor, candidate, data, now)
    elif data.decision == "link":
        _link(actor, candidate, data, now)
    elif data.decision == "watch":
        if data.watch_until is None or data.watch_until <= now.date():
            raise InvalidInputError({"watch_until": [_("Choose a day after today.")]})
        candidate.state, candidate.watch_until = CandidateState.WATCHING, data.watch_until
    elif data.decision == "decline":
        if reason is None:
            raise InvalidInputError({"reason": [_("Say why the candidate is declined.")]})
        candidate.state = CandidateState.DECLINED
    else:
        raise InvalidInputError({"decision": [_("Choose admit, watch, decline or link.")]})
    candidate.decision_reason = reason
    candidate.decided_on = now.date()
    candidate.updated_at = now
    db.session.flush()
    changes: dict[str, list[object]] = {
        "state": [before, candidate.state.value],
        "decision_reason": [None, reason],
    }
    if candidate.watch_until is not None and candidate.state == CandidateState.WATCHING:
        changes["watch_until"] = [None, candidate.watch_until.isoformat()]
    if candidate.admitted_enterprise_id is not None:
        changes["admitted_enterprise_id"] = [None, candidate.admitted_enterprise_id]
    if candidate.admitted_tier is not None:
        changes["admitted_tier"] = [None, candidate.admitted_tier.value]
    record_change(actor, "decide", "discovery_candidate", candidate.id, changes)
    return candidate


def check_screener(actor: User, candidate: DiscoveryCandidate) -> None:
    """Before anything else is read: a caller who may not screen learns nothing about the body."""
    if not scope.can_screen(actor, candidate):
        raise ForbiddenError(_("Only the managers of its sub-district screen this candidate."))


def _admit(actor: User, candidate: DiscoveryCandidate, data: DecisionInput, now: datetime) -> None:
    errors = FieldErrors()
    uscc = checked_uscc(data.uscc, errors.add) if data.uscc else candidate.uscc
    if uscc is None and "uscc" not in errors:
        errors.add("uscc", _("Enter the credit code: a firm of the reservoir needs one."))
    zone = by_slug(Zone, data.zone) if data.zone else candidate.zone
    if zone is None:
        errors.add("zone", _("Choose a zone from the list."))
    if data.tier not in {tier.value for tier in Tier}:
        errors.add("tier", _("Choose the tier it enters the reservoir at."))
    if candidate.sub_district is None:
        errors.add("decision", _("A leader must assign the candidate to a sub-district first."))
    if errors or uscc is None or zone is None or candidate.sub_district is None:
        raise InvalidInputError(errors)
    if (existing := firm_with_code(uscc)) is not None:
        if not can_read_enterprise(actor, existing):
            # That the code is taken is the point of the check; whose it is stays hidden.
            raise DuplicateFirmError(_outside_message(), None)
        raise DuplicateFirmError(
            _(
                "%(name)s already has this code in the reservoir: link the candidate to it.",
                name=existing.name,
            ),
            existing,
        )
    enterprise = create_enterprise(
        actor,
        EnterpriseInput(
            name=candidate.name,
            uscc=uscc,
            sub_district=candidate.sub_district.slug,
            zone=zone.slug,
            track=candidate.track.slug,
            tier=data.tier or Tier.RESERVOIR.value,
            manager=actor.username if actor.role == Role.MANAGER else None,
            notes=candidate.profile,
        ),
        now,
    )
    candidate.uscc, candidate.zone = uscc, zone
    candidate.state = CandidateState.ADMITTED
    candidate.admitted_enterprise_id, candidate.admitted_tier = enterprise.id, enterprise.tier
    moved = move_participations(candidate, enterprise)
    record_change(
        actor,
        "admit",
        "enterprise",
        enterprise.id,
        {"discovery_candidate_id": [None, candidate.id], "events_moved": [None, moved]},
    )


def _link(actor: User, candidate: DiscoveryCandidate, data: DecisionInput, now: datetime) -> None:
    uscc = data.uscc or candidate.uscc
    firm = firm_with_code(uscc)
    if firm is None:
        raise InvalidInputError({"uscc": [_("No firm of the reservoir has this code.")]})
    if not can_read_enterprise(actor, firm):
        # A manager links only to their own sub-district's firms: linking moves the candidate's
        # event rows onto the firm and shows its name on the candidate's page.
        raise InvalidInputError({"uscc": [_outside_message()]})
    candidate.state = CandidateState.DUPLICATE
    candidate.admitted_enterprise_id, candidate.admitted_tier = firm.id, None
    moved = move_participations(candidate, firm)
    record_change(
        actor,
        "link",
        "enterprise",
        firm.id,
        {"discovery_candidate_id": [None, candidate.id], "events_moved": [None, moved]},
    )


def _outside_message() -> str:
    return _("A firm outside your sub-district has this code: ask an administrator to link it.")


def move_participations(candidate: DiscoveryCandidate, enterprise: Enterprise) -> int:
    """The candidate's event rows become the firm's: one UPDATE, however many events."""
    result = db.session.execute(
        update(EventParticipant)
        .where(EventParticipant.candidate_id == candidate.id)
        .values(enterprise_id=enterprise.id, candidate_id=None)
        .execution_options(synchronize_session="fetch")
    )
    return int(getattr(result, "rowcount", 0) or 0)

"""Taking in a discovery candidate, assigning it, and reading it within the actor's scope."""

from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from crm.audit import diff, record_change, record_created, snapshot
from crm.discovery import scope
from crm.discovery.candidate_input import CandidateInput, References, apply_input
from crm.errors import ForbiddenError, InvalidInputError, NotFoundError, StaleEditError
from crm.records import soft_delete
from crm.reference import by_slug
from models import (
    CandidateState,
    DiscoveryCandidate,
    DiscoveryEvent,
    EventParticipant,
    Role,
    SubDistrict,
    User,
    db,
)

AUDITED = (
    "name",
    "uscc",
    "track_id",
    "zone_id",
    "sub_district_id",
    "source_kind",
    "source_name",
    "department_id",
    "event_id",
    "award",
    "state",
)


def get_candidate(actor: User, candidate_id: int) -> DiscoveryCandidate:
    """The candidate, or NotFoundError when missing, deleted or outside the actor's scope."""
    candidate = db.session.get(DiscoveryCandidate, candidate_id)
    if candidate is None or candidate.is_deleted or not scope.can_read_candidate(actor, candidate):
        raise NotFoundError(_("Not found."))
    return candidate


def propose_candidate(
    actor: User,
    data: CandidateInput,
    now: datetime,
    *,
    event: DiscoveryEvent | None = None,
    references: References | None = None,
    rank: int | None = None,
) -> DiscoveryCandidate:
    """A new candidate. A manager's goes to their own sub-district; a department's is its
    referral. `event` saves a lookup when an import names the same event on every row."""
    if not scope.can_propose(actor):
        raise ForbiddenError(_("Your role cannot propose candidates."))
    candidate = DiscoveryCandidate(
        state=CandidateState.NEW,
        received_on=now.date(),
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    apply_input(actor, candidate, data, event, references)
    db.session.add(candidate)
    db.session.flush()
    if candidate.event_id is not None:
        db.session.add(
            EventParticipant(
                event_id=candidate.event_id,
                candidate_id=candidate.id,
                award=candidate.award,
                rank=rank,
            )
        )
    record_created(actor, "discovery_candidate", candidate.id, audited(candidate))
    return candidate


def audited(candidate: DiscoveryCandidate) -> dict[str, Any]:
    """The audited fields, ids read from the related rows: they are current before a flush."""
    values = snapshot(candidate, AUDITED)
    for name, related in (
        ("track_id", candidate.track),
        ("zone_id", candidate.zone),
        ("sub_district_id", candidate.sub_district),
        ("department_id", candidate.department),
        ("event_id", candidate.event),
    ):
        values[name] = related.id if related is not None else None
    return values


def can_edit(actor: User, candidate: DiscoveryCandidate) -> bool:
    """Whoever may screen it, a leader, or whoever took it in, while it is undecided."""
    allowed = (
        scope.can_screen(actor, candidate)
        or scope.can_assign(actor)
        or candidate.created_by_id == actor.id
    )
    return allowed and candidate.is_open


def update_candidate(
    actor: User,
    candidate: DiscoveryCandidate,
    data: CandidateInput,
    seen_version: int,
    now: datetime,
) -> DiscoveryCandidate:
    """Correct what was taken in (a code found later, a better profile). The source's event
    stays: its participation row records the event the candidate came from."""
    if not can_edit(actor, candidate):
        raise ForbiddenError(_("You cannot change this candidate."))
    check_version(candidate, seen_version)
    before = audited(candidate)
    data.event_id, assigned = candidate.event_id, candidate.sub_district
    apply_input(actor, candidate, data, candidate.event)
    if actor.role == Role.DEPARTMENT:
        candidate.sub_district = assigned  # a leader's assignment is not the department's to undo
    changes = diff(before, audited(candidate))
    if changes:
        candidate.updated_at = now
        db.session.flush()
        record_change(actor, "update", "discovery_candidate", candidate.id, changes)
    return candidate


def assign_candidate(
    actor: User,
    candidate: DiscoveryCandidate,
    sub_district_slug: str,
    seen_version: int,
    now: datetime,
) -> DiscoveryCandidate:
    """A leader hands a candidate to a sub-district, whose managers then screen it."""
    if not scope.can_assign(actor):
        raise ForbiddenError(_("Only leaders assign candidates."))
    check_version(candidate, seen_version)
    sub_district = by_slug(SubDistrict, sub_district_slug)
    if sub_district is None:
        raise InvalidInputError({"sub_district": [_("Choose a sub-district from the list.")]})
    before = candidate.sub_district_id
    candidate.sub_district = sub_district
    candidate.updated_at = now
    db.session.flush()
    record_change(
        actor,
        "assign",
        "discovery_candidate",
        candidate.id,
        {"sub_district_id": [before, sub_district.id]},
    )
    return candidate


def can_delete(actor: User, candidate: DiscoveryCandidate) -> bool:
    return scope.can_assign(actor) or candidate.created_by_id == actor.id


def delete_candidate(actor: User, candidate: DiscoveryCandidate, now: datetime) -> None:
    if not can_delete(actor, candidate):
        raise ForbiddenError(_("Only a leader or whoever took it in can delete a candidate."))
    soft_delete(actor, "discovery_candidate", candidate, now)


def check_version(record: DiscoveryCandidate | DiscoveryEvent, seen_version: int) -> None:
    if seen_version != record.version_id:
        raise StaleEditError(
            _("Someone else changed this record after you opened it. Reload to see it.")
        )

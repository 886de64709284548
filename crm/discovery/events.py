"""Competitions, roadshows, horse races and open-innovation calls, and who took part."""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.audit import diff, record_change, snapshot
from crm.discovery import scope
from crm.discovery.names import firm_with_code
from crm.discovery.services import check_version
from crm.errors import ForbiddenError, InvalidInputError, NotFoundError
from crm.records import soft_delete
from models import DiscoveryEvent, EventKind, EventParticipant, User, db

EVENT_FIELDS = ("kind", "name", "organiser", "round", "held_on", "place", "notes")
TEXT_LIMITS = {"name": 200, "organiser": 200, "round": 40, "place": 200, "notes": 5000}


@dataclass
class EventInput:
    kind: str
    name: str
    held_on: date | None
    organiser: str | None = None
    round: str | None = None
    place: str | None = None
    notes: str | None = None


def get_event(event_id: int) -> DiscoveryEvent:
    event = db.session.get(DiscoveryEvent, event_id)
    if event is None or event.is_deleted:
        raise NotFoundError(_("Not found."))
    return event


def live_events() -> list[DiscoveryEvent]:
    query = select(DiscoveryEvent).where(DiscoveryEvent.deleted_at.is_(None))
    return list(
        db.session.scalars(query.order_by(DiscoveryEvent.held_on.desc(), DiscoveryEvent.id.desc()))
    )


def save_event(
    actor: User,
    event: DiscoveryEvent | None,
    data: EventInput,
    now: datetime,
    seen_version: int | None = None,
) -> DiscoveryEvent:
    """Create an event (`event` None) or change one seen at `seen_version`."""
    if not scope.can_manage_events(actor):
        raise ForbiddenError(_("Only leaders keep the events."))
    errors: dict[str, list[str]] = {}
    try:
        kind = EventKind(data.kind)
    except ValueError:
        errors["kind"] = [_("Choose a kind of event from the list.")]
    if not data.name.strip():
        errors["name"] = [_("Give the event a name.")]
    if data.held_on is None:
        errors["held_on"] = [_("Enter the day it is held.")]
    for name, limit in TEXT_LIMITS.items():
        value = getattr(data, name)
        if value and len(value.strip()) > limit:
            errors[name] = [_("At most %(count)d characters.", count=limit)]
    if errors:
        raise InvalidInputError(errors)
    creating = event is None
    if event is None:
        event = DiscoveryEvent(created_at=now)
        db.session.add(event)
    elif seen_version is not None:
        check_version(event, seen_version)
    before = {} if creating else snapshot(event, EVENT_FIELDS)
    event.kind, event.name, event.held_on = kind, data.name.strip(), data.held_on  # type: ignore[assignment]
    event.organiser = (data.organiser or "").strip() or None
    event.round = (data.round or "").strip() or None
    event.place = (data.place or "").strip() or None
    event.notes = (data.notes or "").strip() or None
    event.updated_at = now
    db.session.flush()
    changes = diff(before, snapshot(event, EVENT_FIELDS))
    if changes:
        record_change(
            actor, "create" if creating else "update", "discovery_event", event.id, changes
        )
    return event


def delete_event(actor: User, event: DiscoveryEvent, now: datetime) -> None:
    """Hide the event; its participants and the candidates it brought stay as they are."""
    if not scope.can_manage_events(actor):
        raise ForbiddenError(_("Only leaders keep the events."))
    soft_delete(actor, "discovery_event", event, now)


def add_firm_participant(
    actor: User, event: DiscoveryEvent, uscc: str, award: str | None, rank: int | None
) -> EventParticipant:
    """A reservoir firm took part: found by its credit code."""
    if not scope.can_manage_events(actor):
        raise ForbiddenError(_("Only leaders keep the events."))
    firm = firm_with_code(uscc)
    if firm is None:
        raise InvalidInputError({"uscc": [_("No firm of the reservoir has this code.")]})
    taken = select(EventParticipant.id).where(
        EventParticipant.event_id == event.id, EventParticipant.enterprise_id == firm.id
    )
    if db.session.scalar(taken) is not None:
        raise InvalidInputError({"uscc": [_("This firm is already listed for the event.")]})
    award = (award or "").strip() or None
    if award is not None and len(award) > 100:
        raise InvalidInputError({"award": [_("At most %(count)d characters.", count=100)]})
    participant = EventParticipant(event=event, enterprise=firm, award=award, rank=rank)
    db.session.add(participant)
    db.session.flush()
    record_change(
        actor,
        "participant",
        "discovery_event",
        event.id,
        {"enterprise_id": [None, firm.id], "award": [None, award], "rank": [None, rank]},
    )
    return participant


def participants_of(event: DiscoveryEvent) -> list[EventParticipant]:
    query = (
        select(EventParticipant)
        .where(EventParticipant.event_id == event.id)
        .options(
            selectinload(EventParticipant.enterprise), selectinload(EventParticipant.candidate)
        )
        .order_by(EventParticipant.rank.is_(None), EventParticipant.rank, EventParticipant.id)
    )
    return list(db.session.scalars(query))


def events_of_firm(enterprise_id: int) -> list[EventParticipant]:
    """The firm's page panel: the events it took part in, latest first."""
    query = (
        select(EventParticipant)
        .join(DiscoveryEvent, DiscoveryEvent.id == EventParticipant.event_id)
        .where(EventParticipant.enterprise_id == enterprise_id, DiscoveryEvent.deleted_at.is_(None))
        .options(selectinload(EventParticipant.event))
        .order_by(DiscoveryEvent.held_on.desc(), DiscoveryEvent.id.desc())
    )
    return list(db.session.scalars(query))

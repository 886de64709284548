"""Competitions, roadshows, horse races and open-innovation calls, and who took part."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import selectinload

from crm import keyset
from crm.access import enterprise_scope
from crm.audit import diff, record_change, snapshot
from crm.discovery import scope
from crm.discovery.names import firm_with_code
from crm.discovery.services import check_version
from crm.errors import (
    MAX_DATABASE_ID,
    FieldErrors,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
)
from crm.keyset import Key
from crm.records import soft_delete
from models import (
    DiscoveryCandidate,
    DiscoveryEvent,
    Enterprise,
    EventKind,
    EventParticipant,
    User,
    db,
)

EVENT_FIELDS = ("kind", "name", "organiser", "round", "held_on", "place", "notes")
TEXT_LIMITS = {"name": 200, "organiser": 200, "round": 40, "place": 200, "notes": 5000}
# Latest first, along ix_discovery_events_held_on.
EVENT_ORDER = (
    Key(DiscoveryEvent.held_on, date, is_descending=True),
    Key(DiscoveryEvent.id, int, is_descending=True),
)
# A dropdown offers the events of the last three years, at most this many: an office that has
# recorded events for a decade still gets a list one can read (and a page that stays small).
OPTION_YEARS = 3
MAX_OPTIONS = 200
# Ranked participants first, by rank, then the unranked: a keyset needs a sort value that is
# never NULL, so an unranked row sorts as a rank no list reaches (ranks stop at 100,000).
UNRANKED = MAX_DATABASE_ID
PARTICIPANT_ORDER = (
    Key(func.coalesce(EventParticipant.rank, UNRANKED), int),
    Key(EventParticipant.id, int),
)


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


def event_query() -> Select[DiscoveryEvent]:
    """The live events, latest first: page it (page_of_events), never load it whole."""
    query = select(DiscoveryEvent).where(DiscoveryEvent.deleted_at.is_(None))
    return query.order_by(DiscoveryEvent.held_on.desc(), DiscoveryEvent.id.desc())


page_of_events: keyset.KeysetPager[DiscoveryEvent] = keyset.KeysetPager(
    EVENT_ORDER, lambda event: (event.held_on, event.id)
)


def recent_events(today: date, selected: int | None = None) -> list[DiscoveryEvent]:
    """The events a dropdown offers: held within the last OPTION_YEARS years (or still to come),
    at most MAX_OPTIONS, latest first; and `selected`, when live, however old."""
    since = today - timedelta(days=365 * OPTION_YEARS + 1)
    query = event_query().where(DiscoveryEvent.held_on >= since).limit(MAX_OPTIONS)
    found = list(db.session.scalars(query))
    if selected and selected not in {event.id for event in found}:
        chosen = db.session.get(DiscoveryEvent, selected) if selected <= MAX_DATABASE_ID else None
        if chosen is not None and not chosen.is_deleted:
            found.append(chosen)
    return found


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
    errors = FieldErrors()
    try:
        kind = EventKind(data.kind)
    except ValueError:
        errors.add("kind", _("Choose a kind of event from the list."))
    if not data.name.strip():
        errors.add("name", _("Give the event a name."))
    if data.held_on is None:
        errors.add("held_on", _("Enter the day it is held."))
    texts = {
        name: errors.text(name, getattr(data, name), limit) for name, limit in TEXT_LIMITS.items()
    }
    errors.raise_if_any()
    creating = event is None
    if event is None:
        event = DiscoveryEvent(created_at=now)
        db.session.add(event)
    elif seen_version is not None:
        check_version(event, seen_version)
    before = {} if creating else snapshot(event, EVENT_FIELDS)
    event.kind, event.name, event.held_on = kind, texts["name"], data.held_on  # type: ignore[assignment]
    event.organiser, event.round = texts["organiser"] or None, texts["round"] or None
    event.place, event.notes = texts["place"] or None, texts["notes"] or None
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


def participant_query(user: User, event: DiscoveryEvent) -> Select[EventParticipant]:
    """The event's participants `user` may read: reservoir firms within the user's firm scope
    and candidates within the candidate scope (leaders and administrators: all), live ones only.

    Who else took part stays hidden: a manager reads neither the name nor the link of another
    sub-district's firm here, as /enterprises/<id> answers them 404."""
    firm_seen = and_(
        EventParticipant.enterprise_id.is_not(None),
        Enterprise.deleted_at.is_(None),
        enterprise_scope(user),
    )
    candidate_seen = and_(
        EventParticipant.candidate_id.is_not(None),
        DiscoveryCandidate.deleted_at.is_(None),
        scope.candidate_scope(user),
    )
    return (
        select(EventParticipant)
        .outerjoin(Enterprise, Enterprise.id == EventParticipant.enterprise_id)
        .outerjoin(DiscoveryCandidate, DiscoveryCandidate.id == EventParticipant.candidate_id)
        .where(EventParticipant.event_id == event.id, or_(firm_seen, candidate_seen))
        .order_by(*(key.column for key in PARTICIPANT_ORDER))
    )


def _participant_values(participant: EventParticipant) -> tuple[int, int]:
    rank = participant.rank if participant.rank is not None else UNRANKED
    return rank, participant.id


# Paged: a bulk intake can list 10,000 firms at one event.
page_of_participants: keyset.KeysetPager[EventParticipant] = keyset.KeysetPager(
    PARTICIPANT_ORDER,
    _participant_values,
    (selectinload(EventParticipant.enterprise), selectinload(EventParticipant.candidate)),
)


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

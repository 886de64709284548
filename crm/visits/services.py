"""Logging, changing and deleting visits: red flags, follow-ups and the firm's risk marker."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from crm import access
from crm.audit import diff, record_change, snapshot
from crm.enterprises.services import get_enterprise
from crm.errors import (
    ConflictError,
    FieldErrors,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    StaleEditError,
)
from crm.records import soft_delete
from crm.visits.validation import (
    Fail,
    FlagAnswer,
    checked_kind,
    checked_red_flags,
    checked_users,
)
from models import (
    Enterprise,
    FollowUpAction,
    Role,
    User,
    Visit,
    VisitKind,
    VisitRedFlag,
    db,
)
from models.visit import FINDING_AREAS

# Two units visiting one firm within this span is the duplication the district wants to avoid.
DUPLICATE_WINDOW = timedelta(days=30)
# A date typed with a wrong year (0001, 9999) is a typo, and at the calendar's ends the duplicate
# window and the reminder arithmetic would overflow.
EARLIEST_VISIT_ON = date(1949, 10, 1)
NEXT_VISIT_HORIZON_YEARS = 5
NEXT_VISIT_HORIZON = timedelta(days=366 * NEXT_VISIT_HORIZON_YEARS)
SUMMARY_MAX_LENGTH = 5000
DESCRIPTION_MAX_LENGTH = 300
AUDITED_FIELDS = (
    "visited_on",
    "kind",
    "summary",
    "people_met",
    *(f"findings_{area}" for area in FINDING_AREAS),
    "red_flags_asked",
    "next_visit_on",
)


@dataclass
class FollowUpInput:
    description: str
    owner: str | None  # username
    due_on: date | None


@dataclass
class VisitInput:
    """A visit as a form or the API sends it: usernames for people, enum values as strings."""

    visited_on: date | None
    kind: str
    summary: str
    people_met: str | None = None
    findings: dict[str, str | None] = field(default_factory=dict)
    red_flags_asked: bool = False
    red_flags: dict[str, FlagAnswer] = field(default_factory=dict)  # RedFlag value -> answer
    participants: list[str] = field(default_factory=list)
    follow_ups: list[FollowUpInput] = field(default_factory=list)  # new ones, added
    next_visit_on: date | None = None


class DuplicateVisitError(ConflictError):
    """Another unit visited the firm recently; the caller must confirm to log one more."""

    def __init__(self, message: str, recent: list[Visit]) -> None:
        super().__init__(message, field="confirm_duplicate")
        self.recent = recent


def get_visit(actor: User, visit_id: int) -> Visit:
    visit = db.session.get(Visit, visit_id)
    if visit is None or visit.is_deleted or not access.can_read_visit(actor, visit):
        raise NotFoundError(_("Not found."))
    return visit


def enterprise_for_visit(actor: User, enterprise_id: int) -> Enterprise:
    """The firm a visit is logged for: NotFoundError outside the actor's scope."""
    return get_enterprise(actor, enterprise_id)


def recent_visits_by_others(actor: User, enterprise: Enterprise, visited_on: date) -> list[Visit]:
    query = select(Visit).where(
        Visit.enterprise_id == enterprise.id,
        Visit.deleted_at.is_(None),
        Visit.created_by_id != actor.id,
        ~Visit.participants.any(User.id == actor.id),
        Visit.visited_on.between(visited_on - DUPLICATE_WINDOW, visited_on + DUPLICATE_WINDOW),
    )
    return list(db.session.scalars(query.order_by(Visit.visited_on.desc(), Visit.id.desc())))


def log_visit(
    actor: User,
    enterprise: Enterprise,
    data: VisitInput,
    now: datetime,
    confirm_duplicate: bool = False,
) -> Visit:
    visit = Visit(enterprise=enterprise, created_by=actor, created_at=now, updated_at=now)
    follow_ups = _apply(actor, visit, data, now)
    assert visit.visited_on is not None  # noqa: S101 -- _apply refused a missing date
    recent = recent_visits_by_others(actor, enterprise, visit.visited_on)
    if recent and not confirm_duplicate:
        raise DuplicateVisitError(
            _("Another unit visited this firm within %(days)d days.", days=DUPLICATE_WINDOW.days),
            recent,
        )
    db.session.add(visit)
    db.session.flush()
    record_change(actor, "create", "visit", visit.id, diff({}, _audited(visit)))
    _add_follow_ups(actor, visit, follow_ups)
    _refresh_risk_marker(actor, enterprise)
    return visit


def update_visit(
    actor: User, visit: Visit, data: VisitInput, seen_version: int, now: datetime
) -> Visit:
    _require_author_or_admin(actor, visit)
    if seen_version != visit.version_id:
        raise StaleEditError(
            _("Someone else saved this visit after you opened it. Reload to see their changes.")
        )
    before = _audited(visit)
    follow_ups = _apply(actor, visit, data, now)
    changes = diff(before, _audited(visit))
    if changes:
        visit.updated_at = now
        db.session.flush()
        record_change(actor, "update", "visit", visit.id, changes)
    _add_follow_ups(actor, visit, follow_ups)
    _refresh_risk_marker(actor, visit.enterprise)
    return visit


def delete_visit(actor: User, visit: Visit, now: datetime) -> None:
    _require_author_or_admin(actor, visit)
    soft_delete(actor, "visit", visit, now)
    _refresh_risk_marker(actor, visit.enterprise)


def complete_follow_up(actor: User, follow_up_id: int, now: datetime) -> FollowUpAction:
    follow_up = db.session.get(FollowUpAction, follow_up_id)
    if follow_up is None:
        raise NotFoundError(_("Not found."))
    visit = get_visit(actor, follow_up.visit_id)
    allowed = {follow_up.owner_id, visit.created_by_id}
    if actor.id not in allowed and actor.role != Role.ADMIN:
        raise ForbiddenError(_("Only the owner or the visit's author can close this follow-up."))
    if follow_up.done_at is not None:
        raise ConflictError(_("This follow-up is already done."))
    follow_up.done_at = now
    db.session.flush()
    record_change(actor, "update", "follow_up", follow_up.id, {"done_at": [None, now.isoformat()]})
    return follow_up


def set_contact_leader(actor: User, enterprise: Enterprise, username: str | None) -> Enterprise:
    """The key-enterprise contact mechanism: a leader keeps in touch with the firm."""
    if actor.role not in {Role.LEADER, Role.ADMIN}:
        raise ForbiddenError(_("Only district leaders and administrators assign contact leaders."))
    leader = None
    if username:
        leader = db.session.scalar(select(User).where(User.username == username))
        if leader is None or leader.role != Role.LEADER or not leader.is_active:
            message = _("No active district leader is called “%(name)s”.", name=username)
            raise InvalidInputError({"leader": [message]})
    before = enterprise.contact_leader_id
    enterprise.contact_leader = leader
    db.session.flush()
    if before != enterprise.contact_leader_id:
        changes = {"contact_leader_id": [before, enterprise.contact_leader_id]}
        record_change(actor, "update", "enterprise", enterprise.id, changes)
    return enterprise


def _require_author_or_admin(actor: User, visit: Visit) -> None:
    if actor.id != visit.created_by_id and actor.role != Role.ADMIN:
        raise ForbiddenError(_("Only the visit's author or an administrator can change it."))


def _apply(actor: User, visit: Visit, data: VisitInput, now: datetime) -> list[FollowUpAction]:
    """Check every field, then write them; the follow-ups are returned for the caller to add."""
    errors = FieldErrors()
    kind = checked_kind(data.kind, errors.add)
    _check_dates(data, now, errors.add)
    summary = errors.text(
        "summary", data.summary, SUMMARY_MAX_LENGTH, _("Write what was discussed.")
    )
    flags = checked_red_flags(kind, data.red_flags_asked, data.red_flags, errors.add)
    participants = checked_users(data.participants, "participants", errors.add)
    follow_ups = _checked_follow_ups(data.follow_ups, errors.add)
    errors.raise_if_any()

    visit.visited_on, visit.kind, visit.summary = data.visited_on, kind, summary  # type: ignore[assignment]
    visit.people_met = (data.people_met or "").strip() or None
    for area in FINDING_AREAS:
        setattr(visit, f"findings_{area}", (data.findings.get(area) or "").strip() or None)
    visit.red_flags_asked = kind == VisitKind.ON_SITE
    visit.red_flags = _merged_flags(visit, flags)
    # Whoever logs the visit went on it: that also lets department staff find their own visits.
    people = {user.id: user for user in [visit.created_by, *participants]}
    visit.participants = list(people.values())
    visit.next_visit_on = data.next_visit_on
    return follow_ups


def _merged_flags(visit: Visit, wanted: list[VisitRedFlag]) -> list[VisitRedFlag]:
    """Keep the stored row of a flag raised again: a new row would clash on its primary key."""
    stored = {row.flag: row for row in visit.red_flags}
    merged = []
    for row in wanted:
        if (kept := stored.get(row.flag)) is not None:
            kept.move_out_reason, kept.note = row.move_out_reason, row.note
            row = kept
        merged.append(row)
    return merged


def _check_dates(data: VisitInput, now: datetime, fail: Fail) -> None:
    if data.visited_on is None:
        fail("visited_on", _("Enter the date of the visit."))
    elif data.visited_on > now.date():
        fail("visited_on", _("Cannot be in the future."))
    elif data.visited_on < EARLIEST_VISIT_ON:
        fail("visited_on", _("Cannot be before %(date)s.", date=EARLIEST_VISIT_ON.isoformat()))
    if data.next_visit_on and data.visited_on and data.next_visit_on <= data.visited_on:
        fail("next_visit_on", _("Must come after the visit."))
    elif data.next_visit_on and data.next_visit_on > now.date() + NEXT_VISIT_HORIZON:
        fail("next_visit_on", _("At most %(years)d years ahead.", years=NEXT_VISIT_HORIZON_YEARS))


def _checked_follow_ups(rows: list[FollowUpInput], fail: Fail) -> list[FollowUpAction]:
    actions = []
    for number, row in enumerate(rows, start=1):
        description = (row.description or "").strip()
        if not description and not row.owner and row.due_on is None:
            continue  # a blank row of the form
        if not description:
            fail("follow_ups", _("Follow-up %(number)d: describe the action.", number=number))
        elif len(description) > DESCRIPTION_MAX_LENGTH:
            fail("follow_ups", _("Follow-up %(number)d: too long.", number=number))
        owners = checked_users([row.owner] if row.owner else [], "follow_ups", fail)
        if not row.owner:
            fail("follow_ups", _("Follow-up %(number)d: choose an owner.", number=number))
        if row.due_on is None:
            fail("follow_ups", _("Follow-up %(number)d: enter a due date.", number=number))
        if owners and row.due_on is not None and description:
            action = FollowUpAction(description=description, owner=owners[0], due_on=row.due_on)
            actions.append(action)
    return actions


def _add_follow_ups(actor: User, visit: Visit, actions: list[FollowUpAction]) -> None:
    for action in actions:
        visit.follow_ups.append(action)
    db.session.flush()
    for action in actions:
        after = snapshot(action, ("description", "owner_id", "due_on", "visit_id"))
        record_change(actor, "create", "follow_up", action.id, diff({}, after))


def _audited(visit: Visit) -> dict[str, Any]:
    values = snapshot(visit, AUDITED_FIELDS)
    values["participants"] = sorted(user.username for user in visit.participants)
    values["red_flags"] = sorted(
        ":".join(filter(None, (row.flag.value, row.move_out_reason))) for row in visit.red_flags
    )
    return values


def _refresh_risk_marker(actor: User, enterprise: Enterprise) -> None:
    """The latest on-site visit decides: a raised flag marks the firm at its date, none clears."""
    latest = db.session.scalar(
        select(Visit)
        .where(
            Visit.enterprise_id == enterprise.id,
            Visit.deleted_at.is_(None),
            Visit.kind == VisitKind.ON_SITE,
        )
        .order_by(Visit.visited_on.desc(), Visit.id.desc())
        .limit(1)
    )
    flagged_on = latest.visited_on if latest is not None and latest.red_flags else None
    if flagged_on == enterprise.risk_flagged_on:
        return
    before = enterprise.risk_flagged_on
    enterprise.risk_flagged_on = flagged_on
    db.session.flush()
    changes = {"risk_flagged_on": [_iso(before), _iso(flagged_on)]}
    record_change(actor, "update", "enterprise", enterprise.id, changes)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None

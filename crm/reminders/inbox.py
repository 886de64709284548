"""Each user's inbox: their own reminders, what each is about and where to act, done and snooze."""

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from crm import keyset
from crm.audit import record_change
from crm.errors import InvalidInputError, NotFoundError
from crm.i18n import current_locale
from crm.labels import label
from crm.reminders.escalations import is_rollup
from crm.reminders.rules import RecordKind, Rule
from crm.requests.labels import label as request_label
from models import (
    EnterpriseRequest,
    FollowUpAction,
    PackageItem,
    PolicyInstrument,
    Reminder,
    ReminderState,
    SubDistrict,
    User,
    db,
)

MAX_SNOOZE_DAYS = 90
INBOX_ORDER = (keyset.Key(Reminder.due_on, date), keyset.Key(Reminder.id, int))


class InboxView(enum.StrEnum):
    OPEN = "open"  # open, not snoozed, within the backlog horizon: what the navigation bar counts
    SNOOZED = "snoozed"
    DONE = "done"  # marked done, or closed because the cause went away
    ALL = "all"
    BACKLOG = "backlog"  # open and overdue longer than the horizon: summarised on the open tab


@dataclass(frozen=True)
class InboxItem:
    reminder: Reminder
    title: str  # what kind of reminder: "Visit due"
    subject: str  # which record: the firm, and the request or action
    url: str
    days_late: int  # negative: due in that many days
    is_snoozed: bool  # snoozed until a day still to come
    firm_count: int | None = None  # a rolled-up escalation: how many firms it lists now


def backlog_days() -> int:
    return int(current_app.config["REMINDER_BACKLOG_DAYS"])


def backlog_cutoff(today: date, days: int | None = None) -> date:
    """Reminders due before this day are the backlog."""
    return today - timedelta(days=backlog_days() if days is None else days)


def awake(today: date) -> ColumnElement[bool]:
    """Not snoozed, or snoozed until a day that has come."""
    return or_(Reminder.snoozed_until.is_(None), Reminder.snoozed_until <= today)


def inbox_query(
    user: User, view: InboxView, today: date, horizon_days: int | None = None
) -> Select[Reminder]:
    """`horizon_days` defaults to the REMINDER_BACKLOG_DAYS setting."""
    query = select(Reminder).where(Reminder.recipient_id == user.id)
    if view == InboxView.OPEN:
        query = query.where(
            Reminder.state == ReminderState.OPEN,
            awake(today),
            Reminder.due_on >= backlog_cutoff(today, horizon_days),
        )
    elif view == InboxView.BACKLOG:
        query = query.where(
            Reminder.state == ReminderState.OPEN,
            awake(today),
            Reminder.due_on < backlog_cutoff(today, horizon_days),
        )
    elif view == InboxView.SNOOZED:
        query = query.where(Reminder.state == ReminderState.OPEN, ~awake(today))
    elif view == InboxView.DONE:
        query = query.where(Reminder.state != ReminderState.OPEN)
    return query.order_by(Reminder.due_on, Reminder.id)


def open_count(user: User, today: date) -> int:
    """What the to-do tab lists one by one (the backlog beyond the horizon is not counted).

    Exact, on every page: counted inside the (recipient, state, due_on, ..., snoozed) index."""
    query = inbox_query(user, InboxView.OPEN, today).order_by(None)
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def count_inbox(user: User, view: InboxView, today: date) -> keyset.Count:
    return keyset.capped_count(inbox_query(user, view, today))


@dataclass(frozen=True)
class InboxPage:
    items: list[InboxItem]
    page: keyset.Page[Reminder]  # the cursors to the pages around it


def page_of_inbox(
    user: User,
    view: InboxView,
    today: date,
    per_page: int,
    after: str | None = None,
    before: str | None = None,
    offset: int = 0,
) -> InboxPage:
    """A page after (or before) a cursor, one index range read at any depth; `offset` for the
    API's ?page=. Raises keyset.CursorError on a cursor this module did not write."""
    query = inbox_query(user, view, today).options(selectinload(Reminder.enterprise))
    page = keyset.page_of(query, INBOX_ORDER, _sort_values, per_page, after, before, offset)
    return InboxPage(describe(page.rows, today), page)


def _sort_values(reminder: Reminder) -> tuple[date, int]:
    return reminder.due_on, reminder.id


def describe(reminders: list[Reminder], today: date) -> list[InboxItem]:
    """What each reminder is about and the page to act on, loading the records in bulk."""
    ids: dict[str, list[int]] = {}
    for reminder in reminders:
        ids.setdefault(reminder.record_kind, []).append(reminder.record_id)
    follow_ups: dict[int, FollowUpAction] = _by_id(FollowUpAction, ids.get(RecordKind.FOLLOW_UP))
    requests: dict[int, EnterpriseRequest] = _by_id(EnterpriseRequest, ids.get(RecordKind.REQUEST))
    places: dict[int, SubDistrict] = _by_id(SubDistrict, ids.get(RecordKind.SUB_DISTRICT))
    items = {
        item.id: item
        for item in db.session.scalars(
            select(PackageItem)
            .where(PackageItem.id.in_(ids.get(RecordKind.PACKAGE_ITEM, [])))
            .options(joinedload(PackageItem.instrument))
        )
    }
    described = []
    for reminder in reminders:
        firm = reminder.enterprise.name if reminder.enterprise is not None else ""
        subject, url = firm, url_for("reminders.show_digest")
        kind, record_id = reminder.record_kind, reminder.record_id
        if kind == RecordKind.ENTERPRISE:
            url = url_for("enterprises.show_enterprise", enterprise_id=record_id)
            if reminder.rule != Rule.FIGURES_MISSING:
                url = url_for("visits.log_visit", enterprise_id=record_id)
        elif kind == RecordKind.FOLLOW_UP and (action := follow_ups.get(record_id)):
            subject = _("%(what)s: %(which)s", what=firm, which=action.description)
            url = url_for("visits.show_visit", visit_id=action.visit_id)
        elif kind == RecordKind.REQUEST and (request := requests.get(record_id)):
            subject = _("%(what)s: %(which)s", what=firm, which=request_label(request.category))
            url = url_for("requests.show_request", request_id=record_id)
        elif kind == RecordKind.PACKAGE_ITEM and (item := items.get(record_id)):
            instrument: PolicyInstrument = item.instrument
            subject = _(
                "%(what)s: %(which)s", what=firm, which=instrument.name_for(current_locale())
            )
            url = url_for("policies.show_package", package_id=item.package_id)
        elif kind == RecordKind.LISTING_TRACK:
            url = url_for("listings.show_track", track_id=record_id)
        elif kind == RecordKind.LISTING_BLOCKER:
            url = url_for("listings.show_blocker", blocker_id=record_id)
        elif kind == RecordKind.DISCOVERY_CANDIDATE:
            subject = _("Discovery candidate no. %(number)d", number=record_id)
            url = url_for("discovery.show_candidate", candidate_id=record_id)
        elif kind == RecordKind.NOMINATION:
            url = url_for("credit.show_nomination", nomination_id=record_id)
        elif kind == RecordKind.NOMINATION_BATCH:
            subject = _("A bank's decisions on a nomination batch")
            url = url_for("credit.show_batch", batch_id=record_id)
        elif kind == RecordKind.DIGEST:
            subject = _("Overdue work, score movers and progress to the targets")
        elif is_rollup(reminder):
            place = places.get(record_id)
            count = reminder.item_count or 0
            subject = ngettext(
                "%(place)s: %(num)d firm a month or more behind its visit",
                "%(place)s: %(num)d firms a month or more behind their visits",
                count,
                place=place.name_for(current_locale()) if place else "",
            )
            url = url_for("reminders.show_reminder", reminder_id=reminder.id)
        described.append(
            InboxItem(
                reminder=reminder,
                title=label(Rule(reminder.rule)),
                subject=subject,
                url=url,
                days_late=(today - reminder.due_on).days,
                is_snoozed=reminder.snoozed_until is not None and reminder.snoozed_until > today,
                firm_count=(reminder.item_count or 0) if is_rollup(reminder) else None,
            )
        )
    return described


def _by_id(model: Any, ids: list[int] | None) -> dict[int, Any]:
    # Asked even for no ids: a page costs the same queries whatever kinds of reminder it shows.
    query = select(model).where(model.id.in_(ids or []))
    return {row.id: row for row in db.session.scalars(query)}


def own_reminder(user: User, reminder_id: int) -> Reminder:
    """The user's own reminder; anyone else's is not found, not forbidden."""
    reminder = db.session.get(Reminder, reminder_id)
    if reminder is None or reminder.recipient_id != user.id:
        raise NotFoundError(_("No such reminder."))
    return reminder


def mark_done(user: User, reminder: Reminder, now: datetime) -> None:
    if reminder.state != ReminderState.OPEN:
        return  # done twice (a double click, two tabs) is still done
    reminder.state = ReminderState.DONE
    reminder.done_at = now
    reminder.snoozed_until = None
    record_change(user, "done", "reminder", reminder.id, {"state": ["open", "done"]})


def snooze(user: User, reminder: Reminder, until: date | None, today: date) -> None:
    if until is None or until <= today:
        raise InvalidInputError({"until": [_("Choose a day after today.")]})
    if until > today + timedelta(days=MAX_SNOOZE_DAYS):
        raise InvalidInputError(
            {
                "until": [
                    ngettext(
                        "Snooze for at most %(num)d day.",
                        "Snooze for at most %(num)d days.",
                        MAX_SNOOZE_DAYS,
                    )
                ]
            }
        )
    if reminder.state != ReminderState.OPEN:
        raise InvalidInputError({"until": [_("Only an open reminder can be snoozed.")]})
    before = reminder.snoozed_until
    reminder.snoozed_until = until
    changes = {"snoozed_until": [before.isoformat() if before else None, until.isoformat()]}
    record_change(user, "snooze", "reminder", reminder.id, changes)

"""JSON API over the caller's own reminders: /api/v1/reminders."""

from typing import Any

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from crm.api.auth import api_user, token_required
from crm.api.cursors import CURSOR_PARAMS, keyset_page, page_answer
from crm.api.paging import QueryArgs
from crm.api.registry import documented, page_of
from crm.api.spec import error, field_errors, query_param
from crm.clock import today, utcnow
from crm.reminders import inbox
from crm.reminders.schemas import Reminder, Snooze
from models import Reminder as ReminderRow
from models import db

bp = Blueprint("reminders_api", __name__, url_prefix="/api/v1/reminders")

NOT_YOURS = error("No such reminder among the caller's own")


@documented(
    "get",
    "/reminders",
    "The caller's own reminders, soonest due first",
    {
        200: page_of("A page of reminders", Reminder),
        422: field_errors("A query parameter is invalid, named in `errors`"),
    },
    parameters=(
        query_param(
            "view",
            "string",
            "open (default: not snoozed, overdue no longer than REMINDER_BACKLOG_DAYS), "
            "snoozed, done, all, backlog (open and overdue longer than that)",
        ),
        *CURSOR_PARAMS,
    ),
)
@bp.get("")
@token_required
def list_reminders() -> Any:
    args = QueryArgs()
    paging = args.paging()
    raw_view = request.args.get("view", inbox.InboxView.OPEN.value)
    views = [member.value for member in inbox.InboxView]
    if raw_view not in views:
        args.errors["view"] = [_("One of: %(values)s.", values=", ".join(views))]
    args.raise_if_invalid()
    view = inbox.InboxView(raw_view)
    found = keyset_page(inbox.page_of_inbox, api_user(), view, today(), paging=paging)
    items = [Reminder.of(item).answer_json() for item in found.items]
    count = inbox.count_inbox(api_user(), view, today())
    return jsonify(page_answer(items, found.page, count, paging))


@documented(
    "post",
    "/reminders/{reminder_id}/done",
    "Mark one of the caller's reminders done (again: no change)",
    {200: ("The reminder as it is now", Reminder), 404: NOT_YOURS},
)
@bp.post("/<int:reminder_id>/done")
@token_required
def mark_done(reminder_id: int) -> Any:
    reminder = inbox.own_reminder(api_user(), reminder_id)
    inbox.mark_done(api_user(), reminder, utcnow())
    db.session.commit()
    return _answer(reminder)


@documented(
    "post",
    "/reminders/{reminder_id}/snooze",
    "Hide an open reminder until a day (at most 90 days ahead)",
    {
        200: ("The reminder as it is now", Reminder),
        404: NOT_YOURS,
        422: field_errors("`until` is missing, malformed, past or too far ahead"),
    },
    body=Snooze,
)
@bp.post("/<int:reminder_id>/snooze")
@token_required
def snooze(reminder_id: int) -> Any:
    reminder = inbox.own_reminder(api_user(), reminder_id)
    inbox.snooze(api_user(), reminder, Snooze.from_request().until, today())
    db.session.commit()
    return _answer(reminder)


def _answer(reminder: ReminderRow) -> dict[str, object]:
    return Reminder.of(inbox.describe([reminder], today())[0]).answer_json()

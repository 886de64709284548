"""JSON API over the caller's own reminders: /api/v1/reminders."""

from datetime import date
from typing import Any

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from crm.api.auth import api_user, token_required
from crm.api.body import json_object
from crm.api.cursors import cursor_args, cursor_error, page_answer
from crm.api.paging import paging_args
from crm.clock import today, utcnow
from crm.keyset import CursorError, offset_of
from crm.reminders import inbox
from models import db

bp = Blueprint("reminders_api", __name__, url_prefix="/api/v1/reminders")


def item_to_dict(item: inbox.InboxItem) -> dict[str, Any]:
    reminder = item.reminder
    return {
        "id": reminder.id,
        "rule": reminder.rule,
        "title": item.title,
        "record": {"kind": reminder.record_kind, "id": reminder.record_id, "url": item.url},
        "subject": item.subject,
        "item_count": item.firm_count,
        "enterprise_id": reminder.enterprise_id,
        "due_on": reminder.due_on.isoformat(),
        "state": reminder.state.value,
        "snoozed_until": reminder.snoozed_until.isoformat() if reminder.snoozed_until else None,
        "created_at": reminder.created_at.isoformat(),
        "done_at": reminder.done_at.isoformat() if reminder.done_at else None,
        "closed_at": reminder.closed_at.isoformat() if reminder.closed_at else None,
    }


@bp.get("")
@token_required
def list_reminders() -> Any:
    errors: dict[str, list[str]] = {}
    page, per_page = paging_args(errors)
    raw_view = request.args.get("view", inbox.InboxView.OPEN.value)
    views = [member.value for member in inbox.InboxView]
    if raw_view not in views:
        errors["view"] = [_("One of: %(values)s.", values=", ".join(views))]
    if errors:
        return jsonify(errors=errors), 422
    view, after, before = inbox.InboxView(raw_view), *cursor_args()
    offset = offset_of(page, per_page)
    try:
        found = inbox.page_of_inbox(api_user(), view, today(), per_page, after, before, offset)
    except CursorError:
        return jsonify(errors=cursor_error()), 422
    items = [item_to_dict(item) for item in found.items]
    count = inbox.count_inbox(api_user(), view, today())
    return jsonify(page_answer(items, found.page, count, page, per_page))


@bp.post("/<int:reminder_id>/done")
@token_required
def mark_done(reminder_id: int) -> Any:
    reminder = inbox.own_reminder(api_user(), reminder_id)
    inbox.mark_done(api_user(), reminder, utcnow())
    db.session.commit()
    return jsonify(item_to_dict(inbox.describe([reminder], today())[0]))


@bp.post("/<int:reminder_id>/snooze")
@token_required
def snooze(reminder_id: int) -> Any:
    reminder = inbox.own_reminder(api_user(), reminder_id)
    raw = json_object().get("until")
    try:
        until = date.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        until = None
    if until is None:
        return jsonify(errors={"until": [_("A date as YYYY-MM-DD.")]}), 422
    inbox.snooze(api_user(), reminder, until, today())
    db.session.commit()
    return jsonify(item_to_dict(inbox.describe([reminder], today())[0]))

"""Reminder e-mail: one message per person per scan, listing what became due, in their language.

A leader may get dozens of escalations in one scan; one message listing them all is read, forty
are filtered away.
"""

import logging
import smtplib
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app, render_template, request
from flask_babel import force_locale, ngettext
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from crm.mail import build_message, send_message
from crm.reminders.inbox import describe
from models import Reminder, ReminderState, User, db

log = logging.getLogger(__name__)
MAIL_ITEMS = 30  # the first scan after a backlog finds hundreds; the inbox lists them all


@contextmanager
def mail_context(user: User) -> Iterator[None]:
    """url_for() and translations outside any request: the CRM's address, the user's language."""
    config = current_app.config
    with (
        current_app.test_request_context(base_url=config["CRM_BASE_URL"]),
        force_locale(user.locale or config["BABEL_DEFAULT_LOCALE"]),
    ):
        yield


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0  # left unmailed: the next scan tries again


def deliver_new(today: date, now: datetime) -> Delivery:
    """Mail every open reminder not mailed yet, one message per person.

    A reminder is marked mailed after its message went out, so a crash in between sends it
    again on the next scan rather than never. A refused message does not stop the others.
    """
    reminders = db.session.scalars(
        select(Reminder)
        .join(User, User.id == Reminder.recipient_id)
        .where(
            Reminder.state == ReminderState.OPEN,
            Reminder.mailed_at.is_(None),
            Reminder.snoozed_until.is_(None),
            User.is_active_account,
            User.email.is_not(None),
            User.email != "",
        )
        .options(selectinload(Reminder.recipient), selectinload(Reminder.enterprise))
        .order_by(Reminder.recipient_id, Reminder.due_on, Reminder.id)
    ).all()
    by_recipient: dict[int, list[Reminder]] = defaultdict(list)
    for reminder in reminders:
        by_recipient[reminder.recipient_id].append(reminder)
    delivery = Delivery()
    for batch in by_recipient.values():
        user = batch[0].recipient
        address = user.email or ""  # the query kept only users with an address
        with mail_context(user):
            items = describe(batch, today)
            subject = ngettext("%(num)d new reminder", "%(num)d new reminders", len(items))
            body = render_template(
                "reminders/reminders_mail.txt",
                user=user,
                items=items[:MAIL_ITEMS],
                more=max(0, len(items) - MAIL_ITEMS),
                host=request.host_url.rstrip("/"),
            )
        try:
            send_message(
                current_app.config, build_message(current_app.config, address, subject, body)
            )
        except (smtplib.SMTPException, OSError):
            log.exception("reminder mail to user %s failed", user.id)
            delivery.failed += 1
            continue
        db.session.execute(
            update(Reminder).where(Reminder.id.in_([r.id for r in batch])).values(mailed_at=now)
        )
        db.session.commit()
        delivery.sent += 1
    return delivery

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
from crm.reminders.inbox import awake, describe
from models import Reminder, ReminderState, User, db

log = logging.getLogger(__name__)
MAIL_ITEMS = 30  # the first scan after a backlog finds hundreds; the inbox lists them all


def claim(ids: list[int], now: datetime) -> set[int]:
    """Mark the reminders mailed if nobody did yet; returns the ones this call marked.

    One UPDATE per reminder, because its row count says reliably on every backend whether this
    process won it (UPDATE ... RETURNING needs SQLite 3.35, newer than some Python 3.11 builds).
    """
    claimed = set()
    for reminder_id in ids:
        result = db.session.execute(
            update(Reminder)
            .where(Reminder.id == reminder_id, Reminder.mailed_at.is_(None))
            .values(mailed_at=now)
        )
        if getattr(result, "rowcount", 0) == 1:
            claimed.add(reminder_id)
    db.session.commit()
    return claimed


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

    Each person's reminders are claimed (marked mailed) before the message goes out, so two
    processes scanning at once (the scheduler and `crm remind`) never mail the same reminder
    twice; a refused message releases its claim for the next scan and does not stop the others.
    A process killed between claim and send loses that message: the reminder is still in the
    inbox.
    """
    reminders = db.session.scalars(
        select(Reminder)
        .join(User, User.id == Reminder.recipient_id)
        .where(
            Reminder.state == ReminderState.OPEN,
            Reminder.mailed_at.is_(None),
            awake(today),
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
        claimed = claim([reminder.id for reminder in batch], now)
        batch = [reminder for reminder in batch if reminder.id in claimed]
        if not batch:
            continue  # another process is mailing these
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
        config = current_app.config
        try:
            send_message(config, build_message(config, address, subject, body))
        except (smtplib.SMTPException, OSError):
            log.exception("reminder mail to user %s failed", user.id)
            db.session.execute(
                update(Reminder).where(Reminder.id.in_(claimed)).values(mailed_at=None)
            )
            db.session.commit()
            delivery.failed += 1
            continue
        delivery.sent += 1
    return delivery

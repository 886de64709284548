"""Reminder e-mail: one message per person per scan, listing what became due, in their language.

A leader may get dozens of escalations in one scan; one message listing them all is read, forty
are filtered away.
"""

import logging
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale, ngettext
from sqlalchemy import ColumnElement, and_, select, update
from sqlalchemy.orm import selectinload

from crm.mail import build_message, send_message
from crm.reminders.backlog import backlog
from crm.reminders.escalations import is_rollup, sample_firms
from crm.reminders.inbox import awake, backlog_cutoff, describe
from crm.reminders.rules import ReminderSettings
from models import Reminder, ReminderState, User, db

log = logging.getLogger(__name__)
MAIL_ITEMS = 30  # the first scan after a backlog finds hundreds; the inbox lists them all
CLAIM_BATCH = 500  # ids per UPDATE: well under every database's limit on bound parameters


def claim(ids: list[int], now: datetime) -> set[int]:
    """Mark the reminders mailed if nobody did yet; returns the ones this call marked.

    UPDATE ... RETURNING says which rows this process won, a few hundred at a time. Without it
    (SQLite before 3.35, in some Python 3.11 builds) one UPDATE per reminder, whose row count
    says it as reliably.
    """
    claimed: set[int] = set()
    returning = db.session.get_bind().dialect.update_returning
    for start in range(0, len(ids), CLAIM_BATCH):
        chunk = ids[start : start + CLAIM_BATCH]
        # Not synchronised with the session: its reminders are reloaded after the commit anyway,
        # and matching every UPDATE against thousands of loaded ones took an hour.
        unclaimed = (
            update(Reminder)
            .where(Reminder.mailed_at.is_(None))
            .values(mailed_at=now)
            .execution_options(synchronize_session=False)
        )
        if returning:
            won = unclaimed.where(Reminder.id.in_(chunk)).returning(Reminder.id)
            claimed.update(db.session.scalars(won))
            continue
        for reminder_id in chunk:
            result = db.session.execute(unclaimed.where(Reminder.id == reminder_id))
            if getattr(result, "rowcount", 0) == 1:
                claimed.add(reminder_id)
    db.session.commit()
    return claimed


def release(ids: set[int]) -> None:
    """Give claimed reminders back to the next scan: their message did not go out."""
    ordered = sorted(ids)
    for start in range(0, len(ordered), CLAIM_BATCH):
        chunk = ordered[start : start + CLAIM_BATCH]
        db.session.execute(
            update(Reminder)
            .where(Reminder.id.in_(chunk))
            .values(mailed_at=None)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()


@contextmanager
def mail_context(user: User) -> Iterator[None]:
    """url_for() and translations outside any request: the CRM's address, the user's language."""
    config = current_app.config
    with (
        current_app.test_request_context(base_url=config["CRM_BASE_URL"]),
        force_locale(user.locale or config["BABEL_DEFAULT_LOCALE"]),
    ):
        yield


def mail_body(template: str, user: User, **context: Any) -> str:
    """A mail's text, rendered inside mail_context, its links to the CRM's address."""
    host = current_app.config["CRM_BASE_URL"].rstrip("/")
    return render_template(template, user=user, host=host, **context)


def mail_to(user: User, subject: str, body: str, failure: str) -> bool:
    """Send one message; False, logging `failure` with the user's id, if the server refused it."""
    config = current_app.config
    try:
        send_message(config, build_message(config, user.email or "", subject, body))
    except (smtplib.SMTPException, OSError):
        log.exception(failure, user.id)
        return False
    return True


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0  # left unmailed: the next scan tries again


def _unmailed(today: date) -> ColumnElement[bool]:
    return and_(Reminder.state == ReminderState.OPEN, Reminder.mailed_at.is_(None), awake(today))


def deliver_new(today: date, now: datetime) -> Delivery:
    """Mail every open reminder not mailed yet, one message per person.

    Each person's reminders are claimed (marked mailed) before the message goes out, so two
    processes scanning at once (the scheduler and `crm remind`) never mail the same reminder
    twice; a refused message releases its claim for the next scan and does not stop the others.
    A process killed between claim and send loses that message: the reminder is still in the
    inbox. Only ids are read for the claim and the message lists the first MAIL_ITEMS: the
    first scan after a backlog claims tens of thousands. Reminders overdue beyond the backlog
    horizon are claimed but not listed: the message counts them, one line per kind.
    """
    cutoff = backlog_cutoff(today)
    settings = ReminderSettings.from_config(current_app.config)
    recipients = db.session.scalars(
        select(User)
        .where(
            User.id.in_(select(Reminder.recipient_id).where(_unmailed(today))),
            User.is_active_account,
            User.email.is_not(None),
            User.email != "",
        )
        .order_by(User.id)
    ).all()
    delivery = Delivery()
    for user in recipients:
        rows = db.session.execute(
            select(Reminder.id, Reminder.due_on)
            .where(Reminder.recipient_id == user.id, _unmailed(today))
            .order_by(Reminder.due_on, Reminder.id)
        ).all()
        claimed = claim([reminder_id for reminder_id, _due_on in rows], now)
        if not claimed:
            continue  # another process is mailing these
        current = [reminder_id for reminder_id, due_on in rows if due_on >= cutoff]
        shown = [reminder_id for reminder_id in current if reminder_id in claimed][:MAIL_ITEMS]
        reminders = db.session.scalars(
            select(Reminder)
            .where(Reminder.id.in_(shown))
            .options(selectinload(Reminder.enterprise))
            .order_by(Reminder.due_on, Reminder.id)
        ).all()
        listed = sum(reminder_id in claimed for reminder_id in current)
        with mail_context(user):
            subject = ngettext("%(num)d new reminder", "%(num)d new reminders", len(claimed))
            body = mail_body(
                "reminders/reminders_mail.txt",
                user,
                items=describe(list(reminders), today),
                firms_of={
                    reminder.id: sample_firms(reminder, today, settings)
                    for reminder in reminders
                    if is_rollup(reminder)
                },
                more=listed - len(reminders),
                backlog=backlog(user, today),
            )
        if not mail_to(user, subject, body, "reminder mail to user %s failed"):
            release(claimed)
            delivery.failed += 1
            continue
        delivery.sent += 1
    return delivery

"""Reminders: what is due, for whom, found by the scheduled scan and kept in each user's inbox."""

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Model, string_enum
from models.enterprise import Enterprise
from models.user import User


class ReminderState(enum.StrEnum):
    OPEN = "open"
    DONE = "done"  # the recipient marked it done
    CLOSED = "closed"  # the scan found its cause gone: the visit logged, the request resolved


class Reminder(Model):
    """One reminder per (rule, record, due date) and recipient, whatever the number of scans.

    The unique key is what makes scans idempotent: a scan stopped half-way, run twice, or run by
    two processes at once inserts each reminder once and leaves the rest untouched.
    """

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint(
            "rule", "record_kind", "record_id", "due_on", "recipient_id", name="reminder_key"
        ),
        # The inbox tabs in due order, read from the index whatever the depth of the page; the
        # open tab filters and the navigation bar counts snoozes inside it.
        Index("ix_reminders_inbox", "recipient_id", "state", "due_on", "id", "snoozed_until"),
        Index("ix_reminders_recipient_due_on", "recipient_id", "due_on", "id"),  # all, done
        Index("ix_reminders_rule_state", "rule", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rule: Mapped[str] = mapped_column(String(40))
    record_kind: Mapped[str] = mapped_column(String(20))  # enterprise, request, follow_up, ...
    record_id: Mapped[int]
    due_on: Mapped[date]
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    state: Mapped[ReminderState] = mapped_column(
        string_enum(ReminderState), default=ReminderState.OPEN
    )
    created_at: Mapped[datetime]
    snoozed_until: Mapped[date | None]
    done_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    mailed_at: Mapped[datetime | None]
    # A rolled-up escalation: how many firms it lists, as of the last scan (None for the rest).
    item_count: Mapped[int | None]

    recipient: Mapped[User] = relationship()
    enterprise: Mapped[Enterprise | None] = relationship()

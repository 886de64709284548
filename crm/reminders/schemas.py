"""The JSON shapes of /api/v1/reminders: the day a reminder sleeps until, and the reminder."""

from datetime import date
from typing import ClassVar, Self

from flask_babel import lazy_gettext as _l
from pydantic import Field

from crm.api.schema import Body, MessageFor, Shape, TimestampWithoutZ
from crm.reminders.inbox import InboxItem
from crm.reminders.rules import RecordKind
from models import ReminderState


class Snooze(Body):
    refusals: ClassVar[MessageFor] = {"until": _l("A date as YYYY-MM-DD.")}

    until: date = Field(description="After today, at most 90 days ahead")


class RemindedRecord(Shape):
    kind: RecordKind = Field(
        description="sub_district: a rolled-up escalation of late visits; its firms are listed "
        "on the page at `url`"
    )
    id: int
    url: str = Field(description="The page to act on")


class Reminder(Shape):
    id: int
    rule: str = Field(description="Which rule found it, e.g. visit_due")
    title: str = Field(description="The rule's name in the caller's language")
    record: RemindedRecord
    subject: str
    item_count: int | None = Field(
        description="A rolled-up escalation (record kind sub_district): how many late firms it "
        "lists, as of the last scan; null for other reminders"
    )
    enterprise_id: int | None
    due_on: date
    state: ReminderState
    snoozed_until: date | None
    created_at: TimestampWithoutZ
    done_at: TimestampWithoutZ | None
    closed_at: TimestampWithoutZ | None

    @classmethod
    def of(cls, item: InboxItem) -> Self:
        reminder = item.reminder
        kind = RecordKind(reminder.record_kind)
        record = RemindedRecord(kind=kind, id=reminder.record_id, url=item.url)
        return cls.from_row(
            reminder,
            title=item.title,
            record=record,
            subject=item.subject,
            item_count=item.firm_count,
        )

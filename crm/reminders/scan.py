"""The reminder scan: store what the rules find, close what they no longer find.

Safe to stop at any point and to run twice at once: it commits in batches, and the unique key
of a reminder makes a second insert of the same (rule, record, due date, recipient) a no-op.
"""

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from crm.reminders.rules import FINDERS, Due, ReminderSettings
from models import Reminder, ReminderState, User, db

BATCH_SIZE = 500


def batched(items: list[Any], size: int) -> Iterator[list[Any]]:
    """itertools.batched arrives with Python 3.12; the CRM runs on 3.11."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class ScanSummary:
    created: int = 0
    reopened: int = 0
    closed: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def insert_ignoring_duplicates(rows: list[dict[str, Any]]) -> None:
    """Insert reminders; one another scan inserted meanwhile is skipped, not an error."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        statement: Any = postgresql.insert(Reminder).on_conflict_do_nothing()
    elif dialect == "sqlite":
        statement = sqlite.insert(Reminder).on_conflict_do_nothing()
    else:  # pragma: no cover -- the CRM runs on SQLite and PostgreSQL only
        statement = insert(Reminder)
    db.session.execute(statement, rows)


def _row(due: Due, now: datetime) -> dict[str, Any]:
    return {
        "rule": due.rule.value,
        "record_kind": due.record_kind.value,
        "record_id": due.record_id,
        "due_on": due.due_on,
        "recipient_id": due.recipient_id,
        "enterprise_id": due.enterprise_id,
        "state": ReminderState.OPEN,
        "created_at": now,
    }


def _set_state(ids: list[int], was: ReminderState, values: dict[str, Any]) -> None:
    # `was` again in the WHERE: a reminder marked done since the scan read it stays done.
    for chunk in batched(ids, BATCH_SIZE):
        db.session.execute(
            update(Reminder).where(Reminder.id.in_(chunk), Reminder.state == was).values(**values)
        )
        db.session.commit()


def scan(
    today: date, now: datetime, settings: ReminderSettings, batch_size: int = BATCH_SIZE
) -> ScanSummary:
    summary = ScanSummary()
    active = set(db.session.scalars(select(User.id).where(User.is_active_account)))
    for finder, rules in FINDERS:
        found = {due.key: due for due in finder(today, settings) if due.recipient_id in active}
        stored = {
            (rule, kind, record_id, due_on, recipient_id): (reminder_id, state)
            for reminder_id, rule, kind, record_id, due_on, recipient_id, state in (
                db.session.execute(
                    select(
                        Reminder.id,
                        Reminder.rule,
                        Reminder.record_kind,
                        Reminder.record_id,
                        Reminder.due_on,
                        Reminder.recipient_id,
                        Reminder.state,
                    ).where(Reminder.rule.in_([rule.value for rule in rules]))
                )
            )
        }
        db.session.commit()  # end the read transaction before the batches of writes
        new = [due for key, due in found.items() if key not in stored]
        for chunk in batched(new, batch_size):
            insert_ignoring_duplicates([_row(due, now) for due in chunk])
            db.session.commit()
        summary.created += len(new)
        reopen = [rid for key, (rid, state) in stored.items() if key in found and state == "closed"]
        gone = [rid for key, (rid, state) in stored.items() if key not in found and state == "open"]
        _set_state(reopen, ReminderState.CLOSED, {"state": ReminderState.OPEN, "closed_at": None})
        _set_state(gone, ReminderState.OPEN, {"state": ReminderState.CLOSED, "closed_at": now})
        summary.reopened += len(reopen)
        summary.closed += len(gone)
    return summary

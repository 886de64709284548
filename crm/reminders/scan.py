"""The reminder scan: store what the rules find, close what they no longer find.

Set-based: a rule's due rows go into a temporary table on the database side, and three
statements compare them with the stored reminders: insert the new ones, reopen the closed ones
found again, close the open ones no longer found. Nothing is loaded into Python, whatever the
size of the district.

Safe to stop at any point and to run twice at once: each rule's changes commit together, and the
unique key of a reminder makes a second insert of the same (rule, record, due date, recipient) a
no-op.
"""

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import (
    Column,
    Connection,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    delete,
    exists,
    insert,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from crm.reminders.rules import FINDERS, DueQuery, Rule, to_active_users
from crm.reminders.settings import ReminderSettings
from models import Reminder, ReminderState, db

KEY = ("rule", "record_kind", "record_id", "due_on", "recipient_id")

# One per connection (a temporary table is private to it), so two scans never see each other's.
DUE = Table(
    "due_reminders",
    MetaData(),
    Column("rule", String(40), primary_key=True),
    Column("record_kind", String(20), primary_key=True),
    Column("record_id", Integer, primary_key=True),
    Column("due_on", Date, primary_key=True),
    Column("recipient_id", Integer, primary_key=True),
    Column("enterprise_id", Integer),
    Column("item_count", Integer),
    prefixes=["TEMPORARY"],
)
STORED = cast(Table, Reminder.__table__)  # mapped classes type it as a FromClause


@dataclass
class ScanSummary:
    created: int = 0
    reopened: int = 0
    closed: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def ignoring_duplicates(table: Table, connection: Connection) -> Any:
    """An INSERT that skips a row whose key is already there (another scan put it in meanwhile)
    instead of failing."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()
    return insert(table)  # pragma: no cover -- the CRM runs on SQLite and PostgreSQL only


def insert_ignoring_duplicates(rows: list[dict[str, Any]]) -> None:
    """Insert reminders given as rows, in the session's transaction."""
    connection = db.session.connection()
    connection.execute(ignoring_duplicates(STORED, connection), rows)


def scan(today: date, now: datetime, settings: ReminderSettings) -> ScanSummary:
    summary = ScanSummary()
    db.session.commit()  # the scan's own connection must see everything the caller wrote
    with db.engine.connect() as connection:
        _drop_due_table(connection)
        DUE.create(connection)
        connection.commit()
        try:
            for finder, rules in FINDERS:
                _collect(connection, finder(today, settings))
                _apply(connection, rules, now, summary)
        finally:
            connection.rollback()
            _drop_due_table(connection)
            connection.commit()
    return summary


def _drop_due_table(connection: Connection) -> None:
    # A scan that failed half-way may leave it on a pooled connection.
    connection.execute(text(f"DROP TABLE IF EXISTS {DUE.name}"))


def _collect(connection: Connection, found: DueQuery) -> None:
    """Fill the table with a rule's due rows, and commit: only reads of the stored data."""
    statement = ignoring_duplicates(DUE, connection).from_select(
        [*KEY, "enterprise_id", "item_count"], to_active_users(found)
    )
    connection.execute(statement)
    connection.commit()


def _apply(
    connection: Connection, rules: frozenset[Rule], now: datetime, summary: ScanSummary
) -> None:
    """One transaction that starts by writing, so SQLite takes its write lock before reading:
    a read first would fail to upgrade if a web request wrote meanwhile."""
    found = exists().where(*(DUE.c[column] == STORED.c[column] for column in KEY))
    new = select(*DUE.c, literal(ReminderState.OPEN.value), literal(now)).where(
        ~exists().where(and_(*(STORED.c[column] == DUE.c[column] for column in KEY)))
    )
    summary.created += connection.execute(
        ignoring_duplicates(STORED, connection).from_select(
            [*KEY, "enterprise_id", "item_count", "state", "created_at"],
            # In key order: two scans inserting the same rows wait for each other, never deadlock.
            new.order_by(*(DUE.c[column] for column in KEY)),
        ),
        execution_options={"preserve_rowcount": True},  # kept only for UPDATE and DELETE
    ).rowcount
    ours = STORED.c.rule.in_([rule.value for rule in rules])
    summary.reopened += connection.execute(
        update(STORED)
        .where(ours, STORED.c.state == ReminderState.CLOSED, found)
        .values(state=ReminderState.OPEN, closed_at=None)
    ).rowcount
    # A rolled-up escalation's firms come and go within its week: its count follows them.
    same = and_(*(DUE.c[column] == STORED.c[column] for column in KEY))
    new_count = select(DUE.c.item_count).where(same).scalar_subquery()
    connection.execute(
        update(STORED)
        .where(ours, exists().where(same, DUE.c.item_count.is_distinct_from(STORED.c.item_count)))
        .values(item_count=new_count)
    )
    # Only open ones: a reminder marked done stays done, whatever the rules find.
    summary.closed += connection.execute(
        update(STORED)
        .where(ours, STORED.c.state == ReminderState.OPEN, ~found)
        .values(state=ReminderState.CLOSED, closed_at=now)
    ).rowcount
    connection.execute(delete(DUE))
    connection.commit()

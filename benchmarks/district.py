"""A district-sized database for `make bench`: the demo, deepened and tiled to 100,000 firms.

Stage 1 seeds the demo (`seed_demo`, the same generator `make run` uses) on a base of firms (its
history runs back to 2013: about 12 visits and 0.4 packages per firm), scores it at several dates
and runs a year of reminder scans, so every table a page or a job reads holds what a year of real
use leaves behind. Stage 2 copies every firm-owned row `copies - 1` times with INSERT ... SELECT,
offsetting each primary and foreign key by the table's span, so 2,000 demo firms become 100,000 with
the same shapes: tiers, managers in every sub-district, requests in every state. Accounts, places
and scoring runs are shared by all copies, as in a real district where ~14 sub-districts and a few
dozen people look after the whole reservoir.

Nothing here is timed. The result is keyed by its parameters and a digest of the schema and of
this file: a database built for the same key is reused as is.
"""

import argparse
import hashlib
import inspect
import random
import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from time import perf_counter
from typing import Any

from sqlalchemy import (
    String,
    Table,
    cast,
    func,
    insert,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.engine import Engine

AS_OF = date(2026, 11, 16)  # a Monday: the demo's "today"
SEED = 2025
BASE_FIRMS = 2_000
FIRMS = 100_000
SCORING_DATES = (date(2026, 2, 16), date(2026, 5, 18), date(2026, 8, 17), AS_OF)
REMINDER_SCANS = 12  # a scan a month over the year before AS_OF
DONE_SHARE = 0.6  # of the reminders still open a month after they fell due, marked done by people
KEY_TABLE = "bench_dataset"  # holds the key the database was built for

# Rows that belong to a firm are copied with it. record_id columns point at a table named by
# a kind column; they are offset by that table's span.
RECORD_KINDS = {
    "enterprise": "enterprises",
    "follow_up": "follow_up_actions",
    "request": "enterprise_requests",
    "package_item": "package_items",
    "listing_track": "listing_tracks",
    "listing_blocker": "listing_blockers",
    "discovery_candidate": "discovery_candidates",
    "nomination": "nominations",
}
# A reminder about a record that is not copied (a digest, a sub-district's roll-up, a bank's
# nomination batch) would only repeat itself.
NOT_COPIED = {
    "reminders": text(f"reminders.record_kind IN ({', '.join(repr(k) for k in RECORD_KINDS)})")
}


@dataclass(frozen=True)
class Plan:
    firms: int = FIRMS
    base_firms: int = BASE_FIRMS

    @property
    def copies(self) -> int:
        return max(1, round(self.firms / self.base_firms))


def settings(database_url: str, folder: Path) -> dict[str, object]:
    """The app that builds the data: no CSRF, throttling or mail, the pages in English."""
    return {
        "CRM_ENV": "testing",
        "TESTING": True,
        "SECRET_KEY": "bench-secret-key-that-is-long-enough-for-checks",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "BABEL_DEFAULT_LOCALE": "en",
        "CRM_BASE_URL": "http://127.0.0.1:5000",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "CRM_UPLOAD_FOLDER": str(folder / "uploads"),
        "MODEL_FOLDER": str(folder / "models"),
        "MAIL_SERVER": "",
    }


def dataset_key(plan: Plan) -> str:
    """Parameters, the schema and this generator: any change builds a new database."""
    from sqlalchemy.schema import CreateTable

    from models import db

    digest = hashlib.sha256(repr(plan).encode())
    for table in db.metadata.sorted_tables:
        digest.update(str(CreateTable(table)).encode())
        digest.update(repr(sorted(index.name or "" for index in table.indexes)).encode())
    digest.update(inspect.getsource(sys.modules[__name__]).encode())
    return digest.hexdigest()[:16]


def stored_key(engine: Engine) -> str | None:
    with engine.connect() as connection:
        try:
            return connection.execute(text(f"SELECT key FROM {KEY_TABLE}")).scalar()  # noqa: S608 - constant
        except Exception:  # no such table: never built here
            return None


def ensure_district(database_url: str, folder: Path, plan: Plan) -> dict[str, int]:
    """Build the district database at `database_url` unless it already holds this plan's build.
    Returns the row count of every table."""
    from crm import create_app
    from models import db

    app = create_app(settings(database_url, folder))
    with app.app_context():
        try:
            key = dataset_key(plan)
            if stored_key(db.engine) == key:
                print(f"reusing the district database ({key})", flush=True)
            else:
                build(plan, key)
            return row_counts()
        finally:
            db.session.remove()
            for engine in db.engines.values():  # pooled connections would outlive the app
                engine.dispose()


def build(plan: Plan, key: str) -> None:
    from flask_migrate import upgrade

    from models import db

    started = perf_counter()
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text(f"DROP TABLE IF EXISTS {KEY_TABLE}"))
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))
    print(f"stage 1: demo of {plan.base_firms:,} firms with a year of use ...", flush=True)
    seed_base(plan)
    print(f"  {perf_counter() - started:.0f} s; stage 2: {plan.copies} copies ...", flush=True)
    tile(plan.copies)
    print(f"  {perf_counter() - started:.0f} s; valid credit codes, statistics ...", flush=True)
    rewrite_credit_codes()
    with db.engine.begin() as connection:
        connection.execute(text("ANALYZE"))
        connection.execute(text(f"CREATE TABLE {KEY_TABLE} (key VARCHAR(32))"))
        connection.execute(text(f"INSERT INTO {KEY_TABLE} VALUES ('{key}')"))  # noqa: S608
    print(f"  built in {perf_counter() - started:.0f} s", flush=True)


def seed_base(plan: Plan) -> None:
    from crm.reference import load_reference_data
    from crm.seeding import seed_demo
    from models import db

    load_reference_data()
    seed_demo(plan.base_firms, SEED, AS_OF)
    db.session.commit()
    score_history()
    reminder_history()


def score_history() -> None:
    from crm.pipeline.rescoring import rescore
    from models import db

    for as_of in SCORING_DATES:
        rescore(as_of, datetime.combine(as_of, time(2)))
        db.session.commit()


def reminder_history() -> None:
    """Monthly scans over the year before AS_OF; people mark most of what they saw done."""
    from flask import current_app

    from crm.reminders.rules import ReminderSettings
    from crm.reminders.scan import scan
    from models import Reminder, ReminderState, db

    reminder_settings = ReminderSettings.from_config(current_app.config)
    rng = random.Random(SEED)  # noqa: S311 - reproducible benchmark data
    for month in range(REMINDER_SCANS, -1, -1):
        day = AS_OF - timedelta(days=30 * month)
        now = datetime.combine(day, time(6))
        scan(day, now, reminder_settings)
        stale = db.session.scalars(
            select(Reminder.id).where(
                Reminder.state == ReminderState.OPEN,
                Reminder.due_on < day - timedelta(days=30),
            )
        ).all()
        done = [rid for rid in stale if rng.random() < DONE_SHARE]
        for start in range(0, len(done), 500):
            db.session.execute(
                update(Reminder)
                .where(Reminder.id.in_(done[start : start + 500]))
                .values(state=ReminderState.DONE, done_at=now)
            )
        db.session.commit()


def firm_tables() -> list[Table]:
    """Tables whose rows belong to a firm, parents first: enterprises and everything hanging off
    it through foreign keys."""
    from models import db

    owned = {"enterprises"}
    changed = True
    while changed:
        changed = False
        for table in db.metadata.sorted_tables:
            if table.name in owned:
                continue
            parents = {key.column.table.name for key in table.foreign_keys}
            if parents & owned:
                owned.add(table.name)
                changed = True
    return [table for table in db.metadata.sorted_tables if table.name in owned]


def tile(copies: int) -> None:
    from models import db

    tables = firm_tables()
    spans = {
        table.name: db.session.scalar(select(func.max(table.c.id))) or 0
        for table in tables
        if "id" in table.c
    }
    for copy in range(1, copies):
        for table in tables:
            columns = [column.name for column in table.c]
            source = select(*(_offset(table, name, copy, spans) for name in columns))
            source = source.where(*_originals(table, spans))
            db.session.execute(insert(table).from_select(columns, source))
        db.session.commit()
    _scale_runs(copies)
    if db.engine.dialect.name == "postgresql":
        for table in tables:
            if "id" in table.c:
                db.session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608
                        f"(SELECT MAX(id) FROM {table.name}))"
                    )
                )
    db.session.commit()


def _originals(table: Table, spans: dict[str, int]) -> list[Any]:
    """Only stage 1's rows are copied (the copies made so far have larger keys)."""
    conditions: list[Any] = [NOT_COPIED[table.name]] if table.name in NOT_COPIED else []
    if "id" in table.c:
        return [*conditions, table.c.id <= spans[table.name]]
    for column in table.c:
        for key in column.foreign_keys:
            parent = key.column.table.name
            if parent in spans:
                return [*conditions, column <= spans[parent]]
    raise ValueError(f"{table.name}: no key to tell original rows")


def _offset(table: Table, name: str, copy: int, spans: dict[str, int]) -> Any:
    column = table.c[name]
    if name == "id" and table.name in spans:
        return (column + spans[table.name] * copy).label(name)
    for key in column.foreign_keys:
        parent = key.column.table.name
        if parent in spans:
            return (column + spans[parent] * copy).label(name)
    if table.name == "enterprises" and name == "uscc":
        # Unique for now; rewrite_credit_codes gives every copy a valid code afterwards.
        return ("T" + cast(table.c.id + spans["enterprises"] * copy, String)).label(name)
    if table.name == "enterprises" and name == "name":
        return (column + literal(f" {copy + 1}")).label(name)
    if name == "record_id" and "record_kind" in table.c:
        return _record_offset(table, copy, spans).label(name)
    return column


def _record_offset(table: Table, copy: int, spans: dict[str, int]) -> Any:
    from sqlalchemy import case

    whens = [
        (table.c.record_kind == kind, table.c.record_id + spans[target] * copy)
        for kind, target in RECORD_KINDS.items()
    ]
    return case(*whens, else_=table.c.record_id)


def _scale_runs(copies: int) -> None:
    from models import ScoringRun, db

    db.session.execute(update(ScoringRun).values(firms=ScoringRun.firms * copies))


def rewrite_credit_codes() -> None:
    """Copies got placeholder codes; give each a valid USCC (check character included), so
    exports of the district import back as they would from a real office."""
    from crm.enterprises.uscc import uscc_check_character
    from models import Enterprise, db

    ids = db.session.scalars(
        select(Enterprise.id).where(Enterprise.uscc.startswith("T")).order_by(Enterprise.id)
    ).all()
    taken = set(db.session.scalars(select(Enterprise.uscc)))
    rows = []
    for firm_id in ids:
        body = f"91310106MA{firm_id:07d}"
        code = body + uscc_check_character(body)
        if code in taken:
            raise ValueError(f"credit code {code} generated twice")
        rows.append({"firm_id": firm_id, "code": code})
    table = Enterprise.__table__
    statement = (
        update(table)
        .where(table.c.id == _bind("firm_id"))
        .values(uscc=_bind("code"))
        .execution_options(synchronize_session=False)
    )
    connection = db.session.connection()
    for start in range(0, len(rows), 10_000):
        connection.execute(statement, rows[start : start + 10_000])
    db.session.commit()


def _bind(name: str) -> Any:
    from sqlalchemy import bindparam

    return bindparam(name)


def row_counts() -> dict[str, int]:
    from sqlalchemy import inspect as inspect_database

    from models import db

    counts: dict[str, int] = defaultdict(int)
    present = set(inspect_database(db.engine).get_table_names())
    for table in db.metadata.sorted_tables:
        if table.name not in present:
            continue
        counts[table.name] = db.session.scalar(select(func.count()).select_from(table)) or 0
    return dict(counts)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.district")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--firms", type=int, default=FIRMS)
    parser.add_argument("--base-firms", type=int, default=BASE_FIRMS)
    parser.add_argument("--folder", type=Path, default=Path("instance/bench"))
    arguments = parser.parse_args(argv)
    arguments.folder.mkdir(parents=True, exist_ok=True)
    counts = ensure_district(
        arguments.database_url, arguments.folder, Plan(arguments.firms, arguments.base_firms)
    )
    for name, count in sorted(counts.items()):
        print(f"  {name:<28}{count:>12,}")


if __name__ == "__main__":
    main(sys.argv[1:])

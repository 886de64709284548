"""SQLite's connection settings, and the queue that lets many writers share one database file.

SQLite lets one connection write at a time. pysqlite reads outside a transaction and begins one,
here `BEGIN IMMEDIATE`, just before the first INSERT, UPDATE or DELETE, so a writer waits for the
lock (busy_timeout) instead of failing at once as a read transaction upgraded to a write does.
Waiting in SQLite is a poll with growing sleeps, though, and unfair: with 50 threads of one
process writing at once, a few waited past the timeout ("database is locked", 7 to 9 writes in
1,000). So within a process writers first queue on a lock per database file, and only the head
of the queue asks SQLite; other processes still wait through busy_timeout. PostgreSQL needs none
of this: it locks rows, not the database.
"""

import threading
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import Pool

BUSY_TIMEOUT_SECONDS = 10
# Per connection. WAL lets the web workers read while the scheduler writes, and with NORMAL sync it
# stays durable across an application crash (a power cut may lose the last commits, not the file);
# writers wait for each other instead of failing with "database is locked"; the default 2 MB page
# cache re-reads a district's indices from the kernel on every page.
SQLITE_PRAGMAS = (
    "PRAGMA foreign_keys=ON",
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}",
    "PRAGMA cache_size=-16000",
    "PRAGMA temp_store=MEMORY",
)
# What begins a write: pysqlite's own list, plus SAVEPOINT, which would begin a deferred
# transaction that fails at its first write if another connection holds the lock.
WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE")
GATE, HOLDS_GATE = "crm_write_gate", "crm_holds_write_gate"

_gates: dict[str, threading.Lock] = {}
_gates_guard = threading.Lock()


def _gate_for(path: str) -> threading.Lock:
    with _gates_guard:
        return _gates.setdefault(path, threading.Lock())


@event.listens_for(Pool, "connect")
def tune_sqlite(dbapi_connection: Any, record: Any) -> None:
    if not type(dbapi_connection).__module__.startswith("sqlite3"):
        return
    dbapi_connection.isolation_level = "IMMEDIATE"  # the BEGIN pysqlite emits before a write
    for pragma in SQLITE_PRAGMAS:
        dbapi_connection.execute(pragma)
    # The file as SQLite resolved it ("" in memory: one connection, nobody to queue with).
    path = dbapi_connection.execute("PRAGMA database_list").fetchone()[2]
    if path:
        record.info[GATE] = _gate_for(path)


@event.listens_for(Engine, "before_cursor_execute")
def queue_for_the_write_lock(
    connection: Connection, _cursor: Any, statement: str, *_args: Any
) -> None:
    pooled = connection.connection
    gate = pooled.info.get(GATE)
    if gate is None:  # PostgreSQL, or SQLite in memory
        return
    in_transaction = pooled.dbapi_connection.in_transaction  # type: ignore[union-attr]
    if pooled.info.get(HOLDS_GATE):
        if in_transaction:
            return
        _release(pooled.info)  # the transaction ended behind SQLAlchemy's back
    if in_transaction:
        return
    verb = statement.lstrip()[:9].upper()
    if verb.startswith(WRITE_VERBS):
        _acquire(pooled.info, gate)
    elif verb.startswith("SAVEPOINT"):
        _acquire(pooled.info, gate)
        pooled.dbapi_connection.execute("BEGIN IMMEDIATE")  # type: ignore[union-attr]


def _acquire(info: dict[str, Any], gate: threading.Lock) -> None:
    # Past the timeout, go ahead: SQLite's own wait then decides. The queue only makes waiting
    # fair, it never stands in for the database's lock.
    if gate.acquire(timeout=BUSY_TIMEOUT_SECONDS):
        info[HOLDS_GATE] = True


def _release(info: dict[str, Any]) -> None:
    if info.pop(HOLDS_GATE, False):
        info[GATE].release()


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def leave_the_write_queue(connection: Connection) -> None:
    # Just before COMMIT or ROLLBACK: the next writer's BEGIN waits the moment it takes.
    if not connection.closed and not connection.invalidated:
        _release(connection.connection.info)


@event.listens_for(Pool, "checkin")
@event.listens_for(Pool, "invalidate")
@event.listens_for(Pool, "close")
def leave_the_write_queue_with_the_connection(_dbapi_connection: Any, record: Any, *_: Any) -> None:
    # A connection returned, broken or closed mid-transaction: its transaction is over.
    if record is not None:
        _release(record.info)

"""Putting a backup back: check it first, keep the database it replaces, then swap.

A restore replaces the whole database. It is meant for a stopped site: the web workers and the
scheduler should be stopped first, or they keep writing into (SQLite) or waiting on (PostgreSQL)
a database that changes under them.
"""

import re
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL

from crm.operations.backup import (
    BackupError,
    backup_database,
    copy_sqlite,
    pg_program,
    run_pg,
    sqlite_path,
)

CORE_TABLES = frozenset({"alembic_version", "users", "enterprises", "visits"})
PG_TABLE_ENTRY = re.compile(r"^\d+; \d+ \d+ TABLE public (\S+) ", re.MULTILINE)
LOCK_TIMEOUT = "10s"  # a restore that waits on a running worker's lock stops instead of hanging


@dataclass(frozen=True)
class Schema:
    """What the code expects: its head revision, the revisions before it, its tables."""

    head: str
    ancestors: frozenset[str]
    tables: frozenset[str]

    @classmethod
    def of(cls, migrations: Path, tables: set[str]) -> "Schema":
        script = ScriptDirectory(str(migrations))
        head = script.get_current_head()
        if head is None:
            raise BackupError("The code has no migrations: nothing to compare a backup with.")
        revisions = {revision.revision for revision in script.iterate_revisions(head, "base")}
        return cls(head, frozenset(revisions - {head}), frozenset(tables))


@dataclass(frozen=True)
class Restored:
    revision: str
    needs_upgrade: bool  # the backup is older than the code: run `flask db upgrade`
    replaced: Path | None  # the database that was there before, kept as a backup file


def check_contents(name: str, revision: str | None, tables: set[str], schema: Schema) -> bool:
    """Refuse a backup that is not of this CRM or is newer than the code; True when it needs
    `flask db upgrade` after the restore."""
    if missing := sorted(CORE_TABLES - tables):
        raise BackupError(f"{name} is not a CRM backup: it has no {', '.join(missing)} table.")
    if revision == schema.head:
        if missing := sorted(schema.tables - tables):
            raise BackupError(f"{name} lacks tables the code needs: {', '.join(missing)}.")
        return False
    if revision in schema.ancestors:
        return True
    raise BackupError(
        f"{name} is at schema revision {revision}, which this code does not know (a newer "
        f"version of the CRM, or another application); the code is at {schema.head}."
    )


def restore_database(
    source: Path, url: URL, schema: Schema, aside: Path, now: datetime, overwrite: bool
) -> Restored:
    """Check the backup at `source`, keep the current database in the folder `aside`, and
    replace the database at `url` with the backup."""
    if not source.is_file():
        raise BackupError(f"There is no backup file at {source}.")
    if url.get_backend_name() == "sqlite":
        return _restore_sqlite(source, sqlite_path(url), url, schema, aside, now, overwrite)
    if url.get_backend_name() == "postgresql":
        return _restore_postgres(source, url, schema, aside, now, overwrite)
    raise BackupError(f"No restore method for {url.get_backend_name()} databases.")


def _refuse_overwrite(where: str) -> None:
    raise BackupError(
        f"{where} holds a database, which the restore would replace. Stop the web server and "
        "the scheduler, then rerun with --yes (the replaced database is kept as a file)."
    )


def _restore_sqlite(
    source: Path, live: Path, url: URL, schema: Schema, aside: Path, now: datetime, overwrite: bool
) -> Restored:
    exists = live.is_file() and live.stat().st_size > 0
    if exists and not overwrite:
        _refuse_overwrite(str(live))
    staged = live.with_name(f".{live.name}.restoring")
    staged.unlink(missing_ok=True)
    try:
        copy_sqlite(source, staged)  # checked as a copy: the backup file itself is never touched
        revision, needs_upgrade = _check_sqlite(source.name, staged, schema)
        replaced = None
        if exists:
            replaced = backup_database(url, aside / f"replaced-{now:%Y%m%d-%H%M%S}.sqlite3", now)
        # Through the backup API, not a file rename: SQLite's own locks cover the swap, and
        # the -wal file of the old database cannot be replayed over the new one.
        with (
            closing(sqlite3.connect(staged)) as origin,
            closing(sqlite3.connect(live, timeout=30)) as target,
        ):
            origin.backup(target)
    finally:
        staged.unlink(missing_ok=True)
    return Restored(revision, needs_upgrade, replaced)


def _check_sqlite(name: str, staged: Path, schema: Schema) -> tuple[str, bool]:
    try:
        with closing(sqlite3.connect(staged)) as connection:
            verdict = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
            revision = None
            if "alembic_version" in tables:
                revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{name} is damaged: {error}.") from error
    if verdict != ["ok"]:
        raise BackupError(f"{name} is damaged: {'; '.join(verdict[:3])}.")
    found = revision[0] if revision else None
    return str(found), check_contents(name, found, tables, schema)


def _restore_postgres(
    source: Path, url: URL, schema: Schema, aside: Path, now: datetime, overwrite: bool
) -> Restored:
    listing = _pg_archive(["pg_restore", "--list", str(source)], source).decode()
    script = _pg_archive(
        ["pg_restore", "--data-only", "--table=alembic_version", "--file=-", str(source)], source
    ).decode()
    found = re.search(r"^COPY public\.alembic_version .*\n(\w+)\n", script, re.MULTILINE)
    revision = found.group(1) if found else None
    tables = set(PG_TABLE_ENTRY.findall(listing))
    needs_upgrade = check_contents(source.name, revision, tables, schema)
    in_use = run_pg(
        [
            "psql",
            "--no-psqlrc",
            "--tuples-only",
            "--no-align",
            "--command",
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
        ],
        url,
    )
    replaced = None
    if int(in_use.strip() or 0):
        if not overwrite:
            _refuse_overwrite(f"The database {url.database}")
        replaced = backup_database(url, aside / f"replaced-{now:%Y%m%d-%H%M%S}.dump", now)
    restore_script = _pg_archive(
        ["pg_restore", "--no-owner", "--no-privileges", "--file=-", str(source)], source
    )
    # One transaction: the old schema goes and the backup comes in together, or nothing changes.
    run_pg(
        [
            "psql",
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "--set=ON_ERROR_STOP=1",
            f"--command=SET lock_timeout = '{LOCK_TIMEOUT}'",
            "--command=DROP SCHEMA public CASCADE",
            "--command=CREATE SCHEMA public",
            "--file=-",
        ],
        url,
        stdin=restore_script,
    )
    return Restored(str(revision), needs_upgrade, replaced)


def _pg_archive(command: list[str], source: Path) -> bytes:
    """pg_restore on the file alone (no database): refuses anything not a pg_dump archive."""
    finished = subprocess.run(  # noqa: S603 - our arguments, no shell
        [pg_program(command[0]), *command[1:]], capture_output=True, check=False
    )
    if finished.returncode != 0:
        said = finished.stderr.decode(errors="replace").strip().splitlines()[-1:]
        raise BackupError(
            f"{source.name} is not a pg_dump archive of the custom format "
            f"(pg_restore: {' '.join(said)})."
        )
    return finished.stdout

"""Consistent backups of the live database: SQLite's online backup API, or pg_dump's archive.

A backup is taken while the web workers and the scheduler keep writing: SQLite copies the whole
file in one step of its backup API, inside one read transaction (under WAL, writers go on and
the copy holds exactly the commits made before it started); pg_dump reads one snapshot.
"""

import os
import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import URL

from crm.errors import DomainError

BACKUP_NAME = re.compile(r"^crm-\d{8}-\d{6}\.(sqlite3|dump)$")  # what retention may delete
PG_TIMEOUT_SECONDS = 6 * 3600  # a district's dump takes minutes; only a hung server takes hours


class BackupError(DomainError):
    """The backup or restore could not be made; the message says why and what to do."""


def suffix_for(url: URL) -> str:
    return ".sqlite3" if url.get_backend_name() == "sqlite" else ".dump"


def backup_name(url: URL, now: datetime) -> str:
    return f"crm-{now:%Y%m%d-%H%M%S}{suffix_for(url)}"


def sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:" or url.database.startswith("file::memory"):
        raise BackupError("An in-memory SQLite database lives in one process: nothing to back up.")
    return Path(url.database)


def target_path(url: URL, destination: Path, now: datetime) -> Path:
    """DEST as given, or a timestamped file inside it when it is a folder."""
    if destination.is_dir():
        destination = destination / backup_name(url, now)
    if destination.exists():
        raise BackupError(f"{destination} exists already: name another file, or a folder.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    return destination


def backup_database(url: URL, destination: Path, now: datetime) -> Path:
    """Write a consistent copy of the database at `url` to `destination` (a file or a folder)."""
    target = target_path(url, destination, now)
    partial = target.with_name(f".{target.name}.partial")  # never a half-written backup file
    try:
        if url.get_backend_name() == "sqlite":
            source = sqlite_path(url)
            if not source.is_file():
                raise BackupError(f"There is no database at {source}.")
            copy_sqlite(source, partial)
        elif url.get_backend_name() == "postgresql":
            run_pg(["pg_dump", "--format=custom", f"--file={partial}"], url)
        else:
            raise BackupError(f"No backup method for {url.get_backend_name()} databases.")
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def copy_sqlite(source: Path, target: Path, busy_timeout_seconds: float = 30.0) -> None:
    """Copy with the backup API, then leave the copy in rollback-journal mode: one
    self-contained file, with no -wal file beside it that a plain file copy could miss."""
    try:
        with (
            closing(sqlite3.connect(source, timeout=busy_timeout_seconds)) as origin,
            closing(sqlite3.connect(target)) as copy,
        ):
            origin.backup(copy)  # all pages in one step: one read transaction, one snapshot
            copy.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source.name} is not a SQLite database ({error}).") from error


def libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and an environment carrying it, so the
    password shows in no process list."""
    environment = dict(os.environ)
    if url.password is not None:
        environment["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), environment


def pg_program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed: install the PostgreSQL client tools of the server's "
            "version (Debian: apt install postgresql-client)."
        )
    return found


def run_pg(command: list[str], url: URL, stdin: bytes | None = None) -> bytes:
    """Run a PostgreSQL client program against `url`; a failure raises with its own words."""
    dsn, environment = libpq(url)
    program = pg_program(command[0])
    finished = subprocess.run(  # noqa: S603 - our arguments, no shell
        [program, *command[1:], f"--dbname={dsn}"],
        input=stdin,
        capture_output=True,
        env=environment,
        timeout=PG_TIMEOUT_SECONDS,
        check=False,
    )
    if finished.returncode != 0:
        said = finished.stderr.decode(errors="replace").strip().splitlines()[-3:]
        raise BackupError(f"{command[0]} failed: {' '.join(said) or finished.returncode}")
    return finished.stdout


def prune_backups(folder: Path, keep: int) -> list[Path]:
    """Delete all but the `keep` newest backups this module named in `folder`; other files
    there are left alone. Returns what was deleted."""
    backups = sorted(path for path in folder.iterdir() if BACKUP_NAME.match(path.name))
    doomed = backups[: max(0, len(backups) - keep)]
    for path in doomed:
        path.unlink()
    return doomed

"""Backups: taken while writers commit, checked before a restore, kept N at a time."""

import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import stamp
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from crm import create_app
from crm.operations.backup import BackupError, backup_database
from crm.reference import load_reference_data
from crm.scheduling.jobs import run_job
from models import Enterprise, JobRunState, db
from tests.factories import EnterpriseFactory, valid_uscc
from tests.helpers import TEST_DATABASE_URL, row_count, settings_for

WRITERS = 4
ACKNOWLEDGED_BEFORE_BACKUP = 40
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(
            not TEST_DATABASE_URL or not shutil.which("pg_dump"),
            reason="needs TEST_DATABASE_URL and pg_dump",
        ),
    ),
]


def settings(url: str, tmp_path: Path, **more: object) -> dict[str, object]:
    return settings_for(tmp_path) | {
        "SQLALCHEMY_DATABASE_URI": url,
        "BACKUP_FOLDER": str(tmp_path / "aside"),
        **more,
    }


def _drop_everything() -> None:
    db.session.remove()
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


@contextmanager
def crm_database(url: str, tmp_path: Path, **more: object) -> Iterator[Flask]:
    """An app on a database at the code's schema revision, as `flask db upgrade` leaves it."""
    app = create_app(settings(url, tmp_path, **more))
    with app.app_context():
        _drop_everything()
        db.create_all()
        load_reference_data()
        db.session.commit()
        stamp(str(MIGRATIONS))
        yield app
        _drop_everything()
        db.engine.dispose()


@contextmanager
def empty_database(backend: str, tmp_path: Path) -> Iterator[str]:
    """Where a backup is restored to: a new SQLite file, or a scratch PostgreSQL database."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    url = make_url(TEST_DATABASE_URL or "")
    scratch = f"{url.database}_restore"
    admin = create_engine(
        url.set(drivername="postgresql+psycopg", database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch}"'))
        connection.execute(text(f'CREATE DATABASE "{scratch}"'))
    try:
        yield url.set(database=scratch).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
        admin.dispose()


def live_url(backend: str, tmp_path: Path) -> str:
    return TEST_DATABASE_URL or "" if backend == "postgresql" else f"sqlite:///{tmp_path}/live.db"


class Writers:
    """Threads committing one firm at a time, each noting the firm's id once its commit returned."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.acknowledged: list[int] = []
        self.errors: list[BaseException] = []
        self.stop = threading.Event()
        self.progress = threading.Condition()
        self.threads = [threading.Thread(target=self.write, args=(n,)) for n in range(WRITERS)]

    def write(self, worker: int) -> None:
        with self.app.app_context():
            try:
                for number in range(100_000):
                    if self.stop.is_set():
                        break
                    firm = EnterpriseFactory(
                        name=f"并发写入{worker}-{number}",
                        uscc=valid_uscc(worker * 100_000 + number),
                    )
                    db.session.commit()
                    with self.progress:
                        self.acknowledged.append(firm.id)
                        self.progress.notify_all()
            except BaseException as error:  # reported by the test, not lost in the thread
                self.errors.append(error)
                with self.progress:
                    self.progress.notify_all()
            finally:
                db.session.remove()

    def wait_for(self, count: int) -> None:
        with self.progress:
            self.progress.wait_for(lambda: len(self.acknowledged) >= count or bool(self.errors))

    def __enter__(self) -> "Writers":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_exception: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()


def _firm_ids(app: Flask) -> set[int]:
    with app.app_context():
        found = set(db.session.scalars(select(Enterprise.id)))
        db.session.remove()
        db.engine.dispose()
    return found


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_backup_taken_during_writes_restores_every_acknowledged_firm(backend, tmp_path):
    backup = tmp_path / "backups" / f"during-writes.{'sqlite3' if backend == 'sqlite' else 'dump'}"
    with crm_database(live_url(backend, tmp_path), tmp_path) as app, Writers(app) as writers:
        writers.wait_for(ACKNOWLEDGED_BEFORE_BACKUP)
        acknowledged_before = set(writers.acknowledged)
        taken = app.test_cli_runner().invoke(args=["crm", "backup", str(backup)])
        writers.wait_for(len(acknowledged_before) + WRITERS)  # writes went on meanwhile

    with empty_database(backend, tmp_path) as target:
        restoring = create_app(settings(target, tmp_path))
        restored = restoring.test_cli_runner().invoke(args=["crm", "restore", str(backup)])
        firm_ids = _firm_ids(restoring) if restored.exit_code == 0 else set()

    assert writers.errors == []
    assert taken.exit_code == 0, taken.output
    assert restored.exit_code == 0, restored.output
    assert acknowledged_before <= firm_ids
    assert firm_ids <= set(writers.acknowledged)


def test_restore_refuses_to_replace_a_database_without_yes_and_keeps_the_replaced_one(tmp_path):
    with crm_database(f"sqlite:///{tmp_path}/live.db", tmp_path) as app:
        backup = backup_database(db.engine.url, tmp_path, datetime(2026, 12, 1, 2, 30))
        EnterpriseFactory(name="备份之后的企业")
        db.session.commit()
        runner = app.test_cli_runner()

        refused = runner.invoke(args=["crm", "restore", str(backup)])
        firms_after_refusal = row_count(Enterprise)
        db.session.remove()
        restored = runner.invoke(args=["crm", "restore", str(backup), "--yes"])
        firms_after_restore = row_count(Enterprise)

    assert refused.exit_code != 0
    assert "--yes" in refused.output
    assert firms_after_refusal == 1
    assert restored.exit_code == 0, restored.output
    assert firms_after_restore == 0
    [replaced] = (tmp_path / "aside").glob("replaced-*.sqlite3")
    with sqlite3.connect(replaced) as kept:
        assert kept.execute("SELECT name FROM enterprises").fetchall() == [("备份之后的企业",)]


def _damaged(backup: Path) -> Path:
    data = bytearray(backup.read_bytes())
    page = 4096
    data[page * 2 : page * 6] = b"\xa5" * (page * 4)  # table pages overwritten, header intact
    backup.write_bytes(bytes(data))
    return backup


def _foreign(tmp_path: Path) -> Path:
    path = tmp_path / "other-application.db"
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    return path


def _not_a_database(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("not a database at all\n" * 200)
    return path


@pytest.mark.parametrize(
    ("make_file", "message"),
    [
        (lambda tmp, backup: _not_a_database(tmp), "is not a"),
        (lambda tmp, backup: _foreign(tmp), "is not a CRM backup"),
        (lambda tmp, backup: _damaged(backup), "damaged"),
    ],
    ids=["text file", "another application's database", "damaged backup"],
)
def test_restore_refuses_a_file_that_is_not_a_sound_crm_backup(make_file, message, tmp_path):
    with crm_database(f"sqlite:///{tmp_path}/live.db", tmp_path) as app:
        EnterpriseFactory(name="现有企业")
        db.session.commit()
        backup = backup_database(db.engine.url, tmp_path, datetime(2026, 12, 1, 2, 30))
        candidate = make_file(tmp_path, backup)
        db.session.remove()

        answer = app.test_cli_runner().invoke(args=["crm", "restore", str(candidate), "--yes"])
        names = db.session.scalars(select(Enterprise.name)).all()

    assert answer.exit_code != 0
    assert message in answer.output
    assert candidate.name in answer.output
    assert names == ["现有企业"]


def test_restore_of_an_older_schema_says_to_upgrade(tmp_path):
    script = ScriptDirectory(str(MIGRATIONS))
    head = script.get_revision(script.get_current_head())
    with crm_database(f"sqlite:///{tmp_path}/live.db", tmp_path) as app:
        backup = backup_database(db.engine.url, tmp_path, datetime(2026, 12, 1, 2, 30))
        with sqlite3.connect(backup) as older:
            older.execute("UPDATE alembic_version SET version_num = ?", (head.down_revision,))
        db.session.remove()

        answer = app.test_cli_runner().invoke(args=["crm", "restore", str(backup), "--yes"])

    assert answer.exit_code == 0, answer.output
    assert "db upgrade" in answer.output


def test_the_scheduled_backup_keeps_exactly_the_newest_backups(tmp_path):
    folder = tmp_path / "nightly"
    folder.mkdir()
    (folder / "notes.txt").write_text("an operator's file, not a backup")
    url = f"sqlite:///{tmp_path}/live.db"
    with crm_database(url, tmp_path, BACKUP_FOLDER=str(folder), BACKUP_KEEP=3):
        for night in range(1, 6):
            backup_database(db.engine.url, folder, datetime(2026, 11, night, 2, 30))

        run = run_job("backup", "command")

    assert run.state == JobRunState.SUCCEEDED, run.error
    kept = sorted(path.name for path in folder.glob("crm-*"))
    assert kept == [
        "crm-20261104-023000.sqlite3",
        "crm-20261105-023000.sqlite3",
        run.summary["backup"],
    ]
    assert run.summary["backups_removed"] == 3
    assert (folder / "notes.txt").exists()


@pytest.mark.skipif(
    not TEST_DATABASE_URL or not shutil.which("pg_restore"),
    reason="needs TEST_DATABASE_URL and pg_restore",
)
def test_restore_on_postgresql_refuses_a_file_that_is_not_a_pg_dump_archive(tmp_path):
    with crm_database(TEST_DATABASE_URL or "", tmp_path) as app:
        EnterpriseFactory(name="现有企业")
        db.session.commit()
        db.session.remove()
        sqlite_file = _foreign(tmp_path)

        answer = app.test_cli_runner().invoke(args=["crm", "restore", str(sqlite_file), "--yes"])
        names = db.session.scalars(select(Enterprise.name)).all()

    assert answer.exit_code != 0
    assert "is not a pg_dump archive" in answer.output
    assert names == ["现有企业"]


def test_a_postgresql_backup_without_pg_dump_installed_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine without the PostgreSQL client tools
    url = make_url("postgresql+psycopg://crm@127.0.0.1:5432/crm")

    with pytest.raises(BackupError, match="pg_dump is not installed") as refused:
        backup_database(url, tmp_path, datetime(2026, 12, 1, 2, 30))

    assert "postgresql-client" in refused.value.message
    assert list(tmp_path.iterdir()) == []

"""The scheduler for real: APScheduler with its job store in the database, scheduler processes
started, stopped and killed, and what they leave behind."""

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import insert, select, text

from crm.clock import today, utcnow
from crm.config import normalise_database_url
from crm.reminders.rules import due_reminders
from crm.scheduling import process
from crm.scheduling.jobs import JOBS, run_job
from crm.scheduling.process import ScheduleError, build_scheduler, parse_schedule, sync_jobs
from models import (
    Enterprise,
    IndustryTrack,
    JobRun,
    JobRunState,
    Reminder,
    Tier,
    User,
    Zone,
    db,
)
from tests import factories
from tests.helpers import (
    TEST_DATABASE_URL,
    app_with_empty_database,
    reminder_settings,
    row_count,
    settings_for,
)

# The scheduler and the jobs page read through connections of their own: the data is committed.
pytestmark = pytest.mark.own_database

ROOT = Path(__file__).resolve().parents[2]
FAR_AWAY = "0 3 1 1 *"  # once a year: jobs a test does not exercise stay quiet


@pytest.fixture
def shared_app(tmp_path) -> Iterator[Flask]:
    """An app whose database other processes can open: a SQLite file, or TEST_DATABASE_URL's."""
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'crm.sqlite3'}"
    overrides = settings_for(tmp_path) | {
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
        "MAIL_FOLDER": str(tmp_path / "mail"),
    }
    for app in app_with_empty_database(overrides):
        yield app
        db.session.rollback()
        with db.engine.begin() as connection:  # APScheduler's own table is not in our models
            connection.execute(text(f"DROP TABLE IF EXISTS {process.JOB_STORE_TABLE}"))


def _wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    """Polls the database for what a scheduler in another process wrote: a process cannot signal
    this one any other way."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.rollback()  # a fresh snapshot of what the other process wrote
        if condition():
            return
        time.sleep(0.02)
    pytest.fail(f"waited {seconds} s for {what}")


def _runs(key: str) -> list[JobRun]:
    db.session.rollback()
    return list(db.session.scalars(select(JobRun).where(JobRun.job_key == key).order_by(JobRun.id)))


def environment(app: Flask, tmp_path: Path, **schedules: str) -> dict[str, str]:
    """What a scheduler process started for `app` reads: its database, quiet schedules."""
    return {
        **os.environ,
        "CRM_ENV": "development",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "MAIL_FOLDER": str(tmp_path / "mail"),
        "MODEL_FOLDER": str(tmp_path / "models"),
        "SCHEDULER_POLL_SECONDS": "1",
        "SCHEDULE_REMINDER_SCAN": FAR_AWAY,
        "SCHEDULE_LEADERS_DIGEST": FAR_AWAY,
        "SCHEDULE_RESCORING": FAR_AWAY,
        "SCHEDULE_RETRAINING": FAR_AWAY,
        **schedules,
    }


def start_scheduler(app: Flask, tmp_path: Path, **schedules: str) -> subprocess.Popen[bytes]:
    with (tmp_path / "scheduler.log").open("ab") as log:  # the child keeps its own handle
        return subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "app", "crm", "scheduler"],
            cwd=ROOT,
            env=environment(app, tmp_path, **schedules),
            stdout=subprocess.DEVNULL,
            stderr=log,
        )


def stop(*processes: subprocess.Popen[bytes]) -> None:
    for proc in processes:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in processes:
        proc.wait(timeout=30)


# Schedules ------------------------------------------------------------------------------------


def test_schedules_are_crontabs_or_intervals():
    assert "hour='*/2'" in str(parse_schedule("0 */2 * * *", "Asia/Shanghai"))
    assert str(parse_schedule("every 15 minutes", "Asia/Shanghai")) == "interval[0:15:00]"
    with pytest.raises(ScheduleError):
        parse_schedule("every now and then", "Asia/Shanghai")
    with pytest.raises(ScheduleError):
        parse_schedule("61 * * * *", "Asia/Shanghai")


def test_a_bad_schedule_stops_the_scheduler_with_a_message(shared_app, tmp_path):
    proc = start_scheduler(shared_app, tmp_path, SCHEDULE_REMINDER_SCAN="now and then")
    assert proc.wait(timeout=60) != 0
    assert "Invalid schedule setting" in (tmp_path / "scheduler.log").read_text()


# Catch-up after downtime ----------------------------------------------------------------------


def test_runs_missed_during_downtime_are_caught_up_once(shared_app, monkeypatch):
    calls: list[datetime] = []
    ran = threading.Event()

    def count_run() -> dict[str, object]:
        calls.append(utcnow())
        ran.set()
        return {}

    scan = replace(JOBS["reminder_scan"], run=count_run)
    monkeypatch.setitem(JOBS, "reminder_scan", scan)
    monkeypatch.setattr(process, "_app", shared_app)
    shared_app.config.update(SCHEDULE_REMINDER_SCAN="every 1 hours")
    for key in ("SCHEDULE_LEADERS_DIGEST", "SCHEDULE_RESCORING", "SCHEDULE_RETRAINING"):
        shared_app.config[key] = FAR_AWAY
    first = build_scheduler(shared_app)
    first.start(paused=True)
    sync_jobs(first, shared_app.config)
    first.shutdown()

    again = build_scheduler(shared_app)
    again.start(paused=True)
    # The scheduler was down for five hours: five hourly slots passed without a run. (Set on the
    # paused scheduler: one shut down after the change would consume the slot as it stops.)
    past = datetime.now(again.timezone) - timedelta(hours=5)
    again.get_job("reminder_scan").modify(next_run_time=past)
    sync_jobs(again, shared_app.config)  # same schedule: the stored (missed) run time is kept
    assert again.get_job("reminder_scan").next_run_time == past
    again.resume()
    try:
        assert ran.wait(20), "the catch-up run did not start"
        assert again.get_job("reminder_scan").next_run_time > datetime.now(again.timezone)
    finally:
        # Every missed slot is submitted in the one wake-up that ran the first; shutting down
        # waits for them all, so a second run would be counted here without a pause.
        again.shutdown(wait=True)
    assert len(calls) == 1


def test_a_changed_schedule_replaces_the_stored_one(shared_app):
    shared_app.config.update(SCHEDULE_REMINDER_SCAN="7 * * * *")
    scheduler = build_scheduler(shared_app)
    scheduler.start(paused=True)
    sync_jobs(scheduler, shared_app.config)
    shared_app.config.update(SCHEDULE_REMINDER_SCAN="every 10 minutes")
    sync_jobs(scheduler, shared_app.config)
    try:
        assert str(scheduler.get_job("reminder_scan").trigger) == "interval[0:10:00]"
        assert sorted(job.id for job in scheduler.get_jobs()) == sorted(JOBS)
    finally:
        scheduler.shutdown()


# Job runs -------------------------------------------------------------------------------------


def test_a_failing_job_is_recorded_with_its_error(app, monkeypatch):
    def broken() -> dict[str, object]:
        raise RuntimeError("mail server on fire")

    monkeypatch.setitem(JOBS, "leaders_digest", replace(JOBS["leaders_digest"], run=broken))

    run = run_job("leaders_digest", "command")

    assert run.state == JobRunState.FAILED
    assert run.error == "RuntimeError: mail server on fire"
    assert run.finished_at is not None


def test_remind_command_runs_one_scan(app, manager):
    factories.EnterpriseFactory(tier=Tier.CANDIDATE, manager=manager)
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["crm", "remind"])

    assert result.exit_code == 0, result.output
    assert "reminder_scan: created" in result.output
    assert row_count(Reminder) > 0
    assert _runs("reminder_scan")[0].trigger == "command"


# Processes ------------------------------------------------------------------------------------


def test_two_schedulers_started_together_run_each_job_once(shared_app, tmp_path):
    db.session.commit()
    first = start_scheduler(shared_app, tmp_path, SCHEDULE_REMINDER_SCAN="every 2 seconds")
    second = start_scheduler(shared_app, tmp_path, SCHEDULE_REMINDER_SCAN="every 2 seconds")
    try:
        _wait_for(lambda: len(_runs("reminder_scan")) >= 3, 60, "three scheduled scans")
        runs = _runs("reminder_scan")
        assert len({run.runner for run in runs}) == 1  # one process ran them all
        starts = [run.started_at for run in runs]
        gaps = [later - earlier for earlier, later in pairwise(starts)]
        assert min(gaps) > timedelta(seconds=1.5)  # one run per two-second slot, never two

        # The one scheduler dies; the one on standby takes over.
        leader_pid = int(runs[0].runner.rsplit(":", 1)[1])
        (leader,) = [proc for proc in (first, second) if proc.pid == leader_pid]
        (standby,) = [proc for proc in (first, second) if proc.pid != leader_pid]
        leader.kill()
        leader.wait(timeout=10)
        _wait_for(
            lambda: any(run.runner.endswith(f":{standby.pid}") for run in _runs("reminder_scan")),
            60,
            "the standby scheduler to take over",
        )
    finally:
        stop(first, second)


def _bulk_firms(count: int, manager: User) -> None:
    """Candidates never visited, created long ago: each owes a visit and a month-late escalation."""
    base = {
        "sub_district_id": manager.sub_district_id,
        "zone_id": factories.reference(Zone, "daning").id,
        "track_id": factories.reference(IndustryTrack, "ai").id,
        "tier": Tier.CANDIDATE,
        "manager_id": manager.id,
        "status": "active",
        "in_hundred_enterprises_plan": False,
        "created_at": datetime(2026, 1, 5, 9, 0),
        "updated_at": datetime(2026, 1, 5, 9, 0),
        "version_id": 1,
    }
    rows = [
        base | {"name": f"批量测试{n}科技有限公司", "uscc": factories.valid_uscc(100_000 + n)}
        for n in range(count)
    ]
    db.session.execute(insert(Enterprise), rows)
    db.session.commit()


def _stored_keys() -> list[tuple]:
    db.session.rollback()  # a fresh snapshot of what the other processes wrote
    return [
        (r.rule, r.record_kind, r.record_id, r.due_on, r.recipient_id)
        for r in db.session.scalars(select(Reminder))
    ]


def test_a_scheduler_killed_mid_scan_and_restarted_leaves_every_reminder_once(shared_app, tmp_path):
    manager = factories.UserFactory(role="manager")
    leader = factories.UserFactory(role="leader")
    _bulk_firms(40, manager)  # never visited, no figures: visit, escalation and figures rules
    expected = {due.key for due in due_reminders(today(), reminder_settings())}
    assert {key[0] for key in expected} == {"visit_due", "visit_escalated", "figures_missing"}

    killed = subprocess.run(
        [sys.executable, "-m", "tests.scheduling.scan_until_killed"],
        cwd=ROOT,
        env=environment(shared_app, tmp_path),
        check=False,
    )

    assert killed.returncode == -signal.SIGKILL
    partial = _stored_keys()
    # The visit rules' reminders committed together; the figures rule's never started.
    assert {key[0] for key in partial} == {"visit_due", "visit_escalated"}
    assert [run.state for run in _runs("reminder_scan")] == [JobRunState.RUNNING]

    factories.JobRequestFactory(job_key="reminder_scan", requested_by=leader, requested_at=utcnow())
    db.session.commit()
    again = start_scheduler(shared_app, tmp_path)
    try:
        _wait_for(
            lambda: (
                [run.state for run in _runs("reminder_scan")]
                == [JobRunState.INTERRUPTED, JobRunState.SUCCEEDED]
            ),
            120,
            "the interrupted run marked, and a new scan to finish",
        )
    finally:
        stop(again)

    keys = _stored_keys()
    assert len(keys) == len(set(keys))  # nothing twice
    assert set(keys) == expected  # nothing missing, nothing extra


def test_two_scans_at_once_store_and_mail_each_reminder_once(shared_app, tmp_path):
    manager = factories.UserFactory(role="manager", email="manager@example.com")
    factories.UserFactory(role="leader", email="leader@example.com")
    _bulk_firms(300, manager)
    expected = {due.key for due in due_reminders(today(), reminder_settings())}

    scans = [
        subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "app", "crm", "remind"],
            cwd=ROOT,
            env=environment(shared_app, tmp_path),
            stdout=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    outputs = [scan.communicate(timeout=120)[0].decode() for scan in scans]

    assert [scan.returncode for scan in scans] == [0, 0], outputs
    created = [int(re.search(r"created (\d+)", output).group(1)) for output in outputs]
    assert sum(created) == len(expected)  # each inserted by one of them, skipped by the other
    keys = _stored_keys()
    assert len(keys) == len(set(keys))
    assert set(keys) == expected
    mails = sorted(path.read_text() for path in (tmp_path / "mail").glob("*.eml"))
    assert len(mails) == 2  # the manager's and the leader's, each claimed by one scan

"""Runs whose process was killed: the next run, whoever starts it, marks them interrupted.

The killed processes are real: `python -m tests.scheduling.die_mid_run` starts a job run or a
training on the test's database and SIGKILLs itself half-way.
"""

import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from crm.clock import utcnow
from crm.pipeline.versions import start_training
from crm.processes import ProcessIdentity, is_running, this_process
from crm.scheduling.jobs import mark_interrupted_runs, run_job
from models import JobRun, JobRunState, ModelVersion, TrainingState, db
from tests import factories
from tests.helpers import log_in
from tests.scheduling.test_scheduler import ROOT, environment, shared_app

# The scheduler and the jobs page read through connections of their own: the data is committed.
pytestmark = pytest.mark.own_database

__all__ = ["shared_app"]  # the fixture, shared with the scheduler's tests


def die_mid_run(app: Flask, tmp_path: Path, kind: str) -> None:
    db.session.commit()
    killed = subprocess.run(  # noqa: S603 -- our own module and one of two fixed words
        [sys.executable, "-m", "tests.scheduling.die_mid_run", kind],
        cwd=ROOT,
        env=environment(app, tmp_path),
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL
    db.session.rollback()  # a fresh look at what the killed process left


def job_runs() -> list[JobRun]:
    return list(db.session.scalars(select(JobRun).order_by(JobRun.id)))


def test_a_killed_remind_is_interrupted_when_the_next_run_starts_and_the_page_says_so(
    shared_app, tmp_path
):
    admin = factories.UserFactory(role="admin")
    die_mid_run(shared_app, tmp_path, "job")
    assert [run.state for run in job_runs()] == [JobRunState.RUNNING]

    run_job("dashboard_refresh", "command")
    client = shared_app.test_client()
    log_in(client, admin)
    page = client.get("/admin/jobs/")

    db.session.expire_all()
    killed, refreshed = job_runs()
    assert (killed.job_key, killed.state) == ("reminder_scan", JobRunState.INTERRUPTED)
    assert killed.finished_at is not None
    assert refreshed.state == JobRunState.SUCCEEDED
    assert 'data-testid="interrupted-note"' in page.text


def test_the_jobs_page_marks_a_run_whose_process_is_gone(client, admin):
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    factories.JobRunFactory(
        job_key="rescoring",
        trigger="command",
        runner=f"{this_process().host}:{child.pid}",
        started_at=utcnow(),
        state=JobRunState.RUNNING,
    )
    log_in(client, admin)

    page = client.get("/admin/jobs/")

    assert 'data-testid="interrupted-note"' in page.text
    assert db.session.scalar(select(JobRun.state)) == JobRunState.INTERRUPTED


def test_a_killed_training_no_longer_blocks_the_next_one(shared_app, tmp_path):
    die_mid_run(shared_app, tmp_path, "training")
    killed = db.session.scalars(select(ModelVersion)).one()
    assert killed.state == TrainingState.RUNNING

    second = start_training(None, utcnow())

    db.session.expire_all()
    assert db.session.get_one(ModelVersion, killed.id).state == TrainingState.INTERRUPTED
    assert second.state == TrainingState.RUNNING


def test_a_run_whose_process_lives_is_left_running(app):
    ours = factories.JobRunFactory(
        job_key="rescoring",
        trigger="command",
        runner="here",
        process=str(this_process()),
        started_at=utcnow() - timedelta(hours=5),
        state=JobRunState.RUNNING,
    )
    elsewhere = factories.JobRunFactory(
        job_key="rescoring",
        trigger="command",
        runner="there",
        process="another-host:4242:boot@1",
        started_at=utcnow() - timedelta(hours=5),
        state=JobRunState.RUNNING,
    )
    db.session.commit()

    marked = mark_interrupted_runs(utcnow())

    assert marked == 0
    assert (ours.state, elsewhere.state) == (JobRunState.RUNNING, JobRunState.RUNNING)


def test_a_process_is_told_apart_from_a_later_one_with_its_pid():
    me = this_process()
    reborn = ProcessIdentity(me.host, me.pid, "another-boot@1")
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()

    assert is_running(me) is True
    assert is_running(reborn) is False
    assert is_running(ProcessIdentity(me.host, child.pid, "")) is False
    assert is_running(ProcessIdentity("another-host", me.pid, me.started)) is None
    assert ProcessIdentity.parse(str(me)) == me
    assert ProcessIdentity.parse("old-host:17") == ProcessIdentity("old-host", 17, "")

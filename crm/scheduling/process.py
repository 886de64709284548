"""The scheduler process: `flask --app app crm scheduler`.

Exactly one scheduler runs jobs, however many are started: each first takes a lock that the
database (PostgreSQL: a session advisory lock) or the operating system (SQLite: a file lock
beside the database file) releases by itself when the holder dies. The others wait on standby
and take over within a poll interval. APScheduler keeps the jobs and their next run times in the
application database (SQLAlchemyJobStore), so a missed run after downtime is caught up once on
start (coalesced), not once per missed slot.
"""

import fcntl
import logging
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask
from sqlalchemy import select, text, update

from crm.clock import today, utcnow
from crm.enterprises.import_jobs import (
    claim_queued_imports,
    end_interrupted_imports,
    run_import_job,
)
from crm.pipeline.jobs import claim_queued_training, run_queued_training
from crm.scheduling.jobs import JOBS, RUNNER, mark_interrupted_runs, run_job
from models import JobRequest, SchedulerStatus, db

log = logging.getLogger(__name__)
JOB_STORE_TABLE = "apscheduler_jobs"
ADVISORY_LOCK_KEY = 0x43_52_4D_53  # "CRMS": one number the whole deployment agrees on
HEARTBEAT_EVERY_POLLS = 6
_EVERY = re.compile(r"^every\s+(\d+)\s+(second|minute|hour|day)s?$", re.IGNORECASE)

_app: Flask | None = None  # the app of this scheduler process, for the job functions


class ScheduleError(ValueError):
    """A schedule setting that is neither a crontab nor 'every N units'."""


def parse_schedule(value: str, timezone: str) -> BaseTrigger:
    """'7 * * * *' (crontab: minute hour day month weekday) or 'every 2 hours'."""
    if match := _EVERY.match(value.strip()):
        amount, unit = int(match.group(1)), match.group(2).lower()
        if amount < 1:
            raise ScheduleError(f"{value!r}: the interval must be at least 1")
        return IntervalTrigger(**{f"{unit}s": amount}, timezone=timezone)
    try:
        return CronTrigger.from_crontab(value, timezone=timezone)
    except ValueError as error:
        raise ScheduleError(f"{value!r}: {error}") from error


def _same_trigger(a: BaseTrigger, b: BaseTrigger) -> bool:
    # The repr of an interval trigger holds its start time, different at every start.
    return str(a) == str(b) and str(getattr(a, "timezone", "")) == str(getattr(b, "timezone", ""))


def _scheduler_app() -> Flask:
    if _app is None:
        raise RuntimeError("scheduled jobs run inside the scheduler process only")
    return _app


def run_scheduled(key: str) -> None:
    """What APScheduler calls (by reference, from the job store) when a job is due."""
    with _scheduler_app().app_context():
        run_job(key, "schedule")


def _run_requested(key: str, requested_by_id: int) -> None:
    with _scheduler_app().app_context():
        run_job(key, "manual", requested_by_id)


def _run_import(job_id: int) -> None:
    app = _scheduler_app()
    with app.app_context():
        run_import_job(job_id, Path(app.config["CRM_UPLOAD_FOLDER"]), utcnow())


def _take_imports(scheduler: BackgroundScheduler) -> None:
    """Reservoir imports uploaded on the web: checked and applied here, never in a web worker."""
    for job_id in claim_queued_imports(utcnow()):
        scheduler.add_job(_run_import, args=[job_id], jobstore="volatile", misfire_grace_time=None)


def _run_training(version_id: int) -> None:
    with _scheduler_app().app_context():
        run_queued_training(version_id, today())


def _take_training(scheduler: BackgroundScheduler) -> None:
    """A training queued on the model page: it runs here, never in a web worker."""
    if (version_id := claim_queued_training()) is not None:
        scheduler.add_job(
            _run_training, args=[version_id], jobstore="volatile", misfire_grace_time=None
        )


def sync_jobs(scheduler: BackgroundScheduler, config: dict[str, Any]) -> None:
    """Make the stored jobs match the configuration, keeping a stored job's next run time when
    its schedule did not change: that keeps a run missed during downtime, to be caught up."""
    for key, spec in JOBS.items():
        trigger = parse_schedule(config[spec.schedule_setting], config["SCHEDULER_TIMEZONE"])
        stored = scheduler.get_job(key)
        if stored is not None and _same_trigger(stored.trigger, trigger):
            continue
        scheduler.add_job(
            run_scheduled, trigger, args=[key], id=key, name=key, replace_existing=True
        )
    for stored in scheduler.get_jobs(jobstore="default"):
        if stored.id not in JOBS:
            stored.remove()


def build_scheduler(app: Flask) -> BackgroundScheduler:
    return BackgroundScheduler(
        jobstores={
            "default": SQLAlchemyJobStore(engine=db.engine, tablename=JOB_STORE_TABLE),
            "volatile": MemoryJobStore(),  # run-now requests: done once, never stored
        },
        executors={"default": ThreadPoolExecutor(max_workers=2)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        timezone=app.config["SCHEDULER_TIMEZONE"],
    )


# Leadership -----------------------------------------------------------------------------------


@contextmanager
def _postgres_lock(app: Flask, stop: threading.Event, poll: float) -> Iterator[Callable[[], bool]]:
    connection = db.engine.connect()
    try:
        while not stop.is_set():
            got = connection.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY}
            ).scalar()
            connection.commit()
            if got:
                break
            stop.wait(poll)
        else:
            yield lambda: False
            return

        def still_held() -> bool:
            try:
                connection.execute(text("SELECT 1")).scalar()
                connection.commit()
            except Exception:  # the connection, and with it the lock, is gone
                log.exception("lost the scheduler lock's database connection")
                return False
            return True

        yield still_held
    finally:
        try:
            connection.execute(text("SELECT pg_advisory_unlock_all()"))
            connection.commit()
        except Exception:  # the connection is gone, and the lock with it
            log.warning("could not unlock the scheduler lock; its connection is gone")
        connection.close()


@contextmanager
def _file_lock(path: Path, stop: threading.Event, poll: float) -> Iterator[Callable[[], bool]]:
    with path.open("a") as handle:
        while not stop.is_set():
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                stop.wait(poll)
        else:
            yield lambda: False
            return
        try:
            yield lambda: True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def leadership(app: Flask, stop: threading.Event, poll: float) -> Iterator[Callable[[], bool]]:
    """Wait until this process is the one scheduler (or `stop` is set); yield a liveness check."""
    url = db.engine.url  # as Flask-SQLAlchemy resolved it: a relative SQLite path made absolute
    if url.get_backend_name() == "postgresql":
        with _postgres_lock(app, stop, poll) as held:
            yield held
    elif url.database and url.database != ":memory:":
        with _file_lock(Path(f"{url.database}.scheduler-lock"), stop, poll) as held:
            yield held
    else:  # an in-memory database lives in this process only: no other scheduler can share it
        yield lambda: True


# The process ----------------------------------------------------------------------------------


def _beat(started_at: Any) -> None:
    status = db.session.get(SchedulerStatus, 1)
    now = utcnow()
    if status is None:
        db.session.add(SchedulerStatus(id=1, runner=RUNNER, started_at=started_at, beat_at=now))
    else:
        status.runner, status.started_at, status.beat_at = RUNNER, started_at, now
    db.session.commit()


def _take_requests(scheduler: BackgroundScheduler) -> None:
    """Hand each waiting run-now request to the executor; the UPDATE claims it exactly once."""
    waiting = db.session.scalars(
        select(JobRequest).where(JobRequest.picked_at.is_(None)).order_by(JobRequest.id)
    ).all()
    for job_request in waiting:
        claimed = db.session.execute(
            update(JobRequest)
            .where(JobRequest.id == job_request.id, JobRequest.picked_at.is_(None))
            .values(picked_at=utcnow())
        )
        db.session.commit()
        if getattr(claimed, "rowcount", 0) == 1 and job_request.job_key in JOBS:
            scheduler.add_job(
                _run_requested,
                args=[job_request.job_key, job_request.requested_by_id],
                jobstore="volatile",
                misfire_grace_time=None,
            )


def serve(app: Flask, stop: threading.Event) -> None:
    """Run as the scheduler until `stop` is set (SIGTERM, Ctrl-C) or the lock is lost."""
    global _app
    _app = app
    poll = float(app.config["SCHEDULER_POLL_SECONDS"])
    with app.app_context():
        for spec in JOBS.values():  # a bad schedule stops the process before it waits
            parse_schedule(app.config[spec.schedule_setting], app.config["SCHEDULER_TIMEZONE"])
        log.info("scheduler %s waiting to become the one scheduler", RUNNER)
        with leadership(app, stop, poll) as still_held:
            if stop.is_set():
                return
            log.info("scheduler %s is the scheduler now", RUNNER)
            interrupted = mark_interrupted_runs(utcnow(), scheduler_starting=True)
            if interrupted:
                log.warning("%d job runs of a stopped scheduler marked interrupted", interrupted)
            if ended := end_interrupted_imports(utcnow(), scheduler_starting=True):
                log.warning("%d imports of a stopped scheduler marked failed", ended)
            started_at = utcnow()
            _beat(started_at)
            scheduler = build_scheduler(app)
            scheduler.start(paused=True)
            sync_jobs(scheduler, app.config)
            db.session.remove()
            scheduler.resume()
            polls = 0
            try:
                while not stop.wait(poll):
                    polls += 1
                    if not still_held():
                        # Another process may be the scheduler now: run nothing more.
                        scheduler.pause()
                        log.error("scheduler lock lost: stopping so another can take over")
                        break
                    try:
                        _take_requests(scheduler)
                        _take_imports(scheduler)
                        _take_training(scheduler)
                        if polls % HEARTBEAT_EVERY_POLLS == 0:
                            _beat(started_at)
                    except Exception:  # a database hiccup must not end the scheduler
                        log.exception("scheduler poll failed; trying again next poll")
                        db.session.rollback()
                    finally:
                        db.session.remove()
            finally:
                scheduler.shutdown(wait=True)
                db.session.remove()


def heartbeat_age(now: Any) -> timedelta | None:
    status = db.session.get(SchedulerStatus, 1)
    return None if status is None else now - status.beat_at


def alive_within(app_config: dict[str, Any]) -> timedelta:
    """A scheduler whose heartbeat is older than this is taken for stopped."""
    return timedelta(
        seconds=3 * HEARTBEAT_EVERY_POLLS * float(app_config["SCHEDULER_POLL_SECONDS"])
    )

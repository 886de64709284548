"""The scheduled jobs, and the one function that runs any of them and records the run.

Every run, whoever starts it (the schedule, an admin's "run now", a command), leaves a JobRun
row: the admin page's last run, duration and last error come from there.
"""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from crm.clock import today, utcnow
from crm.dashboard.filters import counted_day
from crm.dashboard.snapshots import refresh_dashboard
from crm.errors import lost_a_race
from crm.operations.jobs import scheduled_backup
from crm.pipeline.jobs import train_version
from crm.pipeline.rescoring import rescore
from crm.pipeline.versions import start_training
from crm.processes import ProcessIdentity, is_running, this_process
from crm.quality.snapshots import refresh_quality
from crm.reminders.digest import send_weekly_digest
from crm.reminders.mailing import deliver_new
from crm.reminders.rules import ReminderSettings
from crm.reminders.scan import scan
from models import JobRun, JobRunState, db

log = logging.getLogger(__name__)
MAX_ERROR_LENGTH = 2000
CONFLICT_RETRIES = 2
SCHEDULER_TRIGGERS = ("schedule", "manual")  # what only the one scheduler process runs


@dataclass(frozen=True)
class JobSpec:
    key: str
    title: Any  # lazy translated
    schedule_setting: str  # the config key holding its schedule
    run: Callable[[], dict[str, Any]]  # does the work in an app context; returns a summary
    # Runs again, at once, after losing a race with another writer (a deadlock, SQLite's lock):
    # only jobs whose rerun does nothing twice.
    retries_on_conflict: int = 0


def _settings() -> ReminderSettings:
    return ReminderSettings.from_config(current_app.config)


def reminder_scan() -> dict[str, Any]:
    summary = scan(today(), utcnow(), _settings())
    delivery = deliver_new(today(), utcnow())
    return summary.as_dict() | {"mailed": delivery.sent, "mail_failures": delivery.failed}


def leaders_digest() -> dict[str, Any]:
    return {"mailed": send_weekly_digest(today(), utcnow(), _settings())}


def rescoring() -> dict[str, Any]:
    run = rescore(today(), utcnow())
    db.session.commit()  # the scores stand even if the dashboard refresh below fails
    # The dashboard's score movers come from the run: refresh them now, not 15 minutes on.
    return {"firms": run.firms, "scorer": run.scorer} | dashboard_refresh()


def dashboard_refresh() -> dict[str, Any]:
    """Recount the dashboard's and data quality's stored figures whose data moved."""
    locales, now = tuple(current_app.config["LANGUAGES"]), utcnow()
    dashboard = refresh_dashboard(counted_day(current_app.config, now), now, locales)
    quality = refresh_quality(
        today(), utcnow(), current_app.config["QUALITY_MAX_FIRMS_PER_MANAGER"]
    )
    return {"dashboard_snapshots": dashboard, "quality_snapshots": quality}


def retraining() -> dict[str, Any]:
    """Train a new version; publishing it stays an administrator's decision on the model page."""
    started = start_training(None, utcnow())
    db.session.commit()  # the version shows as training while it trains
    version = train_version(started.id, today())
    return {"version": version.label, "choice": version.card.get("choice")}


JOBS: dict[str, JobSpec] = {
    spec.key: spec
    for spec in (
        JobSpec(
            "reminder_scan",
            _l("Reminder scan"),
            "SCHEDULE_REMINDER_SCAN",
            reminder_scan,
            retries_on_conflict=CONFLICT_RETRIES,
        ),
        JobSpec(
            "leaders_digest",
            _l("Leaders' weekly digest"),
            "SCHEDULE_LEADERS_DIGEST",
            leaders_digest,
        ),
        JobSpec("rescoring", _l("Nightly rescoring"), "SCHEDULE_RESCORING", rescoring),
        JobSpec("retraining", _l("Weekly retraining"), "SCHEDULE_RETRAINING", retraining),
        JobSpec(
            "dashboard_refresh",
            _l("Dashboard figures"),
            "SCHEDULE_DASHBOARD_REFRESH",
            dashboard_refresh,
            retries_on_conflict=CONFLICT_RETRIES,
        ),
        JobSpec("backup", _l("Database backup"), "SCHEDULE_BACKUP", scheduled_backup),
    )
}

IDENTITY = this_process()
RUNNER = f"{IDENTITY.host}:{IDENTITY.pid}"  # the scheduler's name in its heartbeat and logs
# Runs of one job never overlap inside a process (a "run now" during the scheduled run waits).
_running = {key: threading.Lock() for key in JOBS}


def run_job(key: str, trigger: str, requested_by_id: int | None = None) -> JobRun:
    """Run one job now in this process, recording its run; failures are recorded, not raised."""
    spec = JOBS[key]
    with _running[key]:
        mark_interrupted_runs(utcnow())
        process = this_process()
        run = JobRun(
            job_key=key,
            trigger=trigger,
            runner=f"{process.host}:{process.pid}",
            process=str(process),
            started_at=utcnow(),
            state=JobRunState.RUNNING,
            requested_by_id=requested_by_id,
        )
        db.session.add(run)
        db.session.commit()
        run_id = run.id
        values = _outcome(spec)
        db.session.execute(
            update(JobRun).where(JobRun.id == run_id).values(finished_at=utcnow(), **values)
        )
        db.session.commit()
        return db.session.get_one(JobRun, run_id)


def _outcome(spec: JobSpec) -> dict[str, Any]:
    for attempt in range(spec.retries_on_conflict + 1):
        try:
            summary = spec.run()
        except Exception as error:  # recorded for the admin page; the traceback goes to the log
            db.session.rollback()
            if lost_a_race(error) and attempt < spec.retries_on_conflict:
                log.warning("job %s lost a race with another writer; running it again", spec.key)
                continue
            log.exception("job %s failed", spec.key)
            return {
                "state": JobRunState.FAILED,
                "error": f"{type(error).__name__}: {error}"[:MAX_ERROR_LENGTH],
            }
        return {"state": JobRunState.SUCCEEDED, "summary": summary}
    raise AssertionError("unreachable: the last attempt returns")


def mark_interrupted_runs(now: datetime, *, scheduler_starting: bool = False) -> int:
    """Mark INTERRUPTED the runs left RUNNING by a process that no longer exists.

    A process on another host cannot be asked; when the scheduler starts, though, the runs of
    the scheduler before it are over wherever they ran, since only one scheduler runs at a time.
    """
    running = db.session.scalars(select(JobRun).where(JobRun.state == JobRunState.RUNNING)).all()
    stopped = [
        run.id
        for run in running
        if _process_is_gone(run.process or run.runner)
        or (scheduler_starting and run.trigger in SCHEDULER_TRIGGERS)
    ]
    if stopped:
        db.session.execute(
            update(JobRun)
            .where(JobRun.id.in_(stopped), JobRun.state == JobRunState.RUNNING)
            .values(state=JobRunState.INTERRUPTED, finished_at=now)
        )
    db.session.commit()
    return len(stopped)


def _process_is_gone(recorded: str | None) -> bool:
    identity = ProcessIdentity.parse(recorded)
    return identity is not None and is_running(identity) is False

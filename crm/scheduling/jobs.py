"""The scheduled jobs, and the one function that runs any of them and records the run.

Every run, whoever starts it (the schedule, an admin's "run now", a command), leaves a JobRun
row: the admin page's last run, duration and last error come from there.
"""

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from crm.clock import today, utcnow
from crm.dashboard.snapshots import refresh_dashboard
from crm.operations.jobs import scheduled_backup
from crm.pipeline.models import run_training, start_training
from crm.pipeline.rescoring import rescore
from crm.quality.snapshot import refresh_quality
from crm.reminders.digest import send_weekly_digest
from crm.reminders.mailing import deliver_new
from crm.reminders.rules import ReminderSettings
from crm.reminders.scan import scan
from models import JobRun, JobRunState, db

log = logging.getLogger(__name__)
MAX_ERROR_LENGTH = 2000


@dataclass(frozen=True)
class JobSpec:
    key: str
    title: Any  # lazy translated
    schedule_setting: str  # the config key holding its schedule
    run: Callable[[], dict[str, Any]]  # does the work in an app context; returns a summary


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
    locales = tuple(current_app.config["LANGUAGES"])
    dashboard = refresh_dashboard(today(), utcnow(), locales)
    quality = refresh_quality(
        today(), utcnow(), current_app.config["QUALITY_MAX_FIRMS_PER_MANAGER"]
    )
    return {"dashboard_snapshots": dashboard, "quality_snapshots": quality}


def retraining() -> dict[str, Any]:
    """Train a new version; publishing it stays an administrator's decision on the model page."""
    version = run_training(start_training(None, utcnow()).id, today())
    return {"version": version.label, "choice": version.card.get("choice")}


JOBS: dict[str, JobSpec] = {
    spec.key: spec
    for spec in (
        JobSpec("reminder_scan", _l("Reminder scan"), "SCHEDULE_REMINDER_SCAN", reminder_scan),
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
        ),
        JobSpec("backup", _l("Database backup"), "SCHEDULE_BACKUP", scheduled_backup),
    )
}

RUNNER = f"{socket.gethostname()}:{os.getpid()}"
# Runs of one job never overlap inside a process (a "run now" during the scheduled run waits).
_running = {key: threading.Lock() for key in JOBS}


def run_job(key: str, trigger: str, requested_by_id: int | None = None) -> JobRun:
    """Run one job now in this process, recording its run; failures are recorded, not raised."""
    spec = JOBS[key]
    with _running[key]:
        run = JobRun(
            job_key=key,
            trigger=trigger,
            runner=RUNNER,
            started_at=utcnow(),
            state=JobRunState.RUNNING,
            requested_by_id=requested_by_id,
        )
        db.session.add(run)
        db.session.commit()
        run_id = run.id
        try:
            summary = spec.run()
        except Exception as error:  # recorded for the admin page; the traceback goes to the log
            log.exception("job %s failed", key)
            db.session.rollback()
            values: dict[str, Any] = {
                "state": JobRunState.FAILED,
                "error": f"{type(error).__name__}: {error}"[:MAX_ERROR_LENGTH],
            }
        else:
            values = {"state": JobRunState.SUCCEEDED, "summary": summary}
        db.session.execute(
            update(JobRun).where(JobRun.id == run_id).values(finished_at=utcnow(), **values)
        )
        db.session.commit()
        return db.session.get_one(JobRun, run_id)


def mark_interrupted_runs() -> int:
    """Scheduler runs left RUNNING by a process that stopped: only one scheduler runs, so a new
    one starting means the old one is gone. Runs from the command line are not touched."""
    result = db.session.execute(
        update(JobRun)
        .where(JobRun.state == JobRunState.RUNNING, JobRun.trigger.in_(["schedule", "manual"]))
        .values(state=JobRunState.INTERRUPTED, finished_at=utcnow())
    )
    db.session.commit()
    return getattr(result, "rowcount", 0) or 0


def last_runs() -> dict[str, JobRun]:
    latest = {}
    for key in JOBS:
        run = db.session.scalar(
            select(JobRun).where(JobRun.job_key == key).order_by(JobRun.id.desc()).limit(1)
        )
        if run is not None:
            latest[key] = run
    return latest

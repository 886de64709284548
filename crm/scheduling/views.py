"""Admin page of the scheduled jobs: schedule, next and last run, duration, last error, run now."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import inspect, select, text
from werkzeug.wrappers import Response

from crm.admin.views import admin_required
from crm.audit import record_change
from crm.clock import utcnow
from crm.labels import label
from crm.scheduling.jobs import JOBS, JobSpec, mark_interrupted_runs
from crm.scheduling.process import JOB_STORE_TABLE, alive_within, heartbeat_age
from models import JobRequest, JobRun, JobRunState, db

bp = Blueprint("scheduling", __name__, url_prefix="/admin/jobs")
RECENT_RUNS = 30


@dataclass(frozen=True)
class JobRow:
    spec: JobSpec
    schedule: str
    next_run_at: datetime | None  # naive UTC, like every time the CRM stores
    last_run: JobRun | None
    last_failure: JobRun | None
    waiting_request: JobRequest | None


def _next_run_times() -> dict[str, datetime]:
    """Read from APScheduler's own table: the scheduler process is the one that keeps it."""
    if not inspect(db.session.connection()).has_table(JOB_STORE_TABLE):
        return {}
    rows = db.session.execute(text(f"SELECT id, next_run_time FROM {JOB_STORE_TABLE}"))  # noqa: S608 -- a constant
    return {
        key: datetime.fromtimestamp(stamp, UTC).replace(tzinfo=None)
        for key, stamp in rows
        if stamp is not None
    }


def _latest(key: str, *conditions: Any) -> JobRun | None:
    return db.session.scalar(
        select(JobRun).where(JobRun.job_key == key, *conditions).order_by(JobRun.id.desc()).limit(1)
    )


def _waiting_request(key: str) -> JobRequest | None:
    return db.session.scalar(
        select(JobRequest).where(JobRequest.job_key == key, JobRequest.picked_at.is_(None)).limit(1)
    )


def job_rows() -> list[JobRow]:
    next_runs = _next_run_times()
    return [
        JobRow(
            spec=spec,
            schedule=current_app.config[spec.schedule_setting],
            next_run_at=next_runs.get(key),
            last_run=_latest(key),
            last_failure=_latest(
                key, JobRun.state.in_([JobRunState.FAILED, JobRunState.INTERRUPTED])
            ),
            waiting_request=_waiting_request(key),
        )
        for key, spec in JOBS.items()
    ]


@bp.route("/")
@admin_required
def list_jobs() -> str:
    # A run whose process was killed shows as interrupted here, not only once the next one starts.
    mark_interrupted_runs(utcnow())
    age = heartbeat_age(utcnow())
    recent = db.session.scalars(select(JobRun).order_by(JobRun.id.desc()).limit(RECENT_RUNS)).all()
    return render_template(
        "scheduling/list_jobs.html",
        jobs=job_rows(),
        recent=recent,
        heartbeat_age=age,
        is_alive=age is not None and age <= alive_within(current_app.config),
        timezone=current_app.config["SCHEDULER_TIMEZONE"],
        shown_timezone=current_app.config["BABEL_DEFAULT_TIMEZONE"],
        titles={key: spec.title for key, spec in JOBS.items()},
        summary_names={
            "created": _("new"),
            "reopened": _("reopened"),
            "closed": _("closed"),
            "mailed": _("mails sent"),
            "mail_failures": _("mails failed"),
            "firms": _("firms"),
            "scorer": _("scorer"),
            "version": _("version"),
            "choice": _("choice"),
            "backup": _("backup file"),
            "backups_removed": _("old backups deleted"),
        },
        label=label,
    )


@bp.route("/<key>/run", methods=["POST"])
@admin_required
def run_now(key: str) -> Response:
    if key not in JOBS:
        flash(_("No such job."), "danger")
        return redirect(url_for(".list_jobs"))
    if _waiting_request(key) is None:  # a second click while the first waits asks for nothing more
        job_request = JobRequest(
            job_key=key, requested_by_id=current_user.id, requested_at=utcnow()
        )
        db.session.add(job_request)
        db.session.flush()
        record_change(current_user, "run", "job_request", job_request.id, {"job": [None, key]})
        db.session.commit()
    flash(
        _(
            "Requested: the scheduler starts it within %(seconds)s seconds.",
            seconds=current_app.config["SCHEDULER_POLL_SECONDS"],
        ),
        "success",
    )
    return redirect(url_for(".list_jobs"))

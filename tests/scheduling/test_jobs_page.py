"""The admin page of the scheduled jobs, and run-now requests handed to the scheduler once."""

from datetime import datetime, timedelta

from sqlalchemy import select

from crm.clock import utcnow
from crm.scheduling import process
from crm.scheduling.jobs import JOBS
from models import JobRequest, JobRun, JobRunState, db
from tests.factories import JobRequestFactory, JobRunFactory, SchedulerStatusFactory
from tests.helpers import audit_entries, log_in


def _run(key: str, state: JobRunState, started: datetime, error: str | None = None) -> JobRun:
    return JobRunFactory(
        job_key=key,
        started_at=started,
        finished_at=started + timedelta(seconds=12.5),
        state=state,
        summary={"created": 7},
        error=error,
    )


def test_the_page_shows_each_job_with_its_last_run_and_last_error(client, admin):
    started = datetime(2026, 11, 30, 1, 30)
    _run(
        "rescoring",
        JobRunState.FAILED,
        started - timedelta(days=1),
        "ConflictError: model file missing",
    )
    _run("rescoring", JobRunState.SUCCEEDED, started)
    SchedulerStatusFactory(started_at=utcnow(), beat_at=utcnow())
    log_in(client, admin)

    page = client.get("/admin/jobs/").text

    for spec in JOBS.values():
        assert str(spec.title) in page
    assert "The scheduler is running" in page
    assert "2026-11-30 09:30" in page  # 01:30 UTC, shown in Beijing time
    assert "12.5 s" in page
    assert "ConflictError: model file missing" in page
    assert "new: 7" in page


def test_a_silent_scheduler_is_flagged(client, admin):
    long_ago = utcnow() - timedelta(hours=2)
    SchedulerStatusFactory(started_at=long_ago, beat_at=long_ago)
    log_in(client, admin)

    assert "The scheduler is not running" in client.get("/admin/jobs/").text


def test_run_now_asks_the_scheduler_once_and_is_audited(client, admin):
    log_in(client, admin)

    client.post("/admin/jobs/reminder_scan/run")
    client.post("/admin/jobs/reminder_scan/run")  # a second click while the first waits

    (request,) = db.session.scalars(select(JobRequest)).all()
    assert (request.job_key, request.requested_by_id, request.picked_at) == (
        "reminder_scan",
        admin.id,
        None,
    )
    assert len(audit_entries("job_request")) == 1
    assert "Waiting for the scheduler" in client.get("/admin/jobs/").text


def test_only_admins_see_or_run_jobs(client, leader):
    log_in(client, leader)

    assert client.get("/admin/jobs/").status_code == 403
    assert client.post("/admin/jobs/reminder_scan/run").status_code == 403
    assert db.session.scalars(select(JobRequest)).all() == []


def test_an_unknown_job_is_refused(client, admin):
    log_in(client, admin)

    page = client.post("/admin/jobs/format_disk/run", follow_redirects=True)

    assert "No such job." in page.text
    assert db.session.scalars(select(JobRequest)).all() == []


class _Recorder:
    def __init__(self) -> None:
        self.added: list[tuple] = []

    def add_job(self, func, args, **_options) -> None:
        self.added.append((func.__name__, *args))


def test_a_request_is_handed_to_the_executor_once(app, admin):
    JobRequestFactory(job_key="leaders_digest", requested_by=admin, requested_at=utcnow())
    db.session.commit()
    recorder = _Recorder()

    process._take_requests(recorder)  # type: ignore[arg-type]
    process._take_requests(recorder)  # type: ignore[arg-type]

    assert recorder.added == [("_run_requested", "leaders_digest", admin.id)]
    assert db.session.scalars(select(JobRequest)).one().picked_at is not None

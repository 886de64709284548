"""Import jobs: a web worker queues the upload, the scheduler checks and applies it, the owner
watches its progress. The file, its checked plan and its progress live in the upload folder.

Progress goes to a small file, not to the job's row: applying holds one long transaction (all
rows or none), and on SQLite that transaction holds the database's only write lock, so no other
transaction could record progress until the import is over.
"""

import logging
import os
import secrets
from datetime import datetime
from pathlib import Path

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from crm.enterprises import import_issues
from crm.enterprises.import_plan import read_plan, stale_firms, write_plan
from crm.enterprises.import_report import ImportReport, report_from_json, report_to_json
from crm.enterprises.importing import CHECK_PASSES, apply_plan, import_sheet
from crm.enterprises.sheets import ImportFileError, read_sheet
from crm.errors import ConflictError, DomainError, NotFoundError, StaleEditError
from crm.processes import ProcessIdentity, is_running, this_process
from models import ImportJob, ImportJobState, User, db
from models.import_job import RUNNING_STATES

log = logging.getLogger(__name__)
PLAN_SUFFIX, PROGRESS_SUFFIX = ".plan.jsonl", ".progress"
FINISHED_STATES = (ImportJobState.CHECKED, ImportJobState.DONE, ImportJobState.FAILED)


class RenamesNotAcceptedError(DomainError):
    """The file renames firms and the user has not ticked that they checked the new names."""


def queue_import(
    owner: User, file_name: str, content: bytes, folder: Path, locale: str, now: datetime
) -> ImportJob:
    """Store the upload under a random name and queue its check."""
    folder.mkdir(parents=True, exist_ok=True)
    _forget_earlier_uploads(owner, folder)
    suffix = ".xlsx" if file_name.lower().endswith(".xlsx") else ".csv"
    stored_name = f"{owner.id}-{secrets.token_hex(16)}{suffix}"
    (folder / stored_name).write_bytes(content)
    job = ImportJob(
        owner=owner,
        file_name=import_issues.issue_file_name(file_name),
        stored_name=stored_name,
        locale=locale,
        state=ImportJobState.QUEUED,
        created_at=now,
    )
    db.session.add(job)
    db.session.flush()
    return job


def _forget_earlier_uploads(owner: User, folder: Path) -> None:
    """One checked upload waits per user, as before: a new upload ends the wait of the last."""
    waiting = db.session.scalars(
        select(ImportJob.stored_name).where(
            ImportJob.owner_id == owner.id,
            ImportJob.state.in_((ImportJobState.CHECKED, ImportJobState.FAILED)),
        )
    )
    for stored_name in waiting:
        for suffix in ("", PLAN_SUFFIX, PROGRESS_SUFFIX):
            (folder / (stored_name + suffix)).unlink(missing_ok=True)


def owned_job(actor: User, job_id: int) -> ImportJob:
    """Another user's job does not exist for this one."""
    job = db.session.get(ImportJob, job_id)
    if job is None or job.owner_id != actor.id:
        raise NotFoundError(_("No such import."))
    return job


def job_report(job: ImportJob) -> ImportReport | None:
    return report_from_json(job.report) if job.report is not None else None


def request_apply(job: ImportJob, *, accept_renames: bool) -> None:
    """Queue the checked plan to be written; a file that renames firms needs them accepted."""
    report = job_report(job)
    if job.state != ImportJobState.CHECKED or report is None or report.errors:
        raise ConflictError(_("This import cannot be confirmed. Upload the file again."))
    if report.rename_count and not accept_renames:
        raise RenamesNotAcceptedError(
            _("Tick this box once you have checked the new names above."), "accept_renames"
        )
    job.state, job.apply_requested = ImportJobState.QUEUED, True


def progress_of(job: ImportJob, folder: Path) -> tuple[int, int]:
    """Rows done and rows in all, as the running job last wrote them."""
    if job.state in FINISHED_STATES:
        return job.rows_total, job.rows_total
    try:
        done, total = (
            int(n) for n in (folder / (job.stored_name + PROGRESS_SUFFIX)).read_text().split()
        )
    except (OSError, ValueError):  # not started, or between two writes on a system without rename
        return 0, job.rows_total
    return (done * job.rows_total // total if total else 0), job.rows_total


# The scheduler's side ---------------------------------------------------------------------------


def claim_queued_imports(now: datetime) -> list[int]:
    """Take the waiting jobs for this process; the UPDATE claims each exactly once."""
    waiting = db.session.scalars(
        select(ImportJob).where(ImportJob.state == ImportJobState.QUEUED).order_by(ImportJob.id)
    ).all()
    claimed_ids = []
    for job in waiting:
        running = ImportJobState.APPLYING if job.apply_requested else ImportJobState.CHECKING
        claimed = db.session.execute(
            update(ImportJob)
            .where(ImportJob.id == job.id, ImportJob.state == ImportJobState.QUEUED)
            .values(state=running, process=str(this_process()), started_at=now)
        )
        db.session.commit()
        if getattr(claimed, "rowcount", 0) == 1:
            claimed_ids.append(job.id)
    return claimed_ids


def run_queued_imports(folder: Path, now: datetime) -> int:
    """Claim and run every waiting job here and now (tests, and a scheduler-less shell)."""
    claimed = claim_queued_imports(now)
    for job_id in claimed:
        run_import_job(job_id, folder, now)
    return len(claimed)


def run_import_job(job_id: int, folder: Path, now: datetime) -> None:
    """Check or apply a claimed job, committing its state; failures are recorded, not raised."""
    job = db.session.get_one(ImportJob, job_id)
    with force_locale(job.locale):
        try:
            if job.state == ImportJobState.APPLYING:
                _apply(job, folder, now)
            else:
                _check(job, folder, now)
        except Exception:  # recorded for its owner; the traceback goes to the log
            db.session.rollback()
            log.exception("import job %d failed", job_id)
            _fail(job_id, _("The import stopped on an unexpected error. Nothing was saved."), now)


def end_interrupted_imports(now: datetime, *, scheduler_starting: bool = False) -> int:
    """Fail the jobs left running by a process that no longer exists (or, when the scheduler
    starts, by the scheduler before it: only one runs at a time)."""
    running = db.session.scalars(select(ImportJob).where(ImportJob.state.in_(RUNNING_STATES)))
    ended = 0
    for job in running.all():
        identity = ProcessIdentity.parse(job.process)
        gone = identity is not None and is_running(identity) is False
        if gone or scheduler_starting:
            with force_locale(job.locale):
                message = _("The import was interrupted (its process stopped). Nothing was saved.")
            job.state, job.error, job.finished_at = ImportJobState.FAILED, message, now
            ended += 1
    db.session.flush()
    return ended


def _check(job: ImportJob, folder: Path, now: datetime, *, changed: bool = False) -> None:
    upload = folder / job.stored_name
    try:
        sheet = read_sheet(job.file_name, upload.read_bytes())
    except ImportFileError as unreadable:
        _fail(job.id, unreadable.message, now)
        return
    job.state, job.rows_total, job.apply_requested = ImportJobState.CHECKING, len(sheet.rows), False
    db.session.commit()
    plan = folder / (job.stored_name + PLAN_SUFFIX)
    plan.unlink(missing_ok=True)
    progress = _ProgressFile(
        folder / (job.stored_name + PROGRESS_SUFFIX), CHECK_PASSES * len(sheet.rows)
    )
    owner = job.owner
    report = import_sheet(
        owner, sheet, now, dry_run=True, progress=progress, keep_plan=lambda p: write_plan(plan, p)
    )
    db.session.rollback()  # the trial save is undone; end its transaction before the next
    if report.errors:
        found = import_issues.found_issues(sheet, report.errors)
        import_issues.record_import_issues(owner, job.file_name, found, now)
    report.rechecked = changed
    job = db.session.get_one(ImportJob, job.id)
    job.state, job.report, job.finished_at = ImportJobState.CHECKED, report_to_json(report), now
    db.session.commit()


def _apply(job: ImportJob, folder: Path, now: datetime) -> None:
    plan = folder / (job.stored_name + PLAN_SUFFIX)
    checked = job_report(job)
    if checked is None or not plan.is_file():
        _fail(job.id, _("This import cannot be confirmed. Upload the file again."), now)
        return
    if stale_firms(read_plan(plan)):
        # Someone changed a firm of the file since its check: the new preview must be looked at.
        _check(job, folder, now, changed=True)
        return
    progress = _ProgressFile(folder / (job.stored_name + PROGRESS_SUFFIX), job.rows_total)
    try:
        report = apply_plan(job.owner, read_plan(plan), now, progress)
    except StaleEditError:  # a firm was edited after the check above, while the plan was applied
        db.session.rollback()
        _check(job, folder, now, changed=True)
        return
    if report.errors:  # a service refused what the check accepted: check again, and show why
        db.session.rollback()
        _check(job, folder, now, changed=True)
        return
    import_issues.resolve_import_issues(job.file_name, now)
    checked.applied = True
    checked.firms_to_create, checked.firms_to_update = (
        report.firms_to_create,
        report.firms_to_update,
    )
    checked.firms_unchanged, checked.figure_rows = report.firms_unchanged, report.figure_rows
    job.state, job.report, job.finished_at = ImportJobState.DONE, report_to_json(checked), now
    db.session.commit()
    for leftover in (
        job.stored_name,
        job.stored_name + PLAN_SUFFIX,
        job.stored_name + PROGRESS_SUFFIX,
    ):
        (folder / leftover).unlink(missing_ok=True)


def _fail(job_id: int, message: str, now: datetime) -> None:
    db.session.execute(
        update(ImportJob)
        .where(ImportJob.id == job_id)
        .values(state=ImportJobState.FAILED, error=message, finished_at=now)
    )
    db.session.commit()


class _ProgressFile:
    """Counts work done and writes "done total" to a file the status page reads."""

    def __init__(self, path: Path, total: int) -> None:
        self.path, self.total, self.done = path, total, 0
        self._write()

    def __call__(self, amount: int) -> None:
        self.done = min(self.total, self.done + amount)
        self._write()

    def _write(self) -> None:
        partial = self.path.with_suffix(".partial")
        partial.write_text(f"{self.done} {self.total}")
        os.replace(partial, self.path)  # readers see the old numbers or the new, never half

"""Import jobs run as the scheduler runs them: checked, kept, applied, re-checked or failed."""

import json
import socket
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from crm.enterprises import import_jobs
from crm.enterprises.import_jobs import (
    PLAN_SUFFIX,
    PROGRESS_SUFFIX,
    RenamesNotAcceptedError,
    end_interrupted_imports,
    job_report,
    queue_import,
    request_apply,
    run_queued_imports,
)
from crm.enterprises.import_plan import read_plan
from crm.enterprises.importing import apply_plan
from crm.errors import StaleEditError
from crm.processes import ProcessIdentity
from crm.scheduling import process
from models import AuditEntry, Enterprise, ImportIssue, ImportJob, ImportJobState, User, db
from tests.enterprises.import_steps import queue_upload
from tests.factories import EnterpriseFactory, valid_uscc
from tests.helpers import log_in, row_count

NOW = datetime(2026, 3, 2, 9, 0)
NEW = valid_uscc(930001)
KNOWN = valid_uscc(930002)
HEADER = "uscc,name,sub_district,zone,track,year,revenue"
GOOD = f"{HEADER}\n{NEW},上海后台科技有限公司,daninglu,daning,ai,2025,100\n"


def folder_of(app: Flask) -> Path:
    return Path(app.config["CRM_UPLOAD_FOLDER"])


def queued(app: Flask, owner: User, content: str, name: str = "firms.csv") -> ImportJob:
    job = queue_import(owner, name, content.encode("utf-8"), folder_of(app), "en", NOW)
    db.session.commit()
    return job


def test_a_queued_upload_is_checked_by_the_runner_and_its_plan_kept_beside_it(app, manager):
    job = queued(app, manager, GOOD)

    ran = run_queued_imports(folder_of(app), NOW)

    assert ran == 1
    assert job.state == ImportJobState.CHECKED
    report = job_report(job)
    assert report is not None
    assert (report.rows, report.firms_to_create, report.figure_rows) == (1, 1, 1)
    plan = (folder_of(app) / (job.stored_name + PLAN_SUFFIX)).read_text(encoding="utf-8")
    assert [json.loads(line)["uscc"] for line in plan.splitlines()] == [NEW]
    assert row_count(Enterprise) == 0


def test_confirming_applies_the_kept_plan_without_reading_the_file_again(app, manager):
    job = queued(app, manager, GOOD)
    run_queued_imports(folder_of(app), NOW)
    (folder_of(app) / job.stored_name).write_text("not the file that was checked")

    request_apply(job, accept_renames=False)
    db.session.commit()
    run_queued_imports(folder_of(app), NOW)

    assert job.state == ImportJobState.DONE
    assert job_report(job).applied
    stored = db.session.scalar(select(Enterprise).where(Enterprise.uscc == NEW))
    assert stored is not None
    assert stored.name == "上海后台科技有限公司"
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-1] == "import"
    assert sorted(path.name for path in folder_of(app).iterdir()) == []


def test_a_firm_changed_since_the_check_makes_the_confirm_check_the_file_again(app, manager):
    firm = EnterpriseFactory(uscc=KNOWN, name="上海旧名科技有限公司")
    job = queued(
        app, manager, f"{HEADER}\n{KNOWN},上海旧名科技有限公司,daninglu,daning,ai,2025,100\n"
    )
    run_queued_imports(folder_of(app), NOW)
    firm.address = "上海市静安区某路1号"  # an edit in the meantime moves its version
    db.session.commit()

    request_apply(job, accept_renames=False)
    db.session.commit()
    run_queued_imports(folder_of(app), NOW)

    report = job_report(job)
    assert job.state == ImportJobState.CHECKED
    assert report is not None
    assert report.rechecked
    assert not job.apply_requested
    assert not firm.yearly_figures


def test_a_code_taken_by_a_new_firm_since_the_check_makes_the_confirm_check_again(app, manager):
    job = queued(app, manager, GOOD)
    run_queued_imports(folder_of(app), NOW)
    EnterpriseFactory(uscc=NEW, name="上海抢先科技有限公司")
    db.session.commit()

    request_apply(job, accept_renames=False)
    db.session.commit()
    run_queued_imports(folder_of(app), NOW)

    assert job.state == ImportJobState.CHECKED
    assert job_report(job).rechecked
    assert job_report(job).rename_count == 1  # the new firm's name differs from the file's
    assert row_count(Enterprise) == 1


def test_a_file_that_renames_a_firm_is_queued_only_once_the_rename_is_accepted(app, manager):
    EnterpriseFactory(uscc=KNOWN, name="上海旧名科技有限公司")
    job = queued(app, manager, f"{HEADER}\n{KNOWN},上海新名科技有限公司,daninglu,daning,ai,,\n")
    run_queued_imports(folder_of(app), NOW)

    with pytest.raises(RenamesNotAcceptedError):
        request_apply(job, accept_renames=False)
    request_apply(job, accept_renames=True)

    report = job_report(job)
    assert report is not None
    assert report.rename_count == 1
    change = report.changes[0]
    assert (change.name, change.new_name) == ("上海旧名科技有限公司", "上海新名科技有限公司")
    assert (job.state, job.apply_requested) == (ImportJobState.QUEUED, True)


def test_a_bad_file_is_checked_its_issues_kept_and_it_cannot_be_confirmed(app, manager):
    job = queued(app, manager, f"{HEADER}\n{NEW[:17]}0,上海坏码科技有限公司,daninglu,daning,ai,,\n")

    run_queued_imports(folder_of(app), NOW)

    assert job.state == ImportJobState.CHECKED
    assert job_report(job).errors
    assert row_count(ImportIssue) == 1
    assert not (folder_of(app) / (job.stored_name + PLAN_SUFFIX)).exists()
    with pytest.raises(import_jobs.ConflictError):
        request_apply(job, accept_renames=True)


def test_an_unreadable_upload_fails_with_the_readers_message(app, manager):
    job = queued(app, manager, "not a workbook", name="firms.xlsx")

    run_queued_imports(folder_of(app), NOW)

    assert job.state == ImportJobState.FAILED
    assert "not a readable XLSX file" in (job.error or "")


def test_a_job_whose_process_died_ends_as_failed_and_a_live_one_runs_on(app, manager):
    gone = subprocess.Popen(["true"])  # noqa: S607 -- a process that has surely ended
    gone.wait()
    dead, alive = queued(app, manager, GOOD), queued(app, manager, GOOD)
    dead.state = alive.state = ImportJobState.CHECKING
    dead.process = str(ProcessIdentity(socket.gethostname(), gone.pid, "boot@1"))
    alive.process = str(import_jobs.this_process())
    db.session.commit()

    ended = end_interrupted_imports(NOW)

    assert ended == 1
    assert dead.state == ImportJobState.FAILED
    assert "interrupted" in (dead.error or "")
    assert alive.state == ImportJobState.CHECKING


def test_a_starting_scheduler_ends_the_jobs_of_the_scheduler_before_it(app, manager):
    job = queued(app, manager, GOOD)
    job.state, job.process = ImportJobState.APPLYING, str(import_jobs.this_process())
    db.session.commit()

    end_interrupted_imports(NOW, scheduler_starting=True)

    assert job.state == ImportJobState.FAILED


def test_the_schedulers_poll_claims_queued_imports_for_its_executor(app, manager):
    job = queued(app, manager, GOOD)
    scheduler = process.build_scheduler(app)

    process._take_imports(scheduler)

    assert [stored.args for stored in scheduler.get_jobs(jobstore="volatile")] == [(job.id,)]
    assert job.state == ImportJobState.CHECKING
    assert job.process == str(import_jobs.this_process())
    process._take_imports(scheduler)  # claimed once: the next poll finds nothing to take
    assert len(scheduler.get_jobs(jobstore="volatile")) == 1


def test_the_status_answers_the_rows_done_from_the_running_jobs_progress(app, client, manager):
    log_in(client, manager)
    page = queue_upload(client, GOOD)
    job = db.session.scalars(select(ImportJob)).one()
    job.state, job.rows_total = ImportJobState.CHECKING, 10
    db.session.commit()
    (folder_of(app) / (job.stored_name + PROGRESS_SUFFIX)).write_text("10 20")

    answer = client.get(page + "/status")
    status = answer.json

    assert answer.headers["Cache-Control"] == "no-store"
    assert status["done"] == 5
    assert status["total"] == 10
    assert status["percent"] == 50
    assert status["finished"] is False
    assert status["message"] == "Checking: 5 of 10 rows"


def test_a_queued_jobs_status_says_when_no_scheduler_is_running(client, manager):
    log_in(client, manager)

    page = queue_upload(client, GOOD)
    status = client.get(page + "/status").json

    assert status["state"] == "queued"
    assert "scheduler is not running" in status["message"]


def test_a_new_upload_ends_the_wait_of_the_owners_checked_one(app, manager):
    earlier = queued(app, manager, GOOD)
    run_queued_imports(folder_of(app), NOW)

    later = queued(app, manager, GOOD)
    kept = sorted(path.name for path in folder_of(app).iterdir())
    request_apply(earlier, accept_renames=False)
    db.session.commit()
    run_queued_imports(folder_of(app), NOW)

    assert kept == [later.stored_name]
    assert earlier.state == ImportJobState.FAILED
    assert later.state == ImportJobState.CHECKED
    assert row_count(Enterprise) == 0


def test_an_edit_saved_after_the_check_is_never_overwritten_by_the_plan(app, manager):
    """The plan carries the version each firm was checked at: an edit saved after the check,
    even once applying began, stops the apply (the file is checked again), never lost."""
    firm = EnterpriseFactory(uscc=KNOWN, name="上海旧名科技有限公司", address="old")
    job = queued(
        app,
        manager,
        "uscc,name,sub_district,zone,track,address\n"
        f"{KNOWN},上海旧名科技有限公司,daninglu,daning,ai,file-address\n",
    )
    import_jobs.run_queued_imports(folder_of(app), NOW)
    plan = read_plan(folder_of(app) / (job.stored_name + import_jobs.PLAN_SUFFIX))
    firm.address = "edited-meanwhile"
    db.session.commit()

    with pytest.raises(StaleEditError):
        apply_plan(manager, plan, NOW)
    db.session.rollback()

    assert db.session.get(Enterprise, firm.id).address == "edited-meanwhile"

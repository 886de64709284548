"""The scheduler's own records: each job run, run-now requests, and the live scheduler's heartbeat.

APScheduler keeps its job store (next run times) in its own table, `apscheduler_jobs`; these
tables keep what an admin needs to see and what APScheduler does not record.
"""

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Model, string_enum
from models.user import User


class JobRunState(enum.StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    INTERRUPTED = "interrupted"  # its process stopped (killed, restarted) before the run ended


class JobRun(Model):
    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_key: Mapped[str] = mapped_column(String(40), index=True)
    trigger: Mapped[str] = mapped_column(String(20))  # schedule, manual (admin page), command
    runner: Mapped[str] = mapped_column(String(120))  # host:pid of the process that ran it
    # host:pid:boot id@start time (crm.processes): tells a dead process from one reusing its pid.
    process: Mapped[str | None] = mapped_column(String(200))
    started_at: Mapped[datetime] = mapped_column(index=True)
    finished_at: Mapped[datetime | None]
    state: Mapped[JobRunState] = mapped_column(string_enum(JobRunState))
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    requested_by: Mapped[User | None] = relationship()

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class JobRequest(Model):
    """'Run now' from the admin page: web workers never run jobs, the scheduler picks these up."""

    __tablename__ = "job_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_key: Mapped[str] = mapped_column(String(40))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime]
    picked_at: Mapped[datetime | None] = mapped_column(index=True)

    requested_by: Mapped[User] = relationship()


class SchedulerStatus(Model):
    """One row: which process is the scheduler, and when it last showed it is alive."""

    __tablename__ = "scheduler_status"

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    runner: Mapped[str] = mapped_column(String(120))
    started_at: Mapped[datetime]
    beat_at: Mapped[datetime]

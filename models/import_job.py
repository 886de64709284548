"""A reservoir import run in the background: its file, its state, its progress and its report."""

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Model, string_enum
from models.user import User


class ImportJobState(enum.StrEnum):
    QUEUED = "queued"  # waiting for the scheduler; `apply_requested` says for which step
    CHECKING = "checking"
    CHECKED = "checked"  # the report is ready; confirming queues the job again to apply
    APPLYING = "applying"
    DONE = "done"
    FAILED = "failed"


RUNNING_STATES = (ImportJobState.CHECKING, ImportJobState.APPLYING)


class ImportJob(Model):
    """One uploaded file from upload to import. The file and its checked plan stay in the upload
    folder under `stored_name`; web workers only queue jobs, the scheduler process runs them."""

    __tablename__ = "import_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(200))  # as the user named it
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)  # random, in the folder
    locale: Mapped[str] = mapped_column(String(10))  # the report is written in the owner's language
    state: Mapped[ImportJobState] = mapped_column(string_enum(ImportJobState), index=True)
    apply_requested: Mapped[bool] = mapped_column(default=False)
    rows_total: Mapped[int] = mapped_column(default=0)
    # Deferred: the status poll and the queue read a job every second; the report may be MBs.
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON, deferred=True)
    error: Mapped[str | None] = mapped_column(Text)
    # host:pid:boot id@start time of the process running it (crm.processes), to tell a crash.
    process: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    owner: Mapped[User] = relationship()

    @property
    def is_running(self) -> bool:
        return self.state == ImportJobState.QUEUED or self.state in RUNNING_STATES

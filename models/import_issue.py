"""A problem an import found in a firm's credit code, kept for the data-quality page."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Model, string_enum
from models.user import User


class ImportIssueKind(enum.StrEnum):
    INVALID_USCC = "invalid_uscc"  # fails the check digit or the format
    DUPLICATE_USCC = "duplicate_uscc"  # on more than one row of the same file


class ImportIssue(Model):
    """The import itself wrote nothing (one bad row stops it); this keeps what it found, so a
    leader sees recurring bad codes even after the person who imported has gone home."""

    __tablename__ = "import_issues"
    __table_args__ = (UniqueConstraint("kind", "uscc", "file_name", name="import_issue_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ImportIssueKind] = mapped_column(string_enum(ImportIssueKind))
    uscc: Mapped[str] = mapped_column(String(40))
    firm_name: Mapped[str | None] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(200))
    line: Mapped[int]
    found_at: Mapped[datetime]
    found_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None]  # a later import of the same file went through

    found_by: Mapped[User | None] = relationship()

"""The audit log: who changed what, when, with the values before and after."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Model
from models.user import User


class AuditEntry(Model):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: system job
    action: Mapped[str] = mapped_column(String(20))  # create, update, delete, restore, import
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column()
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # field: [before, after]

    actor: Mapped[User | None] = relationship()

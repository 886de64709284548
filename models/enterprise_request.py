"""Requests firms raise, routed to a district department and tracked until the firm is satisfied."""

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Model, SoftDeleteMixin, VersionedMixin, partial_index, string_enum
from models.enterprise import Enterprise
from models.reference import Department
from models.user import User
from models.visit import RedFlag, Visit


class RequestCategory(enum.StrEnum):
    FINANCING = "financing"
    SPACE = "space"
    TALENT = "talent"  # talent and housing
    PERMITS = "permits"
    MARKET = "market"  # market and procurement
    INTELLECTUAL_PROPERTY = "intellectual_property"
    POLICY = "policy"  # policy consultation
    OTHER = "other"


class RequestUrgency(enum.StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


class RequestState(enum.StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"  # confirmed by the manager after checking with the firm
    REJECTED = "rejected"


class EnterpriseRequest(VersionedMixin, SoftDeleteMixin, Model):
    __tablename__ = "enterprise_requests"
    __table_args__ = (
        CheckConstraint(
            "satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5", name="satisfaction"
        ),
        # The inbox reads pending, then finished requests by due day: per state (a filter), per
        # department (its staff) and state, and along due_on for everyone else.
        Index("ix_enterprise_requests_state_due_on", "state", "due_on", "id"),
        Index("ix_enterprise_requests_department_id_due_on", "department_id", "due_on", "id"),
        Index(
            "ix_enterprise_requests_department_id_state",
            "department_id",
            "state",
            "due_on",
            "id",
        ),
        # A red flag is filed once: filing it again finds this request (a deleted one is not it).
        partial_index(
            "uq_enterprise_requests_visit_id_red_flag", "visit_id", "red_flag", unique=True
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id"), index=True)
    red_flag: Mapped[RedFlag | None] = mapped_column(string_enum(RedFlag))  # filed from it
    category: Mapped[RequestCategory] = mapped_column(string_enum(RequestCategory))
    description: Mapped[str] = mapped_column(Text)
    urgency: Mapped[RequestUrgency] = mapped_column(
        string_enum(RequestUrgency), default=RequestUrgency.NORMAL
    )
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    state: Mapped[RequestState] = mapped_column(
        string_enum(RequestState), default=RequestState.OPEN
    )
    raised_on: Mapped[date]
    due_on: Mapped[date] = mapped_column(index=True)
    answer: Mapped[str | None] = mapped_column(Text)
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    satisfaction: Mapped[int | None]
    resolved_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    enterprise: Mapped[Enterprise] = relationship()
    visit: Mapped[Visit | None] = relationship()
    department: Mapped[Department] = relationship()
    created_by: Mapped[User] = relationship()
    events: Mapped[list["RequestEvent"]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="RequestEvent.at"
    )


class RequestEvent(Model):
    """One step of a request's workflow: who did what, when, from which state to which."""

    __tablename__ = "request_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("enterprise_requests.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    from_state: Mapped[RequestState | None] = mapped_column(string_enum(RequestState))
    to_state: Mapped[RequestState] = mapped_column(string_enum(RequestState))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime]
    note: Mapped[str | None] = mapped_column(Text)
    from_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    to_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))

    request: Mapped[EnterpriseRequest] = relationship(back_populates="events")
    actor: Mapped[User] = relationship()


class CategoryRoute(Model):
    """Intelligent allocation: the department a category goes to by default, and its due time."""

    __tablename__ = "category_routes"

    category: Mapped[RequestCategory] = mapped_column(
        string_enum(RequestCategory), primary_key=True
    )
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    due_days: Mapped[int] = mapped_column(default=15)

    department: Mapped[Department] = relationship()

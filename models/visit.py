"""On-site and remote visits to a firm, their red flags and follow-up actions."""

import enum
from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Model, SoftDeleteMixin, VersionedMixin, partial_index, string_enum
from models.enterprise import Enterprise
from models.user import User


class VisitKind(enum.StrEnum):
    ON_SITE = "on_site"
    PHONE = "phone"
    VIDEO = "video"
    EVENT = "event"


class RedFlag(enum.StrEnum):
    """The questions asked on every on-site visit, answered yes or no."""

    MOVE_OUT = "move_out"  # may leave the district within 12 months
    DOWNSIZING = "downsizing"
    KEY_PEOPLE_LEAVING = "key_people_leaving"
    FINANCING_GAP = "financing_gap"
    REGULATORY_TROUBLE = "regulatory_trouble"


class MoveOutReason(enum.StrEnum):
    COURTED = "courted"  # another district is courting the firm
    LEASE_EXPIRING = "lease_expiring"
    SPACE_TOO_SMALL = "space_too_small"
    OTHER = "other"


visit_participants = Table(
    "visit_participants",
    Model.metadata,
    Column("visit_id", ForeignKey("visits.id"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True),
    # The primary key leads with the visit: a user's visits (department staff's list) need this.
    Index("ix_visit_participants_user_id", "user_id"),
)

FINDING_AREAS = ("operations", "financing", "space", "talent", "market", "risks")


class Visit(VersionedMixin, SoftDeleteMixin, Model):
    __tablename__ = "visits"
    # A firm's live visits by day: its latest visit and its timeline are one index seek each.
    # Partial, so PostgreSQL too reads it in order (it does not order past an IS NULL column).
    __table_args__ = (
        partial_index(
            "ix_visits_enterprise_id_live_visited_on", "enterprise_id", "visited_on", "id"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    visited_on: Mapped[date] = mapped_column(index=True)
    kind: Mapped[VisitKind] = mapped_column(string_enum(VisitKind))
    people_met: Mapped[str | None] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text)
    findings_operations: Mapped[str | None] = mapped_column(Text)
    findings_financing: Mapped[str | None] = mapped_column(Text)
    findings_space: Mapped[str | None] = mapped_column(Text)
    findings_talent: Mapped[str | None] = mapped_column(Text)
    findings_market: Mapped[str | None] = mapped_column(Text)
    findings_risks: Mapped[str | None] = mapped_column(Text)
    red_flags_asked: Mapped[bool] = mapped_column(default=False)
    next_visit_on: Mapped[date | None]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    enterprise: Mapped[Enterprise] = relationship()
    created_by: Mapped[User] = relationship()
    participants: Mapped[list[User]] = relationship(secondary=visit_participants)
    red_flags: Mapped[list["VisitRedFlag"]] = relationship(
        back_populates="visit", cascade="all, delete-orphan"
    )
    follow_ups: Mapped[list["FollowUpAction"]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="FollowUpAction.due_on"
    )


class VisitRedFlag(Model):
    """A red flag answered 'yes' on a visit (a 'no' leaves no row; red_flags_asked tells)."""

    __tablename__ = "visit_red_flags"

    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), primary_key=True)
    flag: Mapped[RedFlag] = mapped_column(string_enum(RedFlag), primary_key=True)
    move_out_reason: Mapped[MoveOutReason | None] = mapped_column(string_enum(MoveOutReason))
    note: Mapped[str | None] = mapped_column(String(300))

    visit: Mapped[Visit] = relationship(back_populates="red_flags")


class FollowUpAction(Model):
    __tablename__ = "follow_up_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), index=True)
    description: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    due_on: Mapped[date] = mapped_column(index=True)
    done_at: Mapped[datetime | None]

    visit: Mapped[Visit] = relationship(back_populates="follow_ups")
    owner: Mapped[User] = relationship()

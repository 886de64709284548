"""The listing pipeline: a firm's track to a stock exchange, its steps, blockers and support."""

import enum
from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Model, SoftDeleteMixin, VersionedMixin, partial_index, string_enum
from models.enterprise import Enterprise
from models.enterprise_request import EnterpriseRequest
from models.policy import PolicyPackage
from models.user import User


class ListingBoard(enum.StrEnum):
    STAR_MARKET = "star_market"
    CHINEXT = "chinext"
    MAIN_BOARD = "main_board"
    BEIJING = "beijing"  # Beijing Stock Exchange
    HONG_KONG = "hong_kong"
    OVERSEAS = "overseas"


class ListingStage(enum.StrEnum):
    CANDIDATE = "candidate"
    SHAREHOLDING_REFORM = "shareholding_reform"
    SPONSOR_SIGNED = "sponsor_signed"
    TUTORING_FILED = "tutoring_filed"  # with the CSRC's local bureau
    APPLICATION_ACCEPTED = "application_accepted"
    INQUIRY = "inquiry"
    APPROVED = "approved"  # approved by the exchange and registered with the CSRC
    LISTED = "listed"
    PAUSED = "paused"
    WITHDRAWN = "withdrawn"


# The road to listing, in order; paused and withdrawn stand beside it.
ROAD = (
    ListingStage.CANDIDATE,
    ListingStage.SHAREHOLDING_REFORM,
    ListingStage.SPONSOR_SIGNED,
    ListingStage.TUTORING_FILED,
    ListingStage.APPLICATION_ACCEPTED,
    ListingStage.INQUIRY,
    ListingStage.APPROVED,
    ListingStage.LISTED,
)

listing_track_packages = Table(
    "listing_track_packages",
    Model.metadata,
    Column("track_id", ForeignKey("listing_tracks.id"), primary_key=True),
    Column("package_id", ForeignKey("policy_packages.id"), primary_key=True, index=True),
)


class ListingTrack(VersionedMixin, SoftDeleteMixin, Model):
    __tablename__ = "listing_tracks"
    __table_args__ = (
        # One live track per firm: a second attempt continues the first (a deleted one is not it).
        partial_index("uq_listing_tracks_enterprise_id_live", "enterprise_id", unique=True),
        # The pipeline list pages by time in stage, longest first.
        Index("ix_listing_tracks_stage_since", "stage_since", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"))
    board: Mapped[ListingBoard] = mapped_column(string_enum(ListingBoard))
    stage: Mapped[ListingStage] = mapped_column(string_enum(ListingStage), index=True)
    stage_since: Mapped[date]
    sponsor: Mapped[str | None] = mapped_column(String(100))
    planned_listing_on: Mapped[date | None]
    halt_reason: Mapped[str | None] = mapped_column(Text)  # why paused or withdrawn
    listed_on: Mapped[date | None]
    stock_code: Mapped[str | None] = mapped_column(String(20))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    enterprise: Mapped[Enterprise] = relationship()
    created_by: Mapped[User] = relationship()
    steps: Mapped[list["ListingStep"]] = relationship(
        back_populates="track", order_by="(ListingStep.on, ListingStep.id)"
    )
    blockers: Mapped[list["ListingBlocker"]] = relationship(
        back_populates="track", order_by="ListingBlocker.id"
    )
    packages: Mapped[list[PolicyPackage]] = relationship(
        secondary=listing_track_packages, order_by=PolicyPackage.id
    )


class ListingStep(Model):
    """One change of a track's stage, on the day it happened (the first step has no from_stage)."""

    __tablename__ = "listing_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    track_id: Mapped[int] = mapped_column(ForeignKey("listing_tracks.id"), index=True)
    from_stage: Mapped[ListingStage | None] = mapped_column(string_enum(ListingStage))
    to_stage: Mapped[ListingStage] = mapped_column(string_enum(ListingStage))
    on: Mapped[date]
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(Text)

    track: Mapped[ListingTrack] = relationship(back_populates="steps")
    actor: Mapped[User] = relationship()


class ListingBlocker(Model):
    """Something in the way of a track, filed as a request to the department that owns it.

    Its department, due date and whether it is resolved are the request's: one state to keep.
    """

    __tablename__ = "listing_blockers"

    id: Mapped[int] = mapped_column(primary_key=True)
    track_id: Mapped[int] = mapped_column(ForeignKey("listing_tracks.id"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("enterprise_requests.id"), unique=True)
    description: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]

    track: Mapped[ListingTrack] = relationship(back_populates="blockers")
    request: Mapped[EnterpriseRequest] = relationship()
    created_by: Mapped[User] = relationship()

"""Active discovery: events (competitions, roadshows, horse races) and candidates not yet in the
reservoir, from their source through screening to a decision."""

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Model, SoftDeleteMixin, VersionedMixin, string_enum
from models.enterprise import Enterprise, Tier
from models.reference import Department, IndustryTrack, SubDistrict, Zone
from models.user import User


class EventKind(enum.StrEnum):
    COMPETITION = "competition"
    ROADSHOW = "roadshow"
    HORSE_RACE = "horse_race"  # the plan's "赛马" rounds among firms of one track
    OPEN_INNOVATION_CALL = "open_innovation_call"  # a big firm's call for partners


class SourceKind(enum.StrEnum):
    INVESTOR = "investor"
    COMPETITION = "competition"
    ROADSHOW = "roadshow"
    DEPARTMENT_REFERRAL = "department_referral"
    OPEN_INNOVATION = "open_innovation"
    OWN_SEARCH = "own_search"


class CandidateState(enum.StrEnum):
    NEW = "new"
    SCREENING = "screening"
    ADMITTED = "admitted"
    WATCHING = "watching"
    DECLINED = "declined"
    # Its credit code was already in the reservoir: linked to that firm instead of admitted.
    DUPLICATE = "duplicate"


OPEN_STATES = (CandidateState.NEW, CandidateState.SCREENING, CandidateState.WATCHING)


class DiscoveryEvent(VersionedMixin, SoftDeleteMixin, Model):
    __tablename__ = "discovery_events"
    __table_args__ = (Index("ix_discovery_events_held_on", "held_on", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EventKind] = mapped_column(string_enum(EventKind))
    name: Mapped[str] = mapped_column(String(200))
    organiser: Mapped[str | None] = mapped_column(String(200))
    round: Mapped[str | None] = mapped_column(String(40))  # 初赛, 复赛, 决赛 ...
    held_on: Mapped[date]
    place: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    participants: Mapped[list["EventParticipant"]] = relationship(
        back_populates="event", order_by="EventParticipant.rank, EventParticipant.id"
    )


class EventParticipant(Model):
    """A firm or a candidate that took part in an event; a candidate's rows move to its firm
    when it is admitted, so the firm's page shows every event it took part in."""

    __tablename__ = "event_participants"
    __table_args__ = (
        CheckConstraint(
            "(enterprise_id IS NULL) <> (candidate_id IS NULL)", name="firm_or_candidate"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("discovery_events.id"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    candidate_id: Mapped[int | None] = mapped_column(
        ForeignKey("discovery_candidates.id"), index=True
    )
    award: Mapped[str | None] = mapped_column(String(100))
    rank: Mapped[int | None]

    event: Mapped[DiscoveryEvent] = relationship(back_populates="participants")
    enterprise: Mapped[Enterprise | None] = relationship()
    candidate: Mapped["DiscoveryCandidate | None"] = relationship()


class DiscoveryCandidate(VersionedMixin, SoftDeleteMixin, Model):
    __tablename__ = "discovery_candidates"
    # The list pages newest intake first along this index.
    __table_args__ = (Index("ix_discovery_candidates_received", "received_on", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # The name without spaces, brackets' width, 上海 and company-form suffixes: duplicates.
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    uscc: Mapped[str | None] = mapped_column(String(18), index=True)
    profile: Mapped[str | None] = mapped_column(Text)
    track_id: Mapped[int] = mapped_column(ForeignKey("industry_tracks.id"), index=True)
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id"))
    # Whose managers screen it; None until a leader assigns it.
    sub_district_id: Mapped[int | None] = mapped_column(ForeignKey("sub_districts.id"), index=True)
    source_kind: Mapped[SourceKind] = mapped_column(string_enum(SourceKind), index=True)
    source_name: Mapped[str | None] = mapped_column(String(200))  # fund, department, big firm
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("discovery_events.id"), index=True)
    award: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[CandidateState] = mapped_column(
        string_enum(CandidateState), default=CandidateState.NEW, index=True
    )
    received_on: Mapped[date]
    screened_on: Mapped[date | None]  # the screening visit
    screening_notes: Mapped[str | None] = mapped_column(Text)
    score: Mapped[int | None]  # 1-5, the manager's judgement before admission
    score_rationale: Mapped[str | None] = mapped_column(String(500))
    screened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_on: Mapped[date | None]
    decision_reason: Mapped[str | None] = mapped_column(Text)
    watch_until: Mapped[date | None]
    admitted_enterprise_id: Mapped[int | None] = mapped_column(
        ForeignKey("enterprises.id"), index=True
    )
    admitted_tier: Mapped[Tier | None] = mapped_column(string_enum(Tier))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    track: Mapped[IndustryTrack] = relationship()
    zone: Mapped[Zone | None] = relationship()
    sub_district: Mapped[SubDistrict | None] = relationship()
    department: Mapped[Department | None] = relationship()
    event: Mapped[DiscoveryEvent | None] = relationship()
    screened_by: Mapped[User | None] = relationship(foreign_keys=[screened_by_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    admitted_enterprise: Mapped[Enterprise | None] = relationship()

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

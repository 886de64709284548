"""A firm in the potential-enterprise reservoir, with its designations."""

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Model, SoftDeleteMixin, VersionedMixin, string_enum
from models.contact import Contact
from models.funding import FundingEvent
from models.reference import IndustryTrack, SubDistrict, Zone
from models.user import User
from models.yearly_figures import YearlyFigures


class Tier(enum.StrEnum):
    """Cultivation tiers of the action plan, from the broad reservoir to an achieved milestone."""

    RESERVOIR = "reservoir"
    TECH_BASED = "tech_based"
    NEW_TRACK = "new_track"
    CANDIDATE = "candidate"  # unicorn or hidden-champion candidate
    ACHIEVED = "achieved"


class Designation(enum.StrEnum):
    HIGH_TECH = "high_tech"
    TECH_SME = "tech_sme"
    SRDI_SME = "srdi_sme"
    LITTLE_GIANT = "little_giant"
    GAZELLE = "gazelle"
    UNICORN = "unicorn"
    HIDDEN_CHAMPION = "hidden_champion"
    SINGLE_ITEM_CHAMPION = "single_item_champion"
    CHAIN_LEADER = "chain_leader"
    LISTED = "listed"
    INCUBATED = "incubated"  # in or graduated from a recognised incubator


class EnterpriseStatus(enum.StrEnum):
    ACTIVE = "active"
    MOVED_OUT = "moved_out"
    CLOSED = "closed"


class Enterprise(VersionedMixin, SoftDeleteMixin, Model):
    __tablename__ = "enterprises"
    __table_args__ = (Index("ix_enterprises_tier_name", "tier", "name", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    sub_district_id: Mapped[int] = mapped_column(ForeignKey("sub_districts.id"), index=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"), index=True)
    track_id: Mapped[int] = mapped_column(ForeignKey("industry_tracks.id"), index=True)
    address: Mapped[str | None] = mapped_column(String(300))
    # Indexed, like name and tier: the reservoir list sorts by these and pages on them.
    founded_on: Mapped[date | None] = mapped_column(index=True)
    # In 10,000 yuan.
    registered_capital: Mapped[Decimal | None] = mapped_column(Numeric(16, 2), index=True)
    # Indexed with the name (ix_enterprises_tier_name): a tier's firms are listed by name.
    tier: Mapped[Tier] = mapped_column(string_enum(Tier), default=Tier.RESERVOIR)
    in_hundred_enterprises_plan: Mapped[bool] = mapped_column(default=False)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # Key-enterprise contact mechanism: the district leader who keeps in touch with this firm.
    contact_leader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # Set by an on-site visit that raised a red flag; cleared by a later one that raised none.
    risk_flagged_on: Mapped[date | None] = mapped_column(index=True)  # a few firms: risks page
    status: Mapped[EnterpriseStatus] = mapped_column(
        string_enum(EnterpriseStatus), default=EnterpriseStatus.ACTIVE
    )
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime] = mapped_column(index=True)

    sub_district: Mapped[SubDistrict] = relationship()
    zone: Mapped[Zone] = relationship()
    track: Mapped[IndustryTrack] = relationship()
    manager: Mapped[User | None] = relationship(foreign_keys=[manager_id])
    contact_leader: Mapped[User | None] = relationship(foreign_keys=[contact_leader_id])
    designation_rows: Mapped[list["EnterpriseDesignation"]] = relationship(
        cascade="all, delete-orphan", order_by="EnterpriseDesignation.designation"
    )
    yearly_figures: Mapped[list[YearlyFigures]] = relationship(
        back_populates="enterprise", cascade="all, delete-orphan", order_by=YearlyFigures.year
    )
    funding_events: Mapped[list[FundingEvent]] = relationship(
        cascade="all, delete-orphan", order_by=FundingEvent.closed_on
    )
    contacts: Mapped[list[Contact]] = relationship(
        back_populates="enterprise", cascade="all, delete-orphan", order_by=Contact.id
    )

    @property
    def designations(self) -> list[Designation]:
        return [row.designation for row in self.designation_rows]

    @property
    def latest_figures(self) -> YearlyFigures | None:
        return self.yearly_figures[-1] if self.yearly_figures else None


class EnterpriseDesignation(Model):
    """One designation held by a firm (a row per designation keeps them filterable in SQL)."""

    __tablename__ = "enterprise_designations"
    # The reservoir filter reads the holders of one designation: the primary key starts the
    # other way round.
    __table_args__ = (
        Index("ix_enterprise_designations_designation", "designation", "enterprise_id"),
    )

    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), primary_key=True)
    designation: Mapped[Designation] = mapped_column(string_enum(Designation), primary_key=True)
    # When the designation was awarded: scoring must know what a firm held at each past date.
    awarded_on: Mapped[date | None]

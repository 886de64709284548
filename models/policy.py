"""'One enterprise, one policy': the catalogue of instruments and the packages granted to firms."""

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Model, SoftDeleteMixin, VersionedMixin, string_enum
from models.enterprise import Enterprise
from models.reference import Department
from models.user import User

AMOUNT = Numeric(16, 2)


class InstrumentUnit(enum.StrEnum):
    YUAN = "yuan"
    COUNT = "count"  # places, slots, recommendations


class PolicyInstrument(Model):
    __tablename__ = "policy_instruments"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    unit: Mapped[InstrumentUnit] = mapped_column(string_enum(InstrumentUnit))
    # The most one firm may receive of this instrument over all its packages; None: no ceiling.
    ceiling: Mapped[Decimal | None] = mapped_column(AMOUNT)
    is_active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)

    department: Mapped[Department] = relationship()

    def name_for(self, locale: str) -> str:
        return self.name_zh if locale.startswith("zh") else self.name_en


class PackageState(enum.StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"


class PolicyPackage(VersionedMixin, SoftDeleteMixin, Model):
    __tablename__ = "policy_packages"
    # The package list pages newest first along this index.
    __table_args__ = (Index("ix_policy_packages_proposed_at", "proposed_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    rationale: Mapped[str | None] = mapped_column(Text)
    state: Mapped[PackageState] = mapped_column(
        string_enum(PackageState), default=PackageState.PROPOSED, index=True
    )
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_comment: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime]

    enterprise: Mapped[Enterprise] = relationship()
    proposed_by: Mapped[User] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    items: Mapped[list["PackageItem"]] = relationship(
        back_populates="package", cascade="all, delete-orphan", order_by="PackageItem.id"
    )


class ItemState(enum.StrEnum):
    PLANNED = "planned"  # awaiting the leader's approval of the package
    GRANTED = "granted"
    DISBURSED = "disbursed"
    REVIEWED = "reviewed"


class PackageItem(Model):
    __tablename__ = "package_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(ForeignKey("policy_packages.id"), index=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("policy_instruments.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(AMOUNT)  # yuan or a count, by the instrument's unit
    conditions: Mapped[str | None] = mapped_column(Text)
    state: Mapped[ItemState] = mapped_column(string_enum(ItemState), default=ItemState.PLANNED)
    disburse_by: Mapped[date | None]  # milestone: when the support should reach the firm
    review_on: Mapped[date | None]  # milestone: when to check whether the goal was met
    granted_on: Mapped[date | None]
    disbursed_amount: Mapped[Decimal | None] = mapped_column(AMOUNT)
    disbursed_on: Mapped[date | None]
    reviewed_on: Mapped[date | None]
    goal_met: Mapped[bool | None]
    review_note: Mapped[str | None] = mapped_column(Text)

    package: Mapped[PolicyPackage] = relationship(back_populates="items")
    instrument: Mapped[PolicyInstrument] = relationship()

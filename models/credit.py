"""Bank credit white lists: partner banks, their products, nomination batches, decisions, loans."""

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Model, SoftDeleteMixin, VersionedMixin, partial_index, string_enum
from models.enterprise import Enterprise
from models.enterprise_request import EnterpriseRequest
from models.reference import IndustryTrack, Zone
from models.user import User

QUOTA = Numeric(16, 2)  # in 10,000 yuan (万元), as banks and district statistics state quotas
RATE = Numeric(5, 2)  # annual %, e.g. 3.45


class PartnerBank(VersionedMixin, Model):
    """A bank that sets a white list: a record, never a user of the CRM."""

    __tablename__ = "partner_banks"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120))
    is_active: Mapped[bool] = mapped_column(default=True)
    # The bank's nomination format: [[field key, header], ...] in the bank's column order; the
    # keys come from crm.credit.fields.FIELDS.
    nomination_columns: Mapped[list[Any]] = mapped_column(JSON, default=list)

    products: Mapped[list["CreditProduct"]] = relationship(
        back_populates="bank", order_by="CreditProduct.id"
    )

    def name_for(self, locale: str) -> str:
        return self.name_zh if locale.startswith("zh") else self.name_en


class CreditProduct(VersionedMixin, Model):
    __tablename__ = "credit_products"

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("partner_banks.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    max_quota: Mapped[Decimal] = mapped_column(QUOTA)  # 10,000 yuan, per firm
    rate_min: Mapped[Decimal] = mapped_column(RATE)
    rate_max: Mapped[Decimal] = mapped_column(RATE)
    term_months: Mapped[int]
    is_active: Mapped[bool] = mapped_column(default=True)
    # Eligibility: None is any zone or track.
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id"))
    track_id: Mapped[int | None] = mapped_column(ForeignKey("industry_tracks.id"))

    bank: Mapped[PartnerBank] = relationship(back_populates="products")
    zone: Mapped[Zone | None] = relationship()
    track: Mapped[IndustryTrack | None] = relationship()


class BatchState(enum.StrEnum):
    DRAFT = "draft"  # the office is still adding firms
    SUBMITTED = "submitted"  # sent to the bank: frozen except the bank's decisions
    DECIDED = "decided"  # the bank decided on every firm


class NominationBatch(VersionedMixin, SoftDeleteMixin, Model):
    __tablename__ = "nomination_batches"
    # The batch list pages newest first along this index.
    __table_args__ = (Index("ix_nomination_batches_created_at", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("partner_banks.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("credit_products.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    state: Mapped[BatchState] = mapped_column(
        string_enum(BatchState), default=BatchState.DRAFT, index=True
    )
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime]
    submitted_on: Mapped[date | None]
    decided_on: Mapped[date | None]
    updated_at: Mapped[datetime]

    bank: Mapped[PartnerBank] = relationship()
    product: Mapped[CreditProduct] = relationship()
    created_by: Mapped[User] = relationship()


class NominationDecision(enum.StrEnum):
    PENDING = "pending"
    LISTED = "listed"
    REFUSED = "refused"


class Nomination(VersionedMixin, SoftDeleteMixin, Model):
    """One firm put forward in a batch; withdrawing it is its soft delete."""

    __tablename__ = "nominations"
    __table_args__ = (
        # A firm is nominated once per batch (a withdrawn nomination is not it).
        partial_index(
            "uq_nominations_batch_id_enterprise_id", "batch_id", "enterprise_id", unique=True
        ),
        # The renewal reminder reads listed nominations by renewal day.
        Index("ix_nominations_decision_renewal_on", "decision", "renewal_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("nomination_batches.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    quota_asked: Mapped[Decimal] = mapped_column(QUOTA)
    # The firm's figures as sent: {field key: value} of crm.credit.fields, fixed at nomination.
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise_requests.id"), index=True)
    decision: Mapped[NominationDecision] = mapped_column(
        string_enum(NominationDecision), default=NominationDecision.PENDING
    )
    quota_granted: Mapped[Decimal | None] = mapped_column(QUOTA)
    rate: Mapped[Decimal | None] = mapped_column(RATE)
    term_months: Mapped[int | None]
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[date | None]
    renewal_on: Mapped[date | None]
    renewed_count: Mapped[int] = mapped_column(default=0)
    nominated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    nominated_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    batch: Mapped[NominationBatch] = relationship()
    enterprise: Mapped[Enterprise] = relationship()
    request: Mapped[EnterpriseRequest | None] = relationship()
    nominated_by: Mapped[User] = relationship()
    drawdowns: Mapped[list["CreditDrawdown"]] = relationship(
        back_populates="nomination", order_by="CreditDrawdown.drawn_on"
    )


class CreditDrawdown(Model):
    """A loan drawn against a listed firm's quota."""

    __tablename__ = "credit_drawdowns"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"), index=True)
    drawn_on: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(QUOTA)  # 10,000 yuan
    repaid_on: Mapped[date | None]
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime]

    nomination: Mapped[Nomination] = relationship(back_populates="drawdowns")
    recorded_by: Mapped[User] = relationship()

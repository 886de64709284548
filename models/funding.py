"""A funding round a firm closed: the dated facts the potential score learns from."""

from datetime import date
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Model


class FundingEvent(Model):
    __tablename__ = "funding_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    closed_on: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(Numeric(16, 2))  # 10,000 yuan
    stage: Mapped[str] = mapped_column(String(30))  # angel, a, b, c, d, pre_ipo, strategic
    investors: Mapped[str | None] = mapped_column(String(300))

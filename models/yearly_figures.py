"""A firm's figures for one calendar year (money in 10,000 yuan, as district statistics report)."""

from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Numeric, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Model

if TYPE_CHECKING:
    from models.enterprise import Enterprise

MONEY = Numeric(16, 2)


class YearlyFigures(Model):
    __tablename__ = "yearly_figures"
    __table_args__ = (UniqueConstraint("enterprise_id", "year", name="enterprise_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    year: Mapped[int]
    revenue: Mapped[Decimal | None] = mapped_column(MONEY)
    revenue_growth_pct: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    employees: Mapped[int | None]
    rd_spend: Mapped[Decimal | None] = mapped_column(MONEY)
    patents: Mapped[int | None]
    pct_applications: Mapped[int | None]
    funding_raised: Mapped[Decimal | None] = mapped_column(MONEY)
    valuation: Mapped[Decimal | None] = mapped_column(MONEY)
    tax_paid: Mapped[Decimal | None] = mapped_column(MONEY)
    blockchain_scenarios: Mapped[int | None]  # blockchain application scenarios launched

    enterprise: Mapped["Enterprise"] = relationship(back_populates="yearly_figures")

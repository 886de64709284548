"""A target of the action plan, and the query over the data that measures it."""

import enum
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Model, SoftDeleteMixin, VersionedMixin, string_enum
from models.reference import Department


class TargetMeasure(enum.StrEnum):
    FIRMS = "firms"  # operating firms at a tier or above, or holding one of some designations
    FIGURE_SUM = "figure_sum"  # a yearly figure summed over the operating firms


class Target(VersionedMixin, SoftDeleteMixin, Model):
    __tablename__ = "targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    title_zh: Mapped[str] = mapped_column(String(120))
    title_en: Mapped[str] = mapped_column(String(160))
    goal: Mapped[int]
    deadline: Mapped[date]
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    measure: Mapped[TargetMeasure] = mapped_column(string_enum(TargetMeasure))
    # FIRMS: the tier counted with every tier above it, and/or designations (any of them).
    tier_at_least: Mapped[str | None] = mapped_column(String(30))
    designations: Mapped[list[str]] = mapped_column(JSON, default=list)
    # FIGURE_SUM: the YearlyFigures column summed; per year (the latest complete year) or
    # cumulated over the years since `since_year`.
    figure: Mapped[str | None] = mapped_column(String(40))
    is_per_year: Mapped[bool] = mapped_column(default=False)
    since_year: Mapped[int | None]
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    owner: Mapped[Department | None] = relationship()

    def title_for(self, locale: str) -> str:
        return self.title_zh if locale.startswith("zh") else self.title_en

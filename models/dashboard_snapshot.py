"""What the dashboard and data-quality pages show, computed ahead so a view only reads it."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Model


class DashboardSnapshot(Model):
    """One page's figures for one filter combination, language and day.

    Counting the whole reservoir takes seconds at district scale, too slow for every view: the
    scheduler refreshes these rows, and a view computes and stores a missing one.
    """

    __tablename__ = "dashboard_snapshots"
    __table_args__ = (UniqueConstraint("page", "filter_key", "locale", "as_of"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    page: Mapped[str] = mapped_column(String(20))  # "dashboard" or "quality"
    filter_key: Mapped[str] = mapped_column(String(200))  # the filters as a query string
    locale: Mapped[str] = mapped_column(String(10))  # "" when the payload holds no words
    as_of: Mapped[date]  # the day the figures are counted for
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    computed_at: Mapped[datetime]
    # What the data looked like when computed (highest row ids): the refresh skips a snapshot
    # whose stamp has not moved.
    data_stamp: Mapped[str] = mapped_column(String(200))

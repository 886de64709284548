"""The dashboard's filters: a period and the firms in view (zone, sub-district, track)."""

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement

from crm.reference import by_slug
from models import (
    DiscoveryCandidate,
    Enterprise,
    EnterpriseStatus,
    IndustryTrack,
    SubDistrict,
    Zone,
)

PLAN_START = date(2025, 1, 1)  # the action plan runs 2025-2026
LIVE_OPERATING = (Enterprise.deleted_at.is_(None), Enterprise.status == EnterpriseStatus.ACTIVE)


class Period(enum.StrEnum):
    QUARTER = "quarter"  # this quarter so far
    LAST_QUARTER = "last_quarter"
    YEAR = "year"  # this calendar year so far
    PLAN = "plan"  # since the action plan began


def counted_day(config: Mapping[str, Any], now: datetime) -> date:
    """The day the figures count to: CRM_DASHBOARD_DAY when set, else `now`'s."""
    return config["CRM_DASHBOARD_DAY"] or now.date()


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


@dataclass(frozen=True)
class DashboardFilter:
    today: date
    period: Period = Period.QUARTER
    zone: str = ""
    sub_district: str = ""
    track: str = ""

    @classmethod
    def from_args(cls, args: Any, today: date) -> tuple["DashboardFilter", set[str]]:
        """The filter and the names of the arguments it refused (unknown values are errors,
        not silently ignored, so a leader never reads district figures as a zone's)."""
        errors: set[str] = set()
        period = args.get("period", "") or Period.QUARTER.value
        if period not in {p.value for p in Period}:
            errors.add("period")
            period = Period.QUARTER.value
        values = {}
        for name, model in (
            ("zone", Zone),
            ("sub_district", SubDistrict),
            ("track", IndustryTrack),
        ):
            slug = args.get(name, "")
            if slug and by_slug(model, slug) is None:
                errors.add(name)
                slug = ""
            values[name] = slug
        return cls(today=today, period=Period(period), **values), errors

    @property
    def start(self) -> date:
        """First day of the period."""
        if self.period == Period.QUARTER:
            return quarter_start(self.today)
        if self.period == Period.LAST_QUARTER:
            return quarter_start(quarter_start(self.today) - timedelta(days=1))
        if self.period == Period.YEAR:
            return date(self.today.year, 1, 1)
        return PLAN_START

    @property
    def end(self) -> date:
        """Last day of the period (today for a period still running)."""
        if self.period == Period.LAST_QUARTER:
            return quarter_start(self.today) - timedelta(days=1)
        return self.today

    @property
    def firms_key(self) -> tuple[date, str, str, str]:
        """What the firms in view and today's counts depend on (not the period)."""
        return (self.today, self.zone, self.sub_district, self.track)

    @property
    def is_scoped(self) -> bool:
        return bool(self.zone or self.sub_district or self.track)

    def as_args(self, **changes: object) -> dict[str, object]:
        args: dict[str, object] = {
            "period": self.period.value,
            "zone": self.zone,
            "sub_district": self.sub_district,
            "track": self.track,
        }
        return {name: value for name, value in (args | changes).items() if value}

    def place_clauses(
        self, of: type[Enterprise] | type[DiscoveryCandidate] = Enterprise
    ) -> list[ColumnElement[bool]]:
        """Zone, sub-district and track of the firms in view (no liveness condition), or of the
        discovery candidates chosen (their own places: a candidate is no firm yet)."""
        clauses: list[ColumnElement[bool]] = []
        if self.zone:
            clauses.append(of.zone.has(Zone.slug == self.zone))
        if self.sub_district:
            clauses.append(of.sub_district.has(SubDistrict.slug == self.sub_district))
        if self.track:
            clauses.append(of.track.has(IndustryTrack.slug == self.track))
        return clauses

    def firm_clauses(self) -> list[ColumnElement[bool]]:
        """The firms in view: not deleted, operating, in the chosen zone, sub-district, track."""
        return [*LIVE_OPERATING, *self.place_clauses()]

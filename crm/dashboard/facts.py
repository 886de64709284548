"""What the target measures need to know about the firms in view, loaded once per page.

Counting at past dates (the trend by quarter) needs each firm's history: when it entered the
reservoir, its tier changes (from the audit log) and when each designation was awarded: a few
small columns per firm. Yearly figures are summed by SQL per year and place (FigureTotals).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Date, func, select

from crm.dashboard.filters import LIVE_OPERATING
from models import AuditEntry, Enterprise, EnterpriseDesignation, Tier, YearlyFigures, db

# Yearly figures a target may sum: counts, never money (money targets would need a unit).
SUMMABLE_FIGURES = ("pct_applications", "patents", "blockchain_scenarios", "employees")
# What crm/enterprises/services.update_enterprise records when a firm (its tier, say) is edited.
FIRM_EDITS = (AuditEntry.entity_type == "enterprise", AuditEntry.action == "update")


@dataclass
class FirmFacts:
    id: int
    zone_id: int
    sub_district_id: int
    entered_on: date
    tier: Tier  # today
    # (day, tier before the change) for each audited tier change, oldest first.
    tier_changes: list[tuple[date, Tier]] = field(default_factory=list)
    # designation -> award day; None when the day is unknown (counts from `entered_on`).
    designations: dict[str, date | None] = field(default_factory=dict)
    # figure -> year -> value; filled by tests only: pages sum figures in SQL (FigureTotals).
    figures: dict[str, dict[int, int]] = field(default_factory=dict)

    def tier_on(self, day: date) -> Tier:
        """The tier the firm had at the end of `day`: today's, undone change by change."""
        tier = self.tier
        for changed_on, before in reversed(self.tier_changes):
            if changed_on <= day:
                break
            tier = before
        return tier

    def holds_on(self, designation: str, day: date) -> bool:
        if designation not in self.designations:
            return False
        awarded = self.designations[designation] or self.entered_on
        return awarded <= day


def load_facts(place_clauses: list[ColumnElement[bool]]) -> list[FirmFacts]:
    """Facts of the live, operating firms in the given places."""
    live = [*LIVE_OPERATING, *place_clauses]
    firms = {
        row.id: FirmFacts(
            id=row.id,
            zone_id=row.zone_id,
            sub_district_id=row.sub_district_id,
            entered_on=row.entered_on,
            tier=row.tier,
        )
        for row in db.session.execute(
            select(
                Enterprise.id,
                Enterprise.zone_id,
                Enterprise.sub_district_id,
                # The day, computed by the database: parsing 100,000 timestamps in Python is slow.
                func.date(Enterprise.created_at, type_=Date).label("entered_on"),
                Enterprise.tier,
            ).where(*live)
        )
    }
    in_view = select(Enterprise.id).where(*live)
    for firm_id, designation, awarded_on in db.session.execute(
        select(
            EnterpriseDesignation.enterprise_id,
            EnterpriseDesignation.designation,
            EnterpriseDesignation.awarded_on,
        ).where(EnterpriseDesignation.enterprise_id.in_(in_view))
    ):
        firms[firm_id].designations[str(designation)] = awarded_on
    for firm_id, changes in _tier_changes(in_view).items():
        firms[firm_id].tier_changes = changes
    return list(firms.values())


@dataclass(frozen=True)
class FigureTotals:
    """Yearly figures summed: (figure, year) -> sum, and per zone and sub-district."""

    district: dict[tuple[str, int], int]
    places: dict[tuple[str, str, int, int], int]  # (figure, "zone" or "sub", place id, year)

    def sum(self, figure: str, years: Iterable[int]) -> int:
        return sum(self.district.get((figure, year), 0) for year in years)

    def by_place(self, figure: str, years: range, kind: str) -> dict[int, int]:
        found: dict[int, int] = defaultdict(int)
        for (name, place_kind, place_id, year), value in self.places.items():
            if name == figure and place_kind == kind and year in years and value:
                found[place_id] += value
        return {place_id: value for place_id, value in found.items() if value}

    @classmethod
    def of_rows(cls, rows: Iterable[tuple[int, int, int, dict[str, int]]]) -> "FigureTotals":
        """From (zone id, sub-district id, year, figure -> value) rows."""
        district: dict[tuple[str, int], int] = defaultdict(int)
        places: dict[tuple[str, str, int, int], int] = defaultdict(int)
        for zone_id, sub_district_id, year, values in rows:
            for name, value in values.items():
                district[name, year] += value
                places[name, "zone", zone_id, year] += value
                places[name, "sub", sub_district_id, year] += value
        return cls(dict(district), dict(places))

    @classmethod
    def of_firms(cls, firms: Iterable[FirmFacts]) -> "FigureTotals":
        return cls.of_rows(
            (firm.zone_id, firm.sub_district_id, year, {name: by_year[year]})
            for firm in firms
            for name, by_year in firm.figures.items()
            for year in by_year
        )


def figure_totals(place_clauses: list[ColumnElement[bool]], from_year: int) -> FigureTotals:
    """The summable figures of the live, operating firms in the given places, per year and place,
    from `from_year` on (earlier years count for no target)."""
    sums = [func.sum(getattr(YearlyFigures, name)) for name in SUMMABLE_FIGURES]
    rows = db.session.execute(
        select(Enterprise.zone_id, Enterprise.sub_district_id, YearlyFigures.year, *sums)
        .select_from(YearlyFigures)
        .join(Enterprise, Enterprise.id == YearlyFigures.enterprise_id)
        .where(YearlyFigures.year >= from_year, *LIVE_OPERATING, *place_clauses)
        .group_by(Enterprise.zone_id, Enterprise.sub_district_id, YearlyFigures.year)
    )
    return FigureTotals.of_rows(
        (
            zone_id,
            sub_district_id,
            year,
            {
                name: int(value)
                for name, value in zip(SUMMABLE_FIGURES, values, strict=True)
                if value is not None
            },
        )
        for zone_id, sub_district_id, year, *values in rows
    )


def _tier_changes(in_view: Any) -> dict[int, list[tuple[date, Tier]]]:
    """Tier changes recorded by edits of a firm. Imports are audited as one entry per file,
    so a tier changed by an import shows from the import on, as if it had always been."""
    changes: dict[int, list[tuple[date, Tier]]] = defaultdict(list)
    entries = db.session.execute(
        select(AuditEntry.entity_id, AuditEntry.at, AuditEntry.changes)
        .where(*FIRM_EDITS, AuditEntry.entity_id.in_(in_view))
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    for firm_id, at, changed in entries:
        tier = (changed or {}).get("tier")
        if tier and tier[0] in {t.value for t in Tier}:
            changes[firm_id].append((at.date(), Tier(tier[0])))
    return changes

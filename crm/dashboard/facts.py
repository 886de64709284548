"""What the target measures need to know about each firm in view, loaded once per page.

Counting at past dates (the trend by quarter) needs each firm's history: when it entered the
reservoir, its tier changes (from the audit log), when each designation was awarded, and its
yearly figures. A few thousand firms fit comfortably in memory, so the measures run in Python
over these facts instead of one SQL query per target per quarter.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, select

from models import (
    AuditEntry,
    Enterprise,
    EnterpriseDesignation,
    EnterpriseStatus,
    Tier,
    YearlyFigures,
    db,
)

# Yearly figures a target may sum: counts, never money (money targets would need a unit).
SUMMABLE_FIGURES = ("pct_applications", "patents", "blockchain_scenarios", "employees")


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
    figures: dict[str, dict[int, int]] = field(default_factory=dict)  # figure -> year -> value

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
    live = [
        Enterprise.deleted_at.is_(None),
        Enterprise.status == EnterpriseStatus.ACTIVE,
        *place_clauses,
    ]
    firms = {
        row.id: FirmFacts(
            id=row.id,
            zone_id=row.zone_id,
            sub_district_id=row.sub_district_id,
            entered_on=row.created_at.date(),
            tier=row.tier,
        )
        for row in db.session.execute(
            select(
                Enterprise.id,
                Enterprise.zone_id,
                Enterprise.sub_district_id,
                Enterprise.created_at,
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
    for firm_id, figures in _figures(in_view).items():
        firms[firm_id].figures = figures
    for firm_id, changes in _tier_changes(in_view).items():
        firms[firm_id].tier_changes = changes
    return list(firms.values())


def _figures(in_view: Any) -> dict[int, dict[str, dict[int, int]]]:
    columns = [getattr(YearlyFigures, name) for name in SUMMABLE_FIGURES]
    by_firm: dict[int, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for row in db.session.execute(
        select(YearlyFigures.enterprise_id, YearlyFigures.year, *columns).where(
            YearlyFigures.enterprise_id.in_(in_view)
        )
    ):
        for name, value in zip(SUMMABLE_FIGURES, row[2:], strict=True):
            if value is not None:
                by_firm[row.enterprise_id][name][row.year] = int(value)
    return by_firm


def _tier_changes(in_view: Any) -> dict[int, list[tuple[date, Tier]]]:
    """Tier changes recorded by edits of a firm. Imports are audited as one entry per file,
    so a tier changed by an import shows from the import on, as if it had always been."""
    changes: dict[int, list[tuple[date, Tier]]] = defaultdict(list)
    entries = db.session.execute(
        select(AuditEntry.entity_id, AuditEntry.at, AuditEntry.changes)
        .where(
            AuditEntry.entity_type == "enterprise",
            AuditEntry.action == "update",
            AuditEntry.entity_id.in_(in_view),
        )
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    for firm_id, at, changed in entries:
        tier = (changed or {}).get("tier")
        if tier and tier[0] in {t.value for t in Tier}:
            changes[firm_id].append((at.date(), Tier(tier[0])))
    return changes

"""Data quality's counts and capped lists, computed ahead and stored like the dashboard's."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from crm.dashboard.snapshots import QUALITY_PAGE, store_snapshot, stored_snapshot
from crm.quality import queries
from crm.quality.queries import Capped
from models import DashboardSnapshot, Enterprise


@dataclass(frozen=True)
class FirmLine:
    id: int
    name: str
    sub_district_id: int
    manager_name: str | None  # None: no manager at all


@dataclass(frozen=True)
class ManagerLine:
    username: str
    display_name: str
    sub_district_id: int | None
    firm_count: int


@dataclass(frozen=True)
class QualityFigures:
    year: int
    missing_figures: Capped[FirmLine]
    without_manager: Capped[FirmLine]
    overloaded: Capped[ManagerLine]
    computed_at: datetime


def _key(max_firms: int) -> str:
    return f"max_firms={max_firms}"


def _firms_json(capped: Capped[Enterprise]) -> dict[str, Any]:
    rows = [
        [
            firm.id,
            firm.name,
            firm.sub_district_id,
            firm.manager.display_name if firm.manager else None,
        ]
        for firm in capped.rows
    ]
    return {"total": capped.total, "rows": rows}


def _payload(today: date, max_firms: int) -> dict[str, Any]:
    year = queries.last_complete_year(today)
    overloaded = queries.overloaded_managers(max_firms)
    return {
        "year": year,
        "missing_figures": _firms_json(queries.firms_missing_figures(year)),
        "without_manager": _firms_json(queries.firms_without_manager()),
        "overloaded": {
            "total": overloaded.total,
            "rows": [
                [
                    load.manager.username,
                    load.manager.display_name,
                    load.manager.sub_district_id,
                    load.firm_count,
                ]
                for load in overloaded.rows
            ],
        },
    }


def quality_figures(today: date, now: datetime, max_firms: int) -> QualityFigures:
    """Today's stored figures, computed and stored first if missing (flushes)."""
    snapshot = stored_snapshot(QUALITY_PAGE, _key(max_firms), "", today) or store_snapshot(
        QUALITY_PAGE, _key(max_firms), "", today, now, lambda: _payload(today, max_firms)
    )
    return _decode(snapshot)


def refresh_quality(today: date, now: datetime, max_firms: int) -> int:
    """Recount today's figures; returns how many snapshots were computed."""
    store_snapshot(
        QUALITY_PAGE, _key(max_firms), "", today, now, lambda: _payload(today, max_firms)
    )
    return 1


def _decode(snapshot: DashboardSnapshot) -> QualityFigures:
    data = snapshot.payload

    def firms(part: dict[str, Any]) -> Capped[FirmLine]:
        return Capped(
            [FirmLine(i, name, sub, manager) for i, name, sub, manager in part["rows"]],
            part["total"],
        )

    overloaded = data["overloaded"]
    return QualityFigures(
        year=data["year"],
        missing_figures=firms(data["missing_figures"]),
        without_manager=firms(data["without_manager"]),
        overloaded=Capped(
            [
                ManagerLine(username, name, sub, count)
                for username, name, sub, count in overloaded["rows"]
            ],
            overloaded["total"],
        ),
        computed_at=snapshot.computed_at,
    )

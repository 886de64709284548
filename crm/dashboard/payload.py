"""The dashboard's figures as JSON for its snapshot, and back: every number comes back equal."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from crm.dashboard.report import Chart, FirmLink, Section, Series, Table


@dataclass(frozen=True)
class TargetCard:
    """A target's progress as the page, the API and the workbook show it."""

    key: str
    title: str
    definition: dict[str, Any]
    value: int
    goal: float
    district_goal: float
    deadline: date
    baseline: date
    projected: float
    on_pace: bool | None
    reached: float
    owner: str | None  # the owning department's slug
    trend: list[tuple[date, int]]


def _cell_json(cell: object) -> object:
    if isinstance(cell, FirmLink):
        return {"firm": cell.enterprise_id, "name": cell.name}
    return cell


def _cell(value: Any) -> Any:
    if isinstance(value, dict):
        return FirmLink(value["firm"], value["name"])
    return value


def section_json(section: Section) -> dict[str, Any]:
    return {
        "key": section.key,
        "title": section.title,
        "tables": [
            {
                "key": table.key,
                "title": table.title,
                "columns": table.columns,
                "rows": [[_cell_json(cell) for cell in row] for row in table.rows],
                "chart": table.chart.as_json() if table.chart else None,
                "note": table.note,
                "percent_columns": sorted(table.percent_columns),
                "year_columns": sorted(table.year_columns),
            }
            for table in section.tables
        ],
    }


def _chart(data: dict[str, Any] | None) -> Chart | None:
    if data is None:
        return None
    return Chart(
        kind=data["kind"],
        labels=data["labels"],
        series=[Series(s["label"], s["values"]) for s in data["series"]],
        stacked=data["stacked"],
        percent=data["percent"],
    )


def section_of(data: dict[str, Any]) -> Section:
    return Section(
        key=data["key"],
        title=data["title"],
        tables=[
            Table(
                key=table["key"],
                title=table["title"],
                columns=table["columns"],
                rows=[[_cell(cell) for cell in row] for row in table["rows"]],
                chart=_chart(table["chart"]),
                note=table["note"],
                percent_columns=frozenset(table["percent_columns"]),
                year_columns=frozenset(table.get("year_columns", ())),  # older snapshots: none
            )
            for table in data["tables"]
        ],
    )


def card_json(card: TargetCard) -> dict[str, Any]:
    return {
        **card.__dict__,
        "deadline": card.deadline.isoformat(),
        "baseline": card.baseline.isoformat(),
        "trend": [[day.isoformat(), value] for day, value in card.trend],
    }


def card_of(data: dict[str, Any]) -> TargetCard:
    return TargetCard(
        **{
            **data,
            "deadline": date.fromisoformat(data["deadline"]),
            "baseline": date.fromisoformat(data["baseline"]),
            "trend": [(date.fromisoformat(day), value) for day, value in data["trend"]],
        }
    )

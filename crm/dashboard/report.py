"""The dashboard as data: sections of tables, each maybe drawn as a chart, and as JSON.

The page, the printable report and the XLSX export all render these same objects, so the three
can never disagree on a number.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

Number = int | float


@dataclass(frozen=True)
class FirmLink:
    """A cell naming a firm: a link on the page, the plain name in the workbook."""

    enterprise_id: int
    name: str

    def __str__(self) -> str:
        return self.name


Cell = str | Number | FirmLink | None


@dataclass(frozen=True)
class Series:
    label: str
    values: list[Number | None]


@dataclass(frozen=True)
class Chart:
    kind: str  # "bar" or "line", as Chart.js names them
    labels: list[str]
    series: list[Series]
    stacked: bool = False
    percent: bool = False  # values are shares 0-1, drawn as percentages

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "labels": self.labels,
            "series": [{"label": s.label, "values": s.values} for s in self.series],
            "stacked": self.stacked,
            "percent": self.percent,
        }


def bar_chart(
    rows: Sequence[tuple[str, Any]],
    series: Sequence[tuple[str, Callable[[Any], Number | None]]],
    percent: bool = False,
) -> Chart:
    """A bar per named row, in one series per (label, value read off the row)."""
    return Chart(
        "bar",
        [name for name, _row in rows],
        [Series(label, [value(row) for _name, row in rows]) for label, value in series],
        percent=percent,
    )


@dataclass(frozen=True)
class Table:
    key: str  # unique on the page: anchors, element ids, test hooks
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    chart: Chart | None = None
    note: str = ""  # how the figures are counted, in a sentence
    percent_columns: frozenset[int] = field(default_factory=frozenset)  # shares 0-1 in these
    year_columns: frozenset[int] = field(default_factory=frozenset)  # 2025, never "2,025"


@dataclass(frozen=True)
class Section:
    key: str  # also the XLSX sheet: one sheet per section
    title: str
    tables: list[Table]


# The snapshot stores sections as JSON: every number comes back equal.
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

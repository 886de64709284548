"""Each target's figures against counts computed here, independently, from the demo data."""

import re
from datetime import date
from html.parser import HTMLParser
from io import BytesIO

import pytest
from babel.numbers import format_decimal
from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import func, select

from models import (
    Enterprise,
    EnterpriseDesignation,
    EnterpriseStatus,
    SubDistrict,
    Tier,
    YearlyFigures,
    Zone,
    db,
)
from tests.factories import UserFactory
from tests.helpers import DEMO_TODAY as TODAY
from tests.helpers import api_headers, logged_in_client

LAST_YEAR = TODAY.year - 1


def operating(*clauses: object) -> list[object]:
    return [Enterprise.deleted_at.is_(None), Enterprise.status == EnterpriseStatus.ACTIVE, *clauses]


def count_holding(designations: tuple[str, ...], *clauses: object, on: date = TODAY) -> int:
    query = (
        select(func.count(func.distinct(Enterprise.id)))
        .join(EnterpriseDesignation, EnterpriseDesignation.enterprise_id == Enterprise.id)
        .where(
            *operating(*clauses),
            EnterpriseDesignation.designation.in_(designations),
            EnterpriseDesignation.awarded_on <= on,
            Enterprise.created_at < date.fromordinal(on.toordinal() + 1),
        )
    )
    return db.session.scalar(query) or 0


def count_tiers(tiers: tuple[Tier, ...], *clauses: object) -> int:
    query = select(func.count(Enterprise.id)).where(
        *operating(*clauses), Enterprise.tier.in_(tiers)
    )
    return db.session.scalar(query) or 0


def figure_sum(column: object, years: range, *clauses: object) -> int:
    query = (
        select(func.coalesce(func.sum(column), 0))
        .join(Enterprise, Enterprise.id == YearlyFigures.enterprise_id)
        .where(*operating(*clauses), YearlyFigures.year.in_(list(years)))
    )
    return int(db.session.scalar(query) or 0)


def expected_values(*clauses: object) -> dict[str, int]:
    """The seeded targets, each counted the plain way."""
    return {
        "unicorns_champions": count_holding(
            ("unicorn", "hidden_champion", "single_item_champion"), *clauses
        ),
        "new_track": count_tiers((Tier.NEW_TRACK, Tier.CANDIDATE, Tier.ACHIEVED), *clauses),
        "tech_based": count_tiers(
            (Tier.TECH_BASED, Tier.NEW_TRACK, Tier.CANDIDATE, Tier.ACHIEVED), *clauses
        ),
        "incubated": count_holding(("incubated",), *clauses),
        "listed": count_holding(("listed",), *clauses),
        "pct_applications": figure_sum(
            YearlyFigures.pct_applications, range(LAST_YEAR, LAST_YEAR + 1), *clauses
        ),
        "blockchain_scenarios": figure_sum(
            YearlyFigures.blockchain_scenarios, range(2025, LAST_YEAR + 1), *clauses
        ),
    }


@pytest.fixture
def leader_headers(demo_app: Flask) -> dict[str, str]:
    return api_headers(demo_app.test_client(), UserFactory(role="leader"))


def targets_api(app: Flask, headers: dict[str, str], **args: str) -> dict[str, dict]:
    response = app.test_client().get("/api/v1/targets", query_string=args, headers=headers)
    assert response.status_code == 200, response.text
    return {item["key"]: item for item in response.json["items"]}


def test_every_target_equals_a_count_made_independently(demo_app, leader_headers):
    items = targets_api(demo_app, leader_headers)
    expected = expected_values()
    assert {key: item["value"] for key, item in items.items()} == expected
    # The demo must exercise every kind of measure, or the equality above proves little.
    assert expected["tech_based"] > expected["new_track"] > 0
    assert expected["listed"] > 0
    assert expected["pct_applications"] > 0


def test_a_zone_and_a_sub_district_count_only_their_firms(demo_app, leader_headers):
    zone = db.session.scalars(select(Zone).order_by(Zone.position)).first()
    sub_district = db.session.scalars(select(SubDistrict).order_by(SubDistrict.position)).first()
    in_zone = targets_api(demo_app, leader_headers, zone=zone.slug)
    in_sub = targets_api(demo_app, leader_headers, sub_district=sub_district.slug)
    assert {k: v["value"] for k, v in in_zone.items()} == expected_values(
        Enterprise.zone_id == zone.id
    )
    assert {k: v["value"] for k, v in in_sub.items()} == expected_values(
        Enterprise.sub_district_id == sub_district.id
    )
    # The zone's goal is the district goal in proportion to its firms.
    firms = db.session.scalar(select(func.count(Enterprise.id)).where(*operating()))
    zone_firms = db.session.scalar(
        select(func.count(Enterprise.id)).where(*operating(Enterprise.zone_id == zone.id))
    )
    assert in_zone["tech_based"]["target"] == pytest.approx(1000 * zone_firms / firms, abs=0.01)
    assert in_zone["tech_based"]["district_target"] == 1000


def test_the_trend_counts_what_was_held_at_each_quarter_end(demo_app, leader_headers):
    listed = targets_api(demo_app, leader_headers)["listed"]
    trend = {point["on"]: point["value"] for point in listed["trend"]}
    assert list(trend)[:4] == ["2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31"]
    assert list(trend)[-1] == TODAY.isoformat()
    for day in ("2025-06-30", "2026-03-31"):
        assert trend[day] == count_holding(("listed",), on=date.fromisoformat(day))
    assert trend[TODAY.isoformat()] == listed["value"]


def test_the_definition_says_what_is_counted(demo_app, leader_headers):
    items = targets_api(demo_app, leader_headers)
    assert items["new_track"]["definition"]["tier_at_least"] == "new_track"
    assert "High-quality new-track" in items["new_track"]["definition"]["text"]
    assert items["pct_applications"]["definition"] | {"text": ""} == {
        "text": "",
        "measure": "figure_sum",
        "tier_at_least": None,
        "designations": [],
        "figure": "pct_applications",
        "per_year": True,
        "since_year": None,
    }
    assert items["listed"]["deadline"] == "2026-12-31"
    assert items["listed"]["owner"] == "finance"


def test_the_api_names_an_unknown_place_and_hides_from_others(demo_app, leader_headers):
    client = demo_app.test_client()
    response = client.get("/api/v1/targets?zone=atlantis", headers=leader_headers)
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["zone"]
    assert client.get("/api/v1/targets").status_code == 401
    manager = UserFactory(role="manager")
    hidden = client.get("/api/v1/targets", headers=api_headers(client, manager))
    assert hidden.status_code == 404


def test_the_page_shows_the_api_figures_to_leaders_only(demo_app, leader_headers):
    items = targets_api(demo_app, leader_headers)
    page = logged_in_client(demo_app, UserFactory(role="leader")).get("/dashboard/")
    assert page.status_code == 200
    html = page.text
    for key, item in items.items():
        card = html.split(f'data-testid="target-{key}"')[1].split('data-testid="pace"')[0]
        assert f'data-testid="value">{item["value"]:,}<' in card
    assert html.count('data-chart="chart-') >= 2
    assert "vendor/chartjs/chart.umd.min.js" in html
    other = logged_in_client(demo_app, UserFactory(role="manager"))
    assert other.get("/dashboard/").status_code == 404
    assert other.get("/dashboard/export.xlsx").status_code == 404


def test_a_wrong_filter_is_named_on_the_page(demo_app):
    client = logged_in_client(demo_app, UserFactory(role="leader"))
    page = client.get("/dashboard/?zone=atlantis&period=decade")
    assert page.status_code == 200
    assert "No such zone." in page.text
    assert "Not a period: quarter, last_quarter, year or plan." in page.text


def test_the_export_holds_the_same_numbers_as_the_api(demo_app, leader_headers):
    items = targets_api(demo_app, leader_headers)
    client = logged_in_client(demo_app, UserFactory(role="leader"))
    response = client.get("/dashboard/export.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    workbook = load_workbook(BytesIO(response.data))
    sheet = workbook["Targets"]
    assert sheet["A1"].value == f"Cultivate dashboard, {TODAY.isoformat()}"
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows.index(
        [
            "Target",
            "Now",
            "Goal",
            "Reached",
            "Projected at the deadline",
            "Deadline",
            "On pace",
            "Owner",
            "Definition",
        ]
    )
    by_title = {row[0]: row for row in rows[header + 1 : header + 1 + len(items)]}
    for item in items.values():
        row = by_title[item["title"]]
        assert row[1] == item["value"]
        assert row[2] == item["target"]
        assert row[6] == ("Yes" if item["on_pace"] else "No")


def test_the_printable_report_is_titled_and_dated(demo_app, leader_headers):
    items = targets_api(demo_app, leader_headers)
    client = logged_in_client(demo_app, UserFactory(role="leader"))
    page = client.get("/dashboard/print?period=year")
    assert page.status_code == 200
    assert "enterprise cultivation report" in page.text
    assert "As of Nov 16, 2026" in page.text
    assert "This year" in page.text
    assert "<canvas" not in page.text  # paper gets the numbers, not pictures
    assert f'<td class="text-end">{items["tech_based"]["value"]:,}</td>' in page.text


def test_the_command_line_writes_the_same_workbook(demo_app, leader_headers, tmp_path):
    items = targets_api(demo_app, leader_headers)
    path = tmp_path / "report.xlsx"
    result = demo_app.test_cli_runner().invoke(
        args=["crm", "export-dashboard", str(path), "--locale", "en"]
    )
    assert result.exit_code == 0, result.output
    workbook = load_workbook(path)
    assert workbook.sheetnames == [
        "Targets",
        "Visit coverage",
        "Requests",
        "Policy support",
        "Pipeline",
        "Listing pipeline",
        "Active discovery",
        "Bank credit white lists",
    ]
    values: dict[object, object] = {}
    for row in workbook["Targets"].iter_rows():  # the first table: progress, "Now" second
        values.setdefault(row[0].value, row[1].value)
    for item in items.values():
        assert values[item["title"]] == item["value"]
    wrong = demo_app.test_cli_runner().invoke(
        args=["crm", "export-dashboard", str(path), "--zone", "x"]
    )
    assert wrong.exit_code != 0
    assert "zone" in wrong.output


class _TableReader(HTMLParser):
    """Header and cell texts of each `data-testid="table-<key>"` table on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}  # the header row first
        self._key: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        testid = dict(attrs).get("data-testid") or ""
        if tag == "table" and testid.startswith("table-"):
            self._key = testid.removeprefix("table-")
            self.tables[self._key] = []
        elif self._key and tag == "tr":
            self.tables[self._key].append([])
        elif self._key and tag in {"td", "th"}:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._key = None
        elif tag in {"td", "th"} and self._key and self._cell is not None:
            self.tables[self._key][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


YEAR_TEXT = re.compile(r"(19|20)\d\d")


def _as_page_text(value: object, percent: bool, year: bool = False) -> str:
    if value is None:
        return "—"
    if year:  # a year column prints 2025, never 2,025
        return str(value)
    if percent:
        return f"{value * 100:,.1f}%"
    if isinstance(value, float) and value != round(value):
        # As the page rounds (Babel, on the decimal digits): 1770.55 shows as 1,770.6, where
        # Python's binary float formatting gives 1,770.5.
        return format_decimal(value, format="#,##0.0", locale="en")
    if isinstance(value, int | float):
        return f"{value:,.0f}"
    return str(value)


def test_every_sheet_holds_the_numbers_of_the_page(demo_app):
    client = logged_in_client(demo_app, UserFactory(role="leader"))
    reader = _TableReader()
    reader.feed(client.get("/dashboard/?period=plan").text)
    workbook = load_workbook(BytesIO(client.get("/dashboard/export.xlsx?period=plan").data))
    sheets = [[[cell.value for cell in row] for row in sheet.iter_rows()] for sheet in workbook]
    compared = 0
    for key, (header, *page_rows) in reader.tables.items():
        if len(page_rows) == 1 and len(page_rows[0]) == 1:
            continue  # "nothing to count yet"
        found = [
            rows[n + 1 : n + 1 + len(page_rows)]
            for rows in sheets
            for n in range(len(rows) - 1)
            if rows[n][: len(header)] == header and rows[n + 1][0] == page_rows[0][0]
        ]
        assert found, key
        sheet_rows = found[0]
        for page_row, sheet_row in zip(page_rows, sheet_rows, strict=True):
            percents = {i for i, text in enumerate(page_row) if text.endswith("%")}
            years = {i for i, text in enumerate(page_row) if YEAR_TEXT.fullmatch(text)}
            texts = [_as_page_text(v, i in percents, i in years) for i, v in enumerate(sheet_row)]
            assert texts[: len(page_row)] == page_row, key
        compared += 1
    assert compared >= 10  # targets, breakdowns and the coverage tables

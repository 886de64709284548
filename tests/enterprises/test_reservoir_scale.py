"""The reservoir at scale: cursor pages, capped counts, search, API cursors, streamed exports."""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from crm.enterprises import keyset
from crm.enterprises.exporting import export_reservoir
from crm.enterprises.queries import ReservoirFilter, reservoir_query
from models import (
    Designation,
    Enterprise,
    EnterpriseStatus,
    Tier,
    db,
)
from tests.factories import (
    ContactFactory,
    EnterpriseDesignationFactory,
    EnterpriseFactory,
    UserFactory,
    YearlyFiguresFactory,
    valid_uscc,
)
from tests.helpers import api_headers, counted_queries, log_in

# Written by the export before it was streamed (every firm's ORM objects loaded, the file built
# in memory) for the firms of golden_firms(): the streamed export must not change a byte.
GOLDEN = Path(__file__).parent / "golden"


def golden_firms() -> None:
    """A few firms covering every kind of cell: labels, joined designations, escapes, gaps."""
    manager = UserFactory(username="mgr.golden", role="manager", sub_district_slug="daninglu")
    first = EnterpriseFactory(
        name="上海金样甲科技有限公司",
        uscc=valid_uscc(510001),
        manager=manager,
        tier=Tier.CANDIDATE,
        in_hundred_enterprises_plan=True,
        address="=HYPERLINK()",
        notes="-note",
        registered_capital=Decimal("1234.50"),
    )
    for designation in (Designation.GAZELLE, Designation.HIGH_TECH):
        EnterpriseDesignationFactory(enterprise=first, designation=designation)
    YearlyFiguresFactory(enterprise=first, year=2024, revenue=Decimal("100.00"))
    YearlyFiguresFactory(
        enterprise=first,
        year=2025,
        revenue=Decimal("150.50"),
        revenue_growth_pct=Decimal("50.50"),
        patents=3,
        tax_paid=Decimal("7.25"),
    )
    ContactFactory(enterprise=first)
    EnterpriseFactory(
        name="Golden Beta Ltd",
        uscc=valid_uscc(510002),
        founded_on=None,
        registered_capital=None,
        status=EnterpriseStatus.MOVED_OUT,
        sub_district_slug="jingansi",
    )
    EnterpriseFactory(
        name="上海金样丙有限公司", uscc=valid_uscc(510003), founded_on=date(2001, 2, 3)
    )
    db.session.flush()


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_the_streamed_csv_export_writes_the_bytes_the_old_export_wrote(admin, locale):
    golden_firms()

    content = export_reservoir(admin, ReservoirFilter(), locale, "csv")

    assert content == (GOLDEN / f"old_export_{locale}.csv").read_bytes()


def test_the_export_download_is_streamed_with_its_file_name(app, client, admin):
    golden_firms()
    log_in(client, admin)

    response = client.get("/enterprises/export?format=csv")

    assert response.is_streamed
    assert response.headers["Content-Disposition"].startswith("attachment; filename=reservoir-")
    assert response.data.count(b"\r\n") == 4


def add_full_firms(count: int, start: int) -> None:
    """Firms with designations, two years of figures and two contacts each."""
    for n in range(start, start + count):
        firm = EnterpriseFactory(name=f"Firm {n:03d}", uscc=valid_uscc(600000 + n))
        EnterpriseDesignationFactory(enterprise=firm, designation=Designation.GAZELLE)
        for year in (2024, 2025):
            YearlyFiguresFactory(enterprise=firm, year=year)
        ContactFactory(enterprise=firm)
        ContactFactory(enterprise=firm, name="李娜")
    db.session.commit()


def queries_for(client: FlaskClient, url: str, **options: object) -> int:
    # Tests share one session: a first request reloads what the last commit expired.
    client.get(url, **options)
    with counted_queries() as statements:
        response = client.get(url, **options)
    assert response.status_code == 200, response.text
    return len(statements)


def test_a_list_page_issues_as_many_queries_for_3_firms_as_for_60(app, logged_in):
    add_full_firms(3, start=0)
    small = queries_for(logged_in, "/enterprises/?sort=name")

    add_full_firms(57, start=3)
    large = queries_for(logged_in, "/enterprises/?sort=name")
    next_link = re.search(r'href="([^"]+)" rel="next"', logged_in.get("/enterprises/").text)
    assert next_link is not None
    deeper = queries_for(logged_in, next_link.group(1).replace("&amp;", "&"))

    assert small == large == deeper


def test_the_api_list_issues_as_many_queries_for_3_firms_as_for_60(app, client, admin):
    headers = api_headers(client, admin)
    add_full_firms(3, start=0)
    small = queries_for(client, "/api/v1/enterprises", headers=headers)

    add_full_firms(57, start=3)
    large = queries_for(client, "/api/v1/enterprises", headers=headers)

    assert small == large


def test_the_api_follows_next_through_every_firm_once(client, admin):
    add_full_firms(7, start=0)
    headers = api_headers(client, admin)

    names: list[str] = []
    query: dict[str, object] = {"per_page": 3, "sort": "registered_capital"}
    while True:
        page = client.get("/api/v1/enterprises", query_string=query, headers=headers).json
        names += [item["name"] for item in page["items"]]
        if page["next"] is None:
            break
        query["after"] = page["next"]

    assert sorted(names) == [f"Firm {n:03d}" for n in range(7)]
    assert len(names) == 7


def test_a_cursor_of_another_sort_is_refused_by_the_api(client, admin):
    add_full_firms(3, start=0)
    headers = api_headers(client, admin)
    first = client.get("/api/v1/enterprises?per_page=1&sort=name", headers=headers).json

    response = client.get(
        "/api/v1/enterprises",
        query_string={"sort": "uscc", "after": first["next"]},
        headers=headers,
    )

    assert response.status_code == 422
    assert "after" in response.json["errors"]


def test_the_count_stops_one_past_its_limit(admin):
    for n in range(5):
        EnterpriseFactory(name=f"Firm {n}")
    query = reservoir_query(admin, ReservoirFilter())

    assert keyset.count_up_to(query, limit=3) == 4
    assert keyset.count_up_to(query, limit=10) == 5


def test_a_page_starts_after_its_cursor_even_among_equal_names(admin):
    for n in range(5):
        EnterpriseFactory(name="Same name", uscc=valid_uscc(700000 + n))
    base = reservoir_query(admin, ReservoirFilter()).order_by(None)

    first = keyset.page_ids(base, "name", False, 2, None)
    second = keyset.page_ids(base, "name", False, 2, first.next_cursor)
    third = keyset.page_ids(base, "name", False, 2, second.next_cursor)
    back = keyset.page_ids(base, "name", False, 2, third.previous_cursor)

    assert first.ids + second.ids + third.ids == sorted(first.ids + second.ids + third.ids)
    assert len(set(first.ids + second.ids + third.ids)) == 5
    assert (third.next_cursor, first.previous_cursor) == (None, None)
    assert back.ids == second.ids


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("robot", {"Alpha Robotics"}),
        ("ROBOT", {"Alpha Robotics"}),
        ("机器", {"上海机器人有限公司"}),
        ("91310106MA70", {"Alpha Robotics", "上海机器人有限公司"}),
        ("100%", {"100% Pure"}),
        ("_", set()),
    ],
)
def test_search_matches_part_of_a_name_or_the_start_of_a_code(admin, search, found):
    EnterpriseFactory(name="Alpha Robotics", uscc=valid_uscc(700001))
    EnterpriseFactory(name="上海机器人有限公司", uscc=valid_uscc(700002))
    EnterpriseFactory(name="100% Pure", uscc=valid_uscc(800003))

    rows = db.session.scalars(reservoir_query(admin, ReservoirFilter(q=search))).all()

    assert {firm.name for firm in rows} == found


def test_filters_by_designation_and_manager_keep_their_firms(admin):
    manager = UserFactory(username="mgr.filter", role="manager", sub_district_slug="daninglu")
    held = EnterpriseFactory(name="Held", manager=manager)
    EnterpriseDesignationFactory(enterprise=held, designation=Designation.UNICORN)
    EnterpriseFactory(name="Other")
    db.session.flush()

    by_designation = ReservoirFilter(designation="unicorn")
    by_manager = ReservoirFilter(manager="mgr.filter")

    assert [f.name for f in db.session.scalars(reservoir_query(admin, by_designation))] == ["Held"]
    assert [f.name for f in db.session.scalars(reservoir_query(admin, by_manager))] == ["Held"]
    assert db.session.scalar(select(Enterprise.id).where(Enterprise.name == "Other")) is not None

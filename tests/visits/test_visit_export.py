import io
from datetime import date, datetime

import openpyxl
import pytest

from crm.visits.exporting import export_visits
from crm.visits.queries import VisitFilter
from models import RedFlag, db
from tests.factories import EnterpriseFactory, UserFactory
from tests.helpers import counted_queries, log_in
from tests.spreadsheets import csv_rows, downloaded_export, xlsx_rows
from tests.visits.helpers import logged, on_site, phone_call


def export(user, file_format="csv", locale="en", **filters) -> bytes:
    return b"".join(export_visits(user, VisitFilter(**filters), locale, file_format))


@pytest.fixture
def two_sub_districts(manager):
    """A visit in the manager's sub-district, with a red flag, and one in another."""
    daning = EnterpriseFactory(name="上海大宁走访科技有限公司")
    other = EnterpriseFactory(name="上海静安寺走访科技有限公司", sub_district_slug="jingansi")
    colleague = UserFactory(role="manager", sub_district_slug="jingansi", display_name="Li Na")
    logged(manager, daning, on_site(date(2026, 3, 9), RedFlag.DOWNSIZING))
    logged(colleague, other, phone_call(date(2026, 3, 8)))


def test_a_managers_export_holds_only_visits_of_their_sub_district_in_labels(
    manager, two_sub_districts
):
    rows = csv_rows(export(manager))

    assert [row["Firm"] for row in rows] == ["上海大宁走访科技有限公司"]
    assert rows[0]["Kind"] == "On-site"
    assert rows[0]["Red flags"] == "Downsizing"
    assert rows[0]["Sub-district"] == "Daning Road Sub-district"
    assert rows[0]["Visited on"] == "2026-03-09"
    # Logged at 15:00 UTC: 23:00 in Shanghai.
    assert rows[0]["Logged at"] == "2026-03-10 23:00"


def test_a_leaders_export_follows_the_sub_district_filter(leader, two_sub_districts):
    everything = csv_rows(export(leader))
    filtered = csv_rows(export(leader, sub_district="jingansi"))

    assert len(everything) == 2
    assert [row["Firm"] for row in filtered] == ["上海静安寺走访科技有限公司"]
    assert filtered[0]["Kind"] == "Phone"


def test_the_xlsx_export_has_chinese_headers_dates_and_local_times(manager, two_sub_districts):
    [row] = xlsx_rows(export(manager, "xlsx", "zh_CN"))

    assert row["企业"] == "上海大宁走访科技有限公司"
    assert row["走访方式"] == "实地走访"
    assert datetime(2026, 3, 9) in row.values()
    assert datetime(2026, 3, 10, 23, 0) in row.values()


def test_text_that_starts_like_a_formula_is_escaped_in_csv_and_plain_text_in_xlsx(manager):
    firm = EnterpriseFactory(name="=HYPERLINK(1)")
    logged(manager, firm, on_site(summary="+86 转账"))

    [csv_row] = csv_rows(export(manager))
    sheet = openpyxl.load_workbook(io.BytesIO(export(manager, "xlsx"))).worksheets[0]

    assert (csv_row["Firm"], csv_row["Summary"]) == ("'=HYPERLINK(1)", "'+86 转账")
    assert (sheet["B2"].value, sheet["B2"].data_type) == ("=HYPERLINK(1)", "s")


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_download_is_audited_with_its_filters_and_row_count(
    client, leader, two_sub_districts, file_format
):
    log_in(client, leader)

    url = f"/visits/export?format={file_format}&sub_district=jingansi"
    response, entry = downloaded_export(client, url)

    assert "visits-" in response.headers["Content-Disposition"]
    assert entry | {"actor_id": None} == {
        "export": "visits",
        "actor_id": None,
        "format": file_format,
        "filters": {"sub_district": "jingansi"},
        "rows": 1,
        "complete": True,
    }


def test_a_manager_cannot_widen_the_export_with_a_sub_district_filter(
    client, manager, two_sub_districts
):
    log_in(client, manager)

    rows = csv_rows(client.get("/visits/export?format=csv&sub_district=jingansi").data)

    assert [row["Firm"] for row in rows] == ["上海大宁走访科技有限公司"]


def test_the_list_links_its_exports_with_the_current_filter(client, leader):
    log_in(client, leader)

    page = client.get("/visits/?sub_district=jingansi").text

    assert "/visits/export?format=csv&amp;sub_district=jingansi" in page
    assert "/visits/export?format=xlsx&amp;sub_district=jingansi" in page


def test_an_unknown_format_is_refused(client, manager):
    log_in(client, manager)

    assert client.get("/visits/export?format=pdf").status_code == 400


def test_the_export_reads_visits_in_batches_not_one_query_per_visit(manager):
    firm = EnterpriseFactory()
    logged(manager, firm, on_site(date(2026, 3, 1), RedFlag.DOWNSIZING))
    db.session.flush()
    with counted_queries() as few:
        export(manager)
    for day in range(2, 11):
        logged(manager, EnterpriseFactory(), on_site(date(2026, 3, day), RedFlag.DOWNSIZING))

    db.session.flush()
    with counted_queries() as many:
        rows = csv_rows(export(manager))

    assert len(rows) == 10
    assert len(many) == len(few)

"""Every export is on the audit log (who, which list, filters, rows), with an exact Content-Type."""

import pytest

from models import db
from tests.factories import EnterpriseFactory
from tests.helpers import log_in
from tests.spreadsheets import downloaded_export, export_entries

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def three_firms(app) -> None:
    for _ in range(3):
        EnterpriseFactory(sub_district_slug="daninglu")
    EnterpriseFactory(sub_district_slug="jingansi")  # outside the manager's scope
    db.session.commit()


@pytest.mark.parametrize(("file_format", "content_type"), [("csv", CSV), ("xlsx", XLSX)])
def test_a_reservoir_export_is_recorded_with_its_filters_and_row_count(
    client, manager, three_firms, file_format, content_type
):
    log_in(client, manager)

    url = f"/enterprises/export?format={file_format}&zone=daning"
    response, entry = downloaded_export(client, url)

    assert response.headers["Content-Type"] == content_type
    assert entry == {
        "export": "reservoir",
        "actor_id": manager.id,
        "format": file_format,
        "filters": {"zone": "daning", "sort": "name", "direction": "asc"},
        "rows": 3,
        "complete": True,
    }


def test_a_download_dropped_half_way_is_recorded_as_incomplete(client, manager, three_firms):
    log_in(client, manager)

    response = client.get("/enterprises/export?format=csv", buffered=False)
    first_chunk = next(iter(response.response))  # the byte-order mark, before any row
    response.close()

    assert first_chunk == b"\xef\xbb\xbf"
    [entry] = export_entries()
    assert (entry["rows"], entry["complete"]) == (0, False)


def test_the_import_template_is_an_xlsx_and_holds_no_personal_data(client, manager):
    log_in(client, manager)

    response = client.get("/enterprises/import/template.xlsx")

    assert response.headers["Content-Type"] == XLSX
    assert export_entries() == []


def test_a_dashboard_export_is_recorded(client, leader):
    log_in(client, leader)

    response, entry = downloaded_export(client, "/dashboard/export.xlsx?period=year")

    assert response.headers["Content-Type"] == XLSX
    assert (entry["actor_id"], entry["export"]) == (leader.id, "dashboard")
    assert entry["filters"] == {"period": "year"}
    assert entry["complete"] is True

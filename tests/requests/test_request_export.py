from datetime import date, datetime

import pytest
from flask_babel import force_locale

from crm.requests.exporting import export_requests
from crm.requests.labels import label
from crm.requests.queries import RequestFilter
from models import RequestState, RequestUrgency, db
from tests.factories import EnterpriseRequestFactory
from tests.helpers import counted_queries, log_in
from tests.spreadsheets import csv_rows, downloaded_export, xlsx_rows

TODAY = date(2026, 3, 20)


def export(user, file_format="csv", locale="en", **filters) -> bytes:
    return b"".join(export_requests(user, RequestFilter(**filters), TODAY, locale, file_format))


@pytest.fixture
def requests_of_two_firms(manager, firm, other_firm):
    """Overdue and answered requests of the manager's firm; one of another sub-district's firm."""
    EnterpriseRequestFactory(enterprise=firm, created_by=manager, description="=SUM(A1)")
    EnterpriseRequestFactory(
        enterprise=firm,
        created_by=manager,
        department_slug="stec",
        state=RequestState.CLOSED,
        urgency=RequestUrgency.HIGH,
        answer="已对接",
        closed_at=datetime(2026, 3, 5, 17, 30),
    )
    EnterpriseRequestFactory(enterprise=other_firm)


def test_a_managers_export_holds_only_their_firms_requests_pending_first(
    manager, requests_of_two_firms
):
    rows = csv_rows(export(manager))

    assert [row["Firm"] for row in rows] == ["上海大宁智算科技有限公司"] * 2
    pending, closed = rows
    assert (pending["State"], pending["Overdue"], pending["Request"]) == (
        "Open",
        "Yes",
        "'=SUM(A1)",
    )
    with force_locale("en"):
        assert closed["State"] == label(RequestState.CLOSED)
    assert (closed["Overdue"], closed["Urgency"]) == ("No", "High")
    assert closed["Department"] == "Science, Technology and Economy Commission"
    assert closed["Closed at"] == "2026-03-06 01:30"  # Beijing time
    assert pending["Due on"] == "2026-03-12"


def test_filters_pick_the_rows_as_the_inbox_does(leader, requests_of_two_firms):
    assert len(csv_rows(export(leader))) == 3
    assert len(csv_rows(export(leader, is_overdue=True))) == 2
    assert len(csv_rows(export(leader, state="closed"))) == 1
    assert [row["Department"] for row in csv_rows(export(leader, department="stec"))] == [
        "Science, Technology and Economy Commission"
    ]


def test_department_staff_export_only_their_inbox(finance_staff, requests_of_two_firms):
    rows = csv_rows(export(finance_staff))

    assert len(rows) == 2
    assert {row["Department"] for row in rows} == {"Finance Bureau"}


def test_the_xlsx_export_reads_back_in_chinese(manager, requests_of_two_firms):
    rows = xlsx_rows(export(manager, "xlsx", "zh_CN"))

    assert [row["诉求"] for row in rows] == ["=SUM(A1)", "需要五百万元流动资金贷款"]
    assert rows[0]["提出日期"] == datetime(2026, 3, 2)
    assert rows[1]["企业"] == "上海大宁智算科技有限公司"
    assert datetime(2026, 3, 6, 1, 30) in rows[1].values()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_download_carries_the_filters_and_is_audited(
    client, manager, requests_of_two_firms, file_format
):
    log_in(client, manager)

    _, entry = downloaded_export(client, f"/requests/export?format={file_format}&overdue=1")

    assert (entry["export"], entry["actor_id"], entry["rows"], entry["complete"]) == (
        "requests",
        manager.id,
        1,
        True,
    )
    assert entry["filters"] == {"state": "", "department": "", "overdue": True}


def test_the_inbox_links_its_exports_with_the_current_filters_and_rows_as_cards(
    client, manager, open_request
):
    log_in(client, manager)

    page = client.get("/requests/?state=open&overdue=1&department=").text
    full = client.get("/requests/").text

    assert "/requests/export?format=csv&amp;state=open&amp;overdue=1" in page
    assert "/requests/export?format=xlsx&amp;state=open&amp;overdue=1" in page
    assert "table-cards" in full
    assert 'data-label="Department"' in full


def test_the_export_reads_requests_in_batches_not_one_query_per_request(leader, firm):
    EnterpriseRequestFactory(enterprise=firm)
    db.session.flush()
    with counted_queries() as few:
        export(leader)
    for _ in range(10):
        EnterpriseRequestFactory()

    db.session.flush()
    with counted_queries() as many:
        rows = csv_rows(export(leader))

    assert len(rows) == 11
    assert len(many) == len(few)

from datetime import datetime

import pytest
from flask_babel import force_locale

from crm.policies import services
from crm.policies.exporting import export_packages
from crm.policies.labels import label
from models import PackageState, db
from tests.factories import EnterpriseFactory, UserFactory
from tests.helpers import PACKAGE_NOW as NOW
from tests.helpers import counted_queries, item, log_in, propose
from tests.spreadsheets import csv_rows, downloaded_export, xlsx_rows

DECIDED_AT = datetime(2026, 3, 4, 18, 5)


def export(user, state=None, file_format="csv", locale="en") -> bytes:
    return b"".join(export_packages(user, state, locale, file_format))


@pytest.fixture
def packages(manager, leader):
    """An approved and a proposed package of the manager's firm; one of another sub-district."""
    firm = EnterpriseFactory(name="上海大宁政策科技有限公司")
    approved = propose(
        manager,
        firm,
        item("loan_interest_subsidy", "500000"),
        item("talent_housing", "3"),
        title="@增长支持",
    )
    services.decide_package(leader, approved, "approve", "同意", approved.version_id, DECIDED_AT)
    propose(manager, firm, item("talent_housing", "2"), title="人才安居")
    colleague = UserFactory(role="manager", sub_district_slug="jingansi")
    other = EnterpriseFactory(name="上海静安寺政策科技有限公司", sub_district_slug="jingansi")
    propose(colleague, other, item("rent_subsidy", "100000"), title="租金补贴")


def test_a_managers_export_holds_their_sub_districts_packages_in_labels(manager, packages):
    rows = csv_rows(export(manager))

    assert {row["Firm"] for row in rows} == {"上海大宁政策科技有限公司"}
    assert len(rows) == 2
    approved = next(row for row in rows if row["Items"] == "2")
    with force_locale("en"):
        assert approved["State"] == label(PackageState.APPROVED)
    assert approved["Package title"] == "'@增长支持"  # formula-escaped
    assert approved["Policy instruments"] == "Loan interest subsidy; Talent housing"
    assert approved["Decided at"] == "2026-03-05 02:05"  # Beijing time
    assert approved["Proposed at"] == f"{NOW:%Y-%m-%d} 17:00"
    assert approved["Decision comment"] == "同意"


def test_the_state_filter_and_department_scope_hold(leader, packages):
    finance = UserFactory(role="department", department_slug="finance")

    proposed = csv_rows(export(leader, PackageState.PROPOSED.value))
    financed = csv_rows(export(finance))

    assert sorted(row["Package title"] for row in proposed) == ["人才安居", "租金补贴"]
    assert [row["Package title"] for row in financed] == ["'@增长支持"]


def test_the_xlsx_export_reads_back_in_chinese(manager, packages):
    rows = xlsx_rows(export(manager, file_format="xlsx", locale="zh_CN"))

    titles = {row["企业"] for row in rows}
    assert titles == {"上海大宁政策科技有限公司"}
    assert any("贷款贴息、人才公寓" in row.values() for row in rows)
    assert any(datetime(2026, 3, 5, 2, 5) in row.values() for row in rows)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_download_follows_the_list_filter_and_is_audited(
    client, manager, packages, file_format
):
    log_in(client, manager)

    _, entry = downloaded_export(client, f"/packages/export?format={file_format}&state=approved")

    assert (entry["export"], entry["actor_id"], entry["rows"], entry["complete"]) == (
        "packages",
        manager.id,
        1,
        True,
    )
    assert entry["filters"] == {"state": "approved"}


def test_the_list_filters_by_state_and_links_its_exports(client, manager, packages):
    log_in(client, manager)

    page = client.get("/packages/?state=approved").text

    assert "/packages/export?format=csv&amp;state=approved" in page
    assert "/packages/export?format=xlsx&amp;state=approved" in page
    assert "@增长支持" in page
    assert "人才安居" not in page.split('data-testid="all-packages"')[1]
    assert 'data-label="Firm"' in page


def test_the_export_reads_packages_in_batches_not_one_query_per_package(manager, leader):
    propose(manager, EnterpriseFactory(), item("talent_housing", "1"))
    db.session.flush()
    with counted_queries() as few:
        export(leader)
    for _ in range(10):
        propose(
            manager, EnterpriseFactory(), item("rent_subsidy", "1000"), item("talent_housing", "1")
        )

    db.session.flush()
    with counted_queries() as many:
        rows = csv_rows(export(leader))

    assert len(rows) == 11
    assert len(many) == len(few)

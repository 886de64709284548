import re
from datetime import datetime

import pytest

from crm.discovery.events import delete_event
from crm.discovery.services import delete_candidate
from crm.records import AUDIT_PAGE_SIZE, deleted_records, soft_delete
from models import Enterprise, db
from tests.discovery import helpers as discovery
from tests.factories import AuditEntryFactory, EnterpriseFactory, UserFactory, VisitFactory
from tests.helpers import (
    PACKAGE_NOW,
    audit_entries,
    counted_queries,
    firm_form_fields,
    item,
    log_in,
    propose,
)


def test_a_deleted_firm_is_hidden_then_restored_by_an_admin_with_both_steps_audited(
    client, app, manager
):
    firm = EnterpriseFactory(name="上海隐去科技有限公司")
    admin = UserFactory(role="admin")
    log_in(client, manager)

    deleted = client.post(f"/enterprises/{firm.id}/delete")
    hidden_page = client.get(f"/enterprises/{firm.id}")
    hidden_list = client.get("/enterprises/")
    admin_client = app.test_client()
    log_in(admin_client, admin)
    deleted_page = admin_client.get("/admin/deleted")
    restored = admin_client.post(f"/admin/deleted/enterprise/{firm.id}/restore")

    assert deleted.status_code == 302
    assert hidden_page.status_code == 404
    assert "上海隐去科技有限公司" not in hidden_list.text
    assert "上海隐去科技有限公司" in deleted_page.text
    assert restored.status_code == 302
    assert db.session.get(Enterprise, firm.id).deleted_at is None
    actions = [entry.action for entry in audit_entries("enterprise", firm.id)]
    assert sorted(actions) == ["delete", "restore"]


@pytest.mark.parametrize(
    ("role", "sub_district", "status"),
    [("leader", "daninglu", 403), ("manager", "jingansi", 404)],  # a manager's is another's
)
def test_a_leader_or_another_sub_districts_manager_cannot_delete_a_firm(
    client, request, role, sub_district, status
):
    firm = EnterpriseFactory(sub_district_slug=sub_district)
    log_in(client, request.getfixturevalue(role))

    response = client.post(f"/enterprises/{firm.id}/delete")

    assert response.status_code == status
    assert db.session.get(Enterprise, firm.id).deleted_at is None


def test_restoring_a_record_that_is_not_deleted_is_refused(client, admin):
    firm = EnterpriseFactory()
    log_in(client, admin)

    response = client.post(f"/admin/deleted/enterprise/{firm.id}/restore")

    assert response.status_code == 409


def test_the_firm_page_shows_its_history(client, manager):
    firm = EnterpriseFactory()
    log_in(client, manager)
    page = client.get(f"/enterprises/{firm.id}/edit").text
    version = page.split('name="version_id" type="hidden" value="')[1].split('"')[0]
    form = firm_form_fields("上海改名科技有限公司", firm.uscc, version_id=version)
    client.post(f"/enterprises/{firm.id}/edit", data=form)

    response = client.get(f"/enterprises/{firm.id}")

    assert "上海改名科技有限公司" in response.text
    assert 'id="history"' in response.text
    assert "→" in response.text


def test_admins_search_the_audit_log_by_user_and_record(client, app, admin, manager):
    mine = EnterpriseFactory()
    log_in(client, manager)
    client.post(f"/enterprises/{mine.id}/delete")
    admin_client = app.test_client()
    log_in(admin_client, admin)

    by_actor = admin_client.get(f"/admin/audit?actor={manager.username}")
    by_other_actor = admin_client.get("/admin/audit?actor=nobody")
    by_record = admin_client.get(f"/admin/audit?entity_type=enterprise&entity_id={mine.id}")

    assert f'Firm <span class="font-monospace">#{mine.id}</span>' in by_actor.text
    assert f"#{mine.id}</span>" not in by_other_actor.text
    assert "Record deleted" in by_record.text


def test_only_admins_reach_the_audit_log(client, leader):
    log_in(client, leader)

    response = client.get("/admin/audit")

    assert response.status_code == 403


def test_a_user_account_page_shows_its_history(client, admin, manager):
    log_in(client, admin)
    form = {
        "username": manager.username,
        "display_name": "大宁路街道 新名字",
        "role": "manager",
        "sub_district": "daninglu",
        "department": "",
        "is_active": "y",
        "version_id": str(manager.version_id),
    }
    client.post(f"/admin/users/{manager.id}/edit", data=form)

    page = client.get(f"/admin/users/{manager.id}/edit")

    assert 'id="history"' in page.text
    assert "大宁路街道 新名字" in page.text


def audit_entry(action: str, entity_type: str, changes: dict, at: datetime) -> None:
    AuditEntryFactory(at=at, action=action, entity_type=entity_type, entity_id=7, changes=changes)
    db.session.commit()


def audit_text(client, language: str, **query: str) -> str:
    client.post(f"/language/{language}")
    page = client.get("/admin/audit", query_string=query).text
    return " ".join(page.split())  # the table's lines are indented


def without_tags(page: str) -> str:
    return re.sub(r"<[^>]+>", "", page)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "zh_CN",
            [
                "修改",
                "企业",
                "培育层级：",
                '科技型企业</span> → <span class="text-success">独角兽/隐形冠军培育对象',
                "纳入百企成长计划：",
                '是</span> → <span class="text-success">否',
                '大宁路街道</span> → <span class="text-success">静安寺街道',
                "2026年3月3日 10:30:00",
            ],
        ),
        (
            "en",
            [
                "Record changed",
                "Firm",
                "Cultivation tier:",
                'Tech-based</span> → <span class="text-success">Unicorn / hidden-champion',
                '>Yes</span> → <span class="text-success">No',
                '>Daning Road Sub-district</span> → <span class="text-success">Jing',
                "Mar 3, 2026, 10:30:00",
            ],
        ),
    ],
)
def test_the_audit_log_shows_labels_and_local_times_not_codes(client, admin, language, words):
    changes = {
        "tier": ["tech_based", "candidate"],
        "in_hundred_enterprises_plan": [True, False],
        "sub_district": ["daninglu", "jingansi"],
    }
    audit_entry("update", "enterprise", changes, at=datetime(2026, 3, 3, 2, 30))
    log_in(client, admin)

    page = audit_text(client, language, entity_type="enterprise")

    missing = [word for word in words if word not in page]
    assert missing == []
    for code in ("tech_based", "in_hundred_enterprises_plan", "daninglu", "02:30"):
        assert code not in page


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "en",
            [
                "Firm: 上海大宁智算科技有限公司",
                "Instrument: Loan interest subsidy",
                "Instrument: Talent housing",
            ],
        ),
        (
            "zh_CN",
            ["企业： 上海大宁智算科技有限公司", "政策工具： 贷款贴息", "政策工具： 人才公寓"],
        ),
    ],
)
def test_the_audit_log_names_the_firm_and_the_instruments_of_a_package(
    client, admin, manager, firm, language, words
):
    propose(manager, firm, item("loan_interest_subsidy", "500000"), item("talent_housing", "3"))
    db.session.commit()
    log_in(client, admin)

    page = without_tags(audit_text(client, language))

    assert [word for word in words if word not in page] == []


def test_a_deleted_firm_keeps_its_name_in_the_log_and_a_missing_record_shows_its_id(
    client, admin, manager, firm
):
    propose(manager, firm, item("loan_interest_subsidy", "500000"))
    soft_delete(manager, "enterprise", firm, PACKAGE_NOW)
    audit_entry("create", "package_item", {"instrument_id": [None, 999999]}, PACKAGE_NOW)
    log_in(client, admin)

    page = without_tags(audit_text(client, "en"))

    assert "Firm: 上海大宁智算科技有限公司" in page
    assert "Instrument: Loan interest subsidy" in page
    assert "Instrument: #999999" in page


def test_naming_the_records_of_a_full_log_page_takes_no_more_queries_than_of_one_entry(
    client, admin, manager
):
    def write_entries(count: int) -> None:
        """Per firm, 3 entries: its package, the package's item and a follow-up of a visit."""
        for number in range(count):
            firm = EnterpriseFactory(name=f"上海第{number}号科技有限公司")
            propose(manager, firm, item("loan_interest_subsidy", "1000"))
            changes = {"owner_id": [None, manager.id], "visit_id": [None, VisitFactory().id]}
            audit_entry("create", "follow_up", changes, PACKAGE_NOW)

    def counted_page() -> tuple[str, int]:
        db.session.commit()  # each page starts from the same session state
        with counted_queries() as statements:
            page = client.get("/admin/audit").text
        return page, len(statements)

    firms = AUDIT_PAGE_SIZE // 3
    write_entries(1)
    log_in(client, admin)
    client.get("/admin/audit")  # the first page of a session reads the account and tables once
    _page, one_firm = counted_page()
    write_entries(firms - 1)

    page, full_page = counted_page()

    assert page.count("Record created</td>") == firms * 3
    page = without_tags(" ".join(page.split()))
    assert "Firm: 上海第0号科技有限公司" in page
    assert f"Firm: 上海第{firms - 2}号科技有限公司" in page
    assert page.count(f"Owner: {manager.display_name}") == firms
    assert full_page == one_firm


def test_each_workflow_state_in_the_log_is_labelled_by_its_own_record_kind(client, admin):
    at = datetime(2026, 3, 3, 2, 30)
    audit_entry(
        "close", "request", {"state": ["resolved", "closed"], "satisfaction": [None, 5]}, at
    )
    audit_entry("done", "reminder", {"state": ["open", "closed"]}, at)
    audit_entry("create", "request", {"category": [None, "financing"]}, at)
    log_in(client, admin)

    request_page = audit_text(client, "zh_CN", entity_type="request")
    reminder_page = audit_text(client, "zh_CN", entity_type="reminder")

    assert "确认办结" in request_page
    assert '已答复</span> → <span class="text-success">已确认办结' in request_page
    assert "类别：</span> 融资" in request_page
    assert "已确认办结" not in reminder_page
    assert "已自动关闭：事由已消除" in reminder_page


def test_a_year_in_a_change_is_printed_without_grouping(client, admin):
    audit_entry("update", "yearly_figures", {"year": [2025, 2025]}, datetime(2026, 3, 3))
    log_in(client, admin)

    page = audit_text(client, "en", entity_type="yearly_figures")

    assert "Year:</span> 2025" in page
    assert "2,025" not in page


def test_the_audit_log_stays_paged(client, admin):
    for number in range(AUDIT_PAGE_SIZE + 1):
        audit_entry("update", "enterprise", {"name": [None, f"名称{number}"]}, datetime(2026, 3, 3))
    log_in(client, admin)

    first = audit_text(client, "en")
    second = client.get("/admin/audit?page=2").text

    assert first.count("Record changed</td>") == AUDIT_PAGE_SIZE
    assert second.count("Record changed</td>") == 1


def test_the_day_filter_reads_days_in_the_configured_time_zone(client, admin):
    # 23:30 UTC on 2 March is 07:30 on 3 March in Beijing.
    audit_entry(
        "update", "enterprise", {"name": [None, "北京三月三日"]}, datetime(2026, 3, 2, 23, 30)
    )
    audit_entry(
        "update", "enterprise", {"name": [None, "北京三月二日"]}, datetime(2026, 3, 2, 15, 30)
    )
    log_in(client, admin)

    page = audit_text(client, "en", since="2026-03-03", until="2026-03-03")

    assert "北京三月三日" in page
    assert "北京三月二日" not in page


def test_an_export_in_the_log_names_its_list_and_filters(client, admin):
    details = {"format": [None, "xlsx"], "filters": [None, {"state": "open"}], "rows": [None, 3]}
    audit_entry("export", "requests", details, datetime(2026, 3, 3))
    log_in(client, admin)

    page = audit_text(client, "en", entity_type="requests")

    assert "List exported" in page
    assert "Requests" in page
    assert "Filters:</span> state=open" in page
    assert "Rows:</span> 3" in page


def test_an_admin_restores_the_action_plans_deleted_records_named_by_themselves(
    client, admin, leader
):
    event = discovery.event(leader, name="静安创新大赛复赛")
    candidate = discovery.candidate(leader, name="上海隐去智能科技有限公司")
    delete_event(leader, event, discovery.NOW)
    delete_candidate(leader, candidate, discovery.NOW)
    db.session.commit()
    log_in(client, admin)

    page = client.get("/admin/deleted").text
    restored = [
        client.post(f"/admin/deleted/{kind}/{record.id}/restore").status_code
        for kind, record in (("discovery_event", event), ("discovery_candidate", candidate))
    ]

    assert "静安创新大赛复赛" in page
    assert "上海隐去智能科技有限公司" in page
    assert restored == [302, 302]
    assert event.deleted_at is None
    assert candidate.deleted_at is None
    assert [entry.action for entry in audit_entries("discovery_event", event.id)][-1] == "restore"


def test_the_restore_page_lists_the_newest_deletions_of_a_kind_and_one_more(app, monkeypatch):
    monkeypatch.setattr("crm.records.DELETED_SHOWN", 2)
    for day in (1, 2, 3, 4):
        EnterpriseFactory(name=f"上海删除{day}科技有限公司", deleted_at=datetime(2026, 3, day))

    kinds = deleted_records()

    assert [firm.name for firm in kinds["enterprise"]] == [
        "上海删除4科技有限公司",
        "上海删除3科技有限公司",
        "上海删除2科技有限公司",  # the one more that tells the page there are more
    ]

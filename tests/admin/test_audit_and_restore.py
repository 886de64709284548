from sqlalchemy import select

from models import AuditEntry, Enterprise, db
from tests.conftest import log_in
from tests.factories import EnterpriseFactory, UserFactory


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
    actions = db.session.scalars(
        select(AuditEntry.action).where(
            AuditEntry.entity_type == "enterprise", AuditEntry.entity_id == firm.id
        )
    ).all()
    assert sorted(actions) == ["delete", "restore"]


def test_a_leader_cannot_delete_a_firm(client, leader):
    firm = EnterpriseFactory()
    log_in(client, leader)

    response = client.post(f"/enterprises/{firm.id}/delete")

    assert response.status_code == 403
    assert db.session.get(Enterprise, firm.id).deleted_at is None


def test_a_manager_cannot_delete_a_firm_of_another_sub_district(client, manager):
    firm = EnterpriseFactory(sub_district_slug="jingansi")
    log_in(client, manager)

    response = client.post(f"/enterprises/{firm.id}/delete")

    assert response.status_code == 404
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
    form = {
        "name": "上海改名科技有限公司",
        "uscc": firm.uscc,
        "sub_district": "daninglu",
        "zone": "daning",
        "track": "ai",
        "tier": "reservoir",
        "status": "active",
        "manager": "",
        "version_id": version,
    }
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

    assert f"enterprise #{mine.id}" in by_actor.text
    assert f"enterprise #{mine.id}" not in by_other_actor.text
    assert "delete" in by_record.text


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

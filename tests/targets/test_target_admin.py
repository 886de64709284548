"""The admin's target table: add, edit (with conflicts and field errors), archive, restore."""

from datetime import date

import pytest
from sqlalchemy import select

from crm.errors import StaleEditError
from crm.targets.services import TargetInput, update_target
from models import Target, db
from tests.factories import UserFactory
from tests.helpers import api_headers, audit_entries, log_in

VALID = {
    "title_zh": "专精特新",
    "title_en": "SRDI firms",
    "goal": "50",
    "deadline": "2026-12-31",
    "owner": "stec",
    "measure": "firms",
    "designations": ["srdi_sme", "little_giant"],
}


def target(key: str) -> Target:
    return db.session.scalars(select(Target).where(Target.key == key)).one()


def test_the_seeded_table_is_the_action_plan(client):
    log_in(client, UserFactory(role="admin"))
    page = client.get("/dashboard/targets/")
    assert page.status_code == 200
    for title in ("Unicorn and hidden-champion firms", "Incubated firms", "Listed companies"):
        assert title in page.text
    assert [t.goal for t in db.session.scalars(select(Target).order_by(Target.position))] == [
        5,
        100,
        1000,
        400,
        40,
        110,
        300,
    ]


def test_an_admin_adds_a_target_and_it_is_audited(client):
    admin = UserFactory(role="admin")
    log_in(client, admin)
    response = client.post("/dashboard/targets/new", data={**VALID, "key": "srdi"})
    assert response.status_code == 302
    added = target("srdi")
    assert added.designations == ["little_giant", "srdi_sme"]
    assert added.owner is not None
    assert added.owner.slug == "stec"
    [entry] = audit_entries("target", action="create")
    assert entry.actor_id == admin.id
    assert entry.changes["goal"] == [None, 50]


def test_field_errors_name_what_is_wrong_and_save_nothing(client):
    log_in(client, UserFactory(role="admin"))
    page = client.post(
        "/dashboard/targets/new",
        data={**VALID, "key": "tech_based", "designations": [], "goal": "0"},
    )
    assert page.status_code == 200
    assert "This key is taken." in page.text
    assert "Choose a tier, designations, or both." in page.text
    assert "A whole number of 1 or more." in page.text
    page = client.post(
        "/dashboard/targets/new",
        data={**VALID, "key": "patents", "measure": "figure_sum", "figure": ""},
    )
    assert "Choose the yearly figure to sum." in page.text
    assert "The first year counted, e.g. 2025." in page.text
    assert db.session.scalar(select(Target.id).where(Target.key == "patents")) is None


def test_an_edit_made_on_a_stale_copy_is_refused(client):
    log_in(client, UserFactory(role="admin"))
    listed = target("listed")
    form = {
        **VALID,
        "title_zh": "上市公司",
        "title_en": "Listed companies",
        "designations": ["listed"],
        "goal": "45",
        "version_id": str(listed.version_id),
    }
    assert client.post(f"/dashboard/targets/{listed.id}/edit", data=form).status_code == 302
    db.session.refresh(listed)
    assert listed.goal == 45
    stale = client.post(f"/dashboard/targets/{listed.id}/edit", data={**form, "goal": "60"})
    assert stale.status_code == 409
    assert "Someone else saved this target after you opened it." in stale.text
    db.session.refresh(listed)
    assert listed.goal == 45


def test_archived_targets_leave_the_api_and_come_back(client):
    admin = UserFactory(role="admin")
    log_in(client, admin)
    listed = target("listed")
    client.post(f"/dashboard/targets/{listed.id}/archive")
    db.session.refresh(listed)
    assert listed.deleted_at is not None  # archived, not deleted
    headers = api_headers(client, admin, "correct horse battery")
    keys = [item["key"] for item in client.get("/api/v1/targets", headers=headers).json["items"]]
    assert "listed" not in keys
    assert len(keys) == 6
    client.post(f"/dashboard/targets/{listed.id}/restore")
    keys = [item["key"] for item in client.get("/api/v1/targets", headers=headers).json["items"]]
    assert "listed" in keys


def test_only_admins_keep_the_table(client):
    log_in(client, UserFactory(role="leader"))
    assert client.get("/dashboard/targets/").status_code == 404
    assert client.post(f"/dashboard/targets/{target('listed').id}/archive").status_code == 404
    assert client.get("/dashboard/").status_code == 200


def test_the_service_refuses_a_stale_version_and_changes_nothing(client):
    listed = target("listed")
    data = TargetInput(
        title_zh="上市公司",
        title_en="Listed",
        goal=60,
        deadline=date(2026, 12, 31),
        measure="firms",
    )

    with pytest.raises(StaleEditError) as stale:
        update_target(UserFactory(role="admin"), listed, data, seen_version=listed.version_id + 1)

    assert stale.value.message == "Someone else saved this target after you opened it."
    assert listed.goal != 60

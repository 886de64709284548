"""The dashboard at its edges: no firms, a place without firms, hostile names, wrong filters."""

from datetime import date, datetime
from io import BytesIO

from flask_babel import refresh
from openpyxl import load_workbook
from sqlalchemy import select

from crm.dashboard.facts import FirmFacts
from crm.targets.progress import progress
from models import AuditEntry, Target, TargetMeasure, Tier, db
from tests.factories import (
    PASSWORD,
    EnterpriseFactory,
    ImportIssueFactory,
    TargetFactory,
    UserFactory,
)
from tests.helpers import api_headers, audit_entries, log_in


def test_an_empty_reservoir_still_gives_the_page_the_report_and_the_workbook(client):
    log_in(client, UserFactory(role="leader"))
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/dashboard/print").status_code == 200
    workbook = load_workbook(BytesIO(client.get("/dashboard/export.xlsx").data))
    assert len(workbook.sheetnames) == 8  # the targets, then every coverage section


def test_a_place_without_firms_has_no_pace_rather_than_a_green_one(client):
    EnterpriseFactory(tier=Tier.NEW_TRACK)  # in the daning zone, the ai track
    leader = UserFactory(role="leader")
    headers = api_headers(client, leader)
    items = client.get("/api/v1/targets?track=quantum", headers=headers).json["items"]
    assert {item["on_pace"] for item in items} == {None}
    assert {item["target"] for item in items} == {0}
    log_in(client, leader)
    page = client.get("/dashboard/?track=quantum")
    assert page.text.count("No firms in view") == len(items)
    assert "On pace" not in page.text.split('data-testid="target-cards"')[1].split("<h2")[0]


def test_hostile_firm_names_stay_text_in_the_workbook(client):
    firm = EnterpriseFactory(name='=HYPERLINK("http://evil")\x07公司', tier=Tier.NEW_TRACK)
    admin = UserFactory(role="admin")
    db.session.flush()
    from crm.enterprises import services

    data = services.patch_input(firm, {"tier": Tier.CANDIDATE.value})
    services.update_enterprise(admin, firm, data, firm.version_id, datetime(2026, 12, 1))
    leader = UserFactory(role="leader", locale="zh_CN")
    log_in(client, leader)
    response = client.get("/dashboard/export.xlsx?period=plan")
    assert response.status_code == 200
    cells = [
        cell
        for sheet in load_workbook(BytesIO(response.data))
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and "HYPERLINK" in cell.value
    ]
    assert cells  # the tier move lists the firm
    assert all(cell.data_type == "s" and "\x07" not in cell.value for cell in cells)


def test_a_report_for_a_wrong_place_is_refused_not_sent_for_the_district(client):
    log_in(client, UserFactory(role="leader"))
    for path in ("/dashboard/export.xlsx?zone=atlantis", "/dashboard/print?period=decade"):
        response = client.get(path)
        assert response.status_code == 422
        assert "Traceback" not in response.text


def test_the_api_names_a_wrong_period_in_the_callers_language(client):
    leader = UserFactory(role="leader", locale="zh_CN")
    headers = api_headers(client, leader)
    response = client.get("/api/v1/targets?period=decade&sub_district=nowhere", headers=headers)
    assert response.status_code == 422
    assert sorted(response.json["errors"]) == ["period", "sub_district"]
    refresh()
    zh = client.get(
        "/api/v1/targets?sub_district=nowhere", headers={**headers, "Accept-Language": "zh-CN"}
    )
    message = zh.json["errors"]["sub_district"][0]
    assert message == "没有该街道。"


def test_the_pace_of_a_reservoir_loaded_after_the_plan_began_starts_at_the_load():
    # 900 tech-based firms imported on 2026-03-01, none since: no progress, so not on pace.
    loaded = [
        FirmFacts(
            id=n, zone_id=1, sub_district_id=1, entered_on=date(2026, 3, 1), tier=Tier.TECH_BASED
        )
        for n in range(900)
    ]
    target = TargetFactory.build(
        goal=1000,
        deadline=date(2026, 12, 31),
        measure=TargetMeasure.FIRMS,
        tier_at_least="tech_based",
    )
    result = progress(target, loaded, date(2026, 6, 30))
    assert result.baseline == date(2026, 3, 1)
    assert result.projected == 900
    assert result.on_pace is False


def test_archiving_is_audited_and_needs_the_csrf_token(csrf_app):
    client = csrf_app.test_client()
    admin = UserFactory(role="admin")
    db.session.commit()
    page = client.get("/login")
    token = page.text.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post(
        "/login", data={"username": admin.username, "password": PASSWORD, "csrf_token": token}
    )
    listed = db.session.scalars(select(Target).where(Target.key == "listed")).one()
    refused = client.post(f"/dashboard/targets/{listed.id}/archive")
    assert refused.status_code == 400
    db.session.refresh(listed)
    assert listed.deleted_at is None
    page = client.get("/dashboard/targets/")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    client.post(f"/dashboard/targets/{listed.id}/archive", data={"csrf_token": token})
    db.session.refresh(listed)
    assert listed.deleted_at is not None
    [entry] = audit_entries("target", action="delete")
    assert (entry.entity_id, entry.actor_id) == (listed.id, admin.id)


def test_an_admin_dismisses_an_import_issue_and_it_is_audited(client):
    issue = ImportIssueFactory(uscc="91310000XXXX", found_at=datetime(2026, 11, 30, 9))
    log_in(client, UserFactory(role="leader"))
    assert client.post(f"/quality/import-issues/{issue.id}/dismiss").status_code == 404
    admin_client = client.application.test_client()
    admin = UserFactory(role="admin")
    log_in(admin_client, admin)
    assert 'data-testid="dismiss-issue"' in admin_client.get("/quality/").text
    assert admin_client.post(f"/quality/import-issues/{issue.id}/dismiss").status_code == 302
    db.session.refresh(issue)
    assert issue.resolved_at is not None
    assert "91310000XXXX" not in admin_client.get("/quality/").text
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "dismiss")).one()
    assert (entry.entity_type, entry.actor_id) == ("import_issue", admin.id)

"""The white-list pages: scoping, nominating from a request, the decision form, the export."""

import csv
import io

from crm.credit import services
from models import AuditEntry, NominationDecision, db
from tests import factories
from tests.credit.conftest import NOW, nominate
from tests.helpers import audit_entries, log_in


def test_a_manager_sees_the_batch_with_their_firms_only(nominated, batch, logged_in):
    elsewhere = factories.EnterpriseFactory(name="静安某科技有限公司", sub_district_slug="jingansi")
    other_manager = factories.UserFactory(sub_district_slug="jingansi")
    nominate(other_manager, batch, elsewhere)

    page = logged_in.get(f"/credit/batches/{batch.id}")

    assert page.status_code == 200
    assert nominated.enterprise.name in page.text
    assert "静安某科技有限公司" not in page.text


def test_a_nomination_of_another_sub_district_is_not_found(client, nominated):
    log_in(client, factories.UserFactory(sub_district_slug="jingansi"))

    assert client.get(f"/credit/nominations/{nominated.id}").status_code == 404


def test_other_departments_have_no_part_in_credit(client, nominated, batch):
    log_in(client, factories.UserFactory(role="department", department_slug="stec"))

    assert client.get("/credit/").status_code == 403
    assert client.get(f"/credit/batches/{batch.id}").status_code == 404


def test_finance_staff_read_batches_and_decisions_but_cannot_decide(client, submitted):
    log_in(client, factories.UserFactory(role="department", department_slug="finance"))

    page = client.get(f"/credit/nominations/{submitted.id}")
    refused = client.post(
        f"/credit/nominations/{submitted.id}/decision", data={"decision": "listed"}
    )

    assert page.status_code == 200
    assert 'data-testid="decision-form"' not in page.text
    assert refused.status_code == 403


def test_a_manager_nominates_the_firm_of_a_financing_request(batch, firm, logged_in):
    request = factories.EnterpriseRequestFactory(enterprise=firm)

    before = logged_in.get(f"/requests/{request.id}")
    form = logged_in.get(f"/credit/nominate?enterprise_id={firm.id}&request_id={request.id}")
    posted = logged_in.post(
        "/credit/nominate",
        data={
            "batch_id": batch.id,
            "uscc": firm.uscc,
            "quota_asked": "800",
            "request_id": str(request.id),
        },
    )

    assert 'data-testid="nominate-from-request"' in before.text
    assert firm.uscc in form.text
    assert posted.status_code == 302
    assert posted.headers["Location"].endswith(f"/requests/{request.id}")
    after = logged_in.get(f"/requests/{request.id}")
    assert 'data-testid="request-nomination"' in after.text


def test_a_code_outside_the_managers_scope_is_a_field_error(batch, logged_in):
    elsewhere = factories.EnterpriseFactory(sub_district_slug="jingansi")

    posted = logged_in.post(
        "/credit/nominate", data={"batch_id": batch.id, "uscc": elsewhere.uscc, "quota_asked": "5"}
    )

    assert posted.status_code == 200
    assert "No firm of yours has this code." in posted.text


def test_the_leader_records_a_listing_and_a_stale_form_is_a_conflict(submitted, leader_client):
    data = {
        "decision": "listed",
        "decided_on": "2026-11-20",
        "quota_granted": "900",
        "rate": "3.2",
        "term_months": "12",
        "version_id": str(submitted.version_id),
    }

    done = leader_client.post(f"/credit/nominations/{submitted.id}/decision", data=data)
    stale = leader_client.post(f"/credit/nominations/{submitted.id}/decision", data=data)

    assert done.status_code == 302
    db.session.refresh(submitted)
    assert submitted.decision == NominationDecision.LISTED
    assert stale.status_code == 409


def test_a_refusal_without_reason_is_a_field_error(submitted, leader_client):
    page = leader_client.post(
        f"/credit/nominations/{submitted.id}/decision",
        data={
            "decision": "refused",
            "decided_on": "2026-11-20",
            "version_id": str(submitted.version_id),
        },
    )

    assert page.status_code == 422
    assert "Say why the bank refused." in page.text


def test_the_export_follows_the_banks_columns_and_escapes_formulas(batch, manager, leader_client):
    risky = factories.EnterpriseFactory(name="=HYPERLINK(1)科技有限公司")
    nominate(manager, batch, risky)

    response = leader_client.get(f"/credit/batches/{batch.id}/export?format=csv")
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))

    assert rows[0] == [
        "企业名称",
        "统一社会信用代码",
        "申请额度（万元）",
        "上年营收（万元）",
        "所在功能区",
    ]
    assert rows[1][0] == "'=HYPERLINK(1)科技有限公司"
    assert rows[1][2] == "1000.00"
    entry = audit_entries("credit-batch", action="export")[-1]
    assert isinstance(entry, AuditEntry)
    assert entry.changes["rows"] == [None, 1]


def test_the_excel_export_is_a_workbook(nominated, batch, leader_client):
    response = leader_client.get(f"/credit/batches/{batch.id}/export?format=xlsx")

    assert response.status_code == 200
    assert response.get_data()[:2] == b"PK"


def test_a_manager_cannot_export(nominated, batch, logged_in):
    assert logged_in.get(f"/credit/batches/{batch.id}/export?format=csv").status_code == 403


def test_the_firm_page_shows_its_white_lists(listed, firm, logged_in):
    page = logged_in.get(f"/enterprises/{firm.id}")

    assert 'data-testid="credit-panel"' in page.text
    assert "Bank of Shanghai" in page.text


def test_the_overview_and_batch_list_render(listed, batch, leader_client):
    overview = leader_client.get("/credit/")
    batches = leader_client.get("/credit/batches")

    assert overview.status_code == 200
    assert 'data-testid="listed-firms"' in overview.text
    assert batch.title in batches.text


def test_a_leader_opens_a_batch_and_submits_it(leader, manager, product, firm, leader_client):
    opened = leader_client.post(
        "/credit/batches/new", data={"product_id": product.id, "title": "第五批"}
    )
    batch_id = int(opened.headers["Location"].rsplit("/", 1)[1])
    batch = services.get_batch(leader, batch_id)
    nominate(manager, batch, firm)
    submitted = leader_client.post(
        f"/credit/batches/{batch_id}/submit", data={"version_id": str(batch.version_id)}
    )

    assert submitted.status_code == 302
    db.session.refresh(batch)
    assert batch.state.value == "submitted"
    assert NOW.date() <= (batch.submitted_on or NOW.date())


def test_a_leader_edits_a_banks_format(bank, leader_client):
    saved = leader_client.post(
        f"/credit/banks/{bank.id}/edit",
        data={
            "slug": "bosc",
            "name_zh": "上海银行",
            "name_en": "Bank of Shanghai",
            "is_active": "y",
            "columns": "uscc = 信用代码\nname\nnot_a_field = x",
            "version_id": str(bank.version_id),
        },
    )

    assert saved.status_code == 200
    assert "Unknown field" in saved.text


def test_a_draft_batch_is_renamed_and_a_stale_rename_is_a_conflict(batch, leader_client):
    data = {"product_id": batch.product_id, "title": "改名后的批次", "version_id": batch.version_id}

    done = leader_client.post(f"/credit/batches/{batch.id}/edit", data=data)
    stale = leader_client.post(f"/credit/batches/{batch.id}/edit", data=data)

    assert done.status_code == 302
    assert stale.status_code == 409
    assert [e.action for e in audit_entries("nomination_batch", batch.id)] == ["create", "update"]


def test_a_draft_batch_is_deleted_but_a_submitted_one_stays(
    leader, submitted, product, leader_client
):
    draft = services.open_batch(leader, product.id, "误建的批次", NOW)

    deleted = leader_client.post(f"/credit/batches/{draft.id}/delete", data={"version_id": 1})
    kept = leader_client.post(
        f"/credit/batches/{submitted.batch_id}/delete",
        data={"version_id": submitted.batch.version_id},
    )

    assert deleted.status_code == 302
    assert leader_client.get(f"/credit/batches/{draft.id}").status_code == 404
    assert kept.status_code == 409


def test_the_overview_lists_only_the_managers_listed_firms(client, leader, manager, listed, batch):
    log_in(client, factories.UserFactory(sub_district_slug="jingansi"))

    page = client.get("/credit/")

    assert listed.enterprise.name not in page.text
    assert "No firm is on a white list yet." in page.text


def test_the_nominate_link_does_not_show_another_sub_districts_code(batch, logged_in):
    elsewhere = factories.EnterpriseFactory(sub_district_slug="jingansi")

    page = logged_in.get(f"/credit/nominate?enterprise_id={elsewhere.id}")

    assert page.status_code == 200
    assert elsewhere.uscc not in page.text


def test_a_tampered_request_id_is_a_field_error_not_a_500(batch, firm, logged_in):
    data = {"batch_id": batch.id, "uscc": firm.uscc, "quota_asked": "800"}

    superscript = logged_in.post("/credit/nominate", data=data | {"request_id": "²"})
    too_long = logged_in.post("/credit/nominate", data=data | {"request_id": "9" * 30})
    link = logged_in.get(f"/credit/nominate?enterprise_id={'9' * 30}&batch_id=²")

    for page in (superscript, too_long):
        assert page.status_code == 200
        assert "Not a financing request of this firm." in page.text
    assert link.status_code == 200
    assert services.live_nomination_ids(batch) == []


def test_a_product_form_refuses_nan_and_unknown_zones_and_tracks_by_field(bank, leader_client):
    data = {
        "name": "白名单贷",
        "max_quota": "NaN",
        "rate_min": "NaN",
        "rate_max": "Infinity",
        "term_months": "12",
        "zone_id": "999999",
        "track_id": "999999",
    }

    page = leader_client.post(f"/credit/banks/{bank.id}/products/new", data=data)

    assert page.status_code == 200
    assert "A quota above zero, in 10,000 yuan." in page.text
    assert page.text.count("An annual rate above 0 and up to 24 per cent.") == 2
    assert "Choose a zone from the list." in page.text
    assert "Choose an industry track from the list." in page.text
    assert bank.products == []


def test_a_product_id_past_the_databases_range_is_a_field_error(batch, leader_client):
    data = {"product_id": "9" * 30, "title": "第五批"}

    opened = leader_client.post("/credit/batches/new", data=data)
    edited = leader_client.post(
        f"/credit/batches/{batch.id}/edit", data=data | {"version_id": batch.version_id}
    )

    assert opened.status_code == 200
    assert "Choose an active product of an active bank." in opened.text
    assert edited.status_code == 200
    assert "Choose an active product of the batch&#39;s bank." in edited.text

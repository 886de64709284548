"""/api/v1/credit: scoped reads, nominating with the batch's version, decisions and loans; every
answer is checked against the OpenAPI document by the test app."""

from crm.credit import api
from models import NominationDecision
from tests import factories
from tests.credit.conftest import nominate
from tests.helpers import bearer


def test_the_banks_come_with_their_products_and_formats(client, manager, product):
    response = client.get("/api/v1/credit/banks", headers=bearer(manager))

    assert response.status_code == 200
    bank = response.json["items"][0]
    assert bank["slug"] == "bosc"
    assert bank["nomination_columns"][0] == ["name", "企业名称"]
    assert bank["products"][0]["max_quota"] == 3000.0


def test_a_batch_shows_a_manager_only_their_firms(client, manager, nominated, batch):
    other_manager = factories.UserFactory(sub_district_slug="jingansi")
    nominate(other_manager, batch, factories.EnterpriseFactory(sub_district_slug="jingansi"))

    mine = client.get(f"/api/v1/credit/batches/{batch.id}", headers=bearer(manager))
    listed = client.get("/api/v1/credit/batches", headers=bearer(manager))

    assert [row["enterprise_id"] for row in mine.json["nominations"]] == [nominated.enterprise_id]
    assert listed.json["items"][0]["id"] == batch.id


def test_other_departments_get_no_batch(client, batch):
    stec = factories.UserFactory(role="department", department_slug="stec")

    assert client.get(f"/api/v1/credit/batches/{batch.id}", headers=bearer(stec)).status_code == 404
    assert client.get("/api/v1/credit/banks", headers=bearer(stec)).status_code == 403


def test_a_manager_nominates_and_a_stale_version_is_a_conflict(client, manager, batch, firm):
    headers = bearer(manager)
    url = f"/api/v1/credit/batches/{batch.id}/nominations"

    created = client.post(
        url,
        json={"enterprise_id": firm.id, "quota_asked": "1200", "version_id": batch.version_id},
        headers=headers,
    )
    other = factories.EnterpriseFactory()
    stale = client.post(
        url,
        json={"enterprise_id": other.id, "quota_asked": 10, "version_id": 999},
        headers=bearer(manager),
    )

    assert created.status_code == 201
    assert created.json["figures"]["uscc"] == firm.uscc
    assert stale.status_code == 409
    assert "version_id" in stale.json["errors"]


def test_bad_input_names_the_field(client, manager, batch, firm):
    response = client.post(
        f"/api/v1/credit/batches/{batch.id}/nominations",
        json={"enterprise_id": firm.id, "quota_asked": "99999"},
        headers=bearer(manager),
    )

    assert response.status_code == 422
    assert list(response.json["errors"]) == ["quota_asked"]


def test_a_firm_of_another_sub_district_is_not_found(client, manager, batch):
    elsewhere = factories.EnterpriseFactory(sub_district_slug="jingansi")

    response = client.post(
        f"/api/v1/credit/batches/{batch.id}/nominations",
        json={"enterprise_id": elsewhere.id, "quota_asked": 10},
        headers=bearer(manager),
    )

    assert response.status_code == 404


def test_the_leader_records_a_decision_and_the_manager_a_loan(client, leader, manager, submitted):
    decided = client.post(
        f"/api/v1/credit/nominations/{submitted.id}/decision",
        json={
            "decision": "listed",
            "decided_on": "2026-11-20",
            "quota_granted": 500,
            "rate": "3.1",
            "term_months": 12,
            "version_id": submitted.version_id,
        },
        headers=bearer(leader),
    )
    too_much = client.post(
        f"/api/v1/credit/nominations/{submitted.id}/drawdowns",
        json={"drawn_on": "2026-11-25", "amount": 501},
        headers=bearer(manager),
    )
    drawn = client.post(
        f"/api/v1/credit/nominations/{submitted.id}/drawdowns",
        json={"drawn_on": "2026-11-25", "amount": 500},
        headers=bearer(manager),
    )

    assert decided.status_code == 200
    assert decided.json["decision"] == NominationDecision.LISTED.value
    assert decided.json["renewal_on"] == "2027-11-20"
    assert too_much.status_code == 422
    assert list(too_much.json["errors"]) == ["amount"]
    assert drawn.status_code == 201


def test_a_nominations_loans_are_listed_earliest_first_and_paged(
    client, leader, manager, submitted
):
    client.post(
        f"/api/v1/credit/nominations/{submitted.id}/decision",
        json={
            "decision": "listed",
            "decided_on": "2026-11-20",
            "quota_granted": 900,
            "rate": "3.1",
            "term_months": 12,
            "version_id": submitted.version_id,
        },
        headers=bearer(leader),
    )
    for day, amount in (("2026-11-28", 300), ("2026-11-21", 200)):
        client.post(
            f"/api/v1/credit/nominations/{submitted.id}/drawdowns",
            json={"drawn_on": day, "amount": amount},
            headers=bearer(manager),
        )
    url = f"/api/v1/credit/nominations/{submitted.id}/drawdowns"
    other_manager = factories.UserFactory(sub_district_slug="jingansi")

    first = client.get(f"{url}?per_page=1", headers=bearer(manager))
    rest = client.get(f"{url}?per_page=1&after={first.json['next']}", headers=bearer(manager))

    assert first.status_code == 200
    assert [(row["drawn_on"], row["amount"]) for row in first.json["items"]] == [
        ("2026-11-21", 200.0)
    ]
    assert first.json["total"] == 2
    assert [(row["drawn_on"], row["amount"]) for row in rest.json["items"]] == [
        ("2026-11-28", 300.0)
    ]
    assert rest.json["next"] is None
    assert client.get(url, headers=bearer(other_manager)).status_code == 404


def test_a_manager_cannot_decide_through_the_api(client, manager, submitted):
    response = client.post(
        f"/api/v1/credit/nominations/{submitted.id}/decision",
        json={"decision": "refused", "decided_on": "2026-11-20", "version_id": 1},
        headers=bearer(manager),
    )

    assert response.status_code == 403


def test_a_batchs_nominations_are_paged_by_cursor_within_the_callers_scope(
    client, manager, nominated, batch
):
    for _ in range(2):
        nominate(manager, batch, factories.EnterpriseFactory(sub_district_slug="daninglu"))
    other_manager = factories.UserFactory(sub_district_slug="jingansi")
    nominate(other_manager, batch, factories.EnterpriseFactory(sub_district_slug="jingansi"))
    url = f"/api/v1/credit/batches/{batch.id}/nominations"

    first = client.get(f"{url}?per_page=2", headers=bearer(manager))
    rest = client.get(f"{url}?per_page=2&after={first.json['next']}", headers=bearer(manager))

    assert first.status_code == 200
    assert len(first.json["items"]) == 2
    assert first.json["items"][0]["id"] == nominated.id
    assert (first.json["total"], first.json["total_is_exact"]) == (3, True)  # not jingansi's
    assert len(rest.json["items"]) == 1
    assert rest.json["next"] is None


def test_a_batchs_nominations_refuse_bad_paging_and_other_departments(client, manager, batch):
    url = f"/api/v1/credit/batches/{batch.id}/nominations"
    stec = factories.UserFactory(role="department", department_slug="stec")

    too_many = client.get(f"{url}?per_page=999", headers=bearer(manager))
    forged = client.get(f"{url}?after=not-a-cursor", headers=bearer(manager))

    assert too_many.status_code == 422
    assert list(too_many.json["errors"]) == ["per_page"]
    assert forged.status_code == 422
    assert list(forged.json["errors"]) == ["after"]
    assert client.get(url, headers=bearer(stec)).status_code == 404


def test_a_batch_past_what_its_answer_shows_says_where_the_rest_is(
    client, manager, nominated, batch, monkeypatch
):
    monkeypatch.setattr(api, "NOMINATIONS_SHOWN", 1)
    second = nominate(manager, batch, factories.EnterpriseFactory(sub_district_slug="daninglu"))

    detail = client.get(f"/api/v1/credit/batches/{batch.id}", headers=bearer(manager))
    rest = client.get(
        f"/api/v1/credit/batches/{batch.id}/nominations?after={detail.json['nominations_next']}",
        headers=bearer(manager),
    )
    monkeypatch.setattr(api, "NOMINATIONS_SHOWN", 500)
    whole = client.get(f"/api/v1/credit/batches/{batch.id}", headers=bearer(manager))

    assert [row["id"] for row in detail.json["nominations"]] == [nominated.id]
    assert [row["id"] for row in rest.json["items"]] == [second.id]
    assert len(whole.json["nominations"]) == 2
    assert whole.json["nominations_next"] is None

import secrets
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from crm.auth.lockout import LockoutPolicy
from crm.auth.services import change_own_password
from crm.clock import utcnow
from models import (
    ApiToken,
    Enterprise,
    IndustryTrack,
    SubDistrict,
    Tier,
    Zone,
    db,
)
from tests.factories import (
    PASSWORD,
    ContactFactory,
    EnterpriseFactory,
    UserFactory,
    YearlyFiguresFactory,
    reference,
    valid_uscc,
)
from tests.helpers import api_headers, api_token, audit_entries

NEW_USCC = valid_uscc(900001)


def token_header(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def admin_headers(client, admin) -> dict[str, str]:
    return api_headers(client, admin)


def firm_body(**changes: Any) -> dict[str, Any]:
    """A valid new daninglu firm, as a client would POST it."""
    body = {
        "name": "上海大宁量子计算有限公司",
        "uscc": NEW_USCC,
        "sub_district": "daninglu",
        "zone": "daning",
        "track": "quantum",
        "founded_on": "2021-06-01",
        "registered_capital": 500,
        "tier": "tech_based",
        "designations": ["tech_sme"],
    }
    return {**body, **changes}


# Tokens


def test_a_good_password_gets_a_bearer_token(client, manager):
    db.session.commit()

    response = client.post(
        "/api/v1/auth/token", json={"username": manager.username, "password": PASSWORD}
    )

    assert response.status_code == 200
    assert response.json["token_type"] == "Bearer"
    assert (
        client.get("/api/v1/enterprises", headers=token_header(response.json["token"])).status_code
        == 200
    )


def test_a_wrong_password_gets_no_token(client, manager):
    db.session.commit()

    response = client.post(
        "/api/v1/auth/token", json={"username": manager.username, "password": "wrong"}
    )

    assert response.status_code == 401
    assert "token" not in response.json


def test_a_token_request_with_missing_fields_names_them(client, app):
    response = client.post("/api/v1/auth/token", json={"username": "someone"})

    assert response.status_code == 422
    assert set(response.json["errors"]) == {"password"}


def test_a_token_request_that_is_not_json_is_a_bad_request(client, app):
    response = client.post("/api/v1/auth/token", data="username=a&password=b")

    assert response.status_code == 400
    assert "body" in response.json["errors"]


def test_the_api_refuses_requests_without_a_token(client, app):
    response = client.get("/api/v1/enterprises")

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "error" in response.json


@pytest.mark.parametrize(
    "header",
    ["Bearer not-a-token", "Bearer ", "Basic dXNlcjpwYXNz", "not-even-a-scheme"],
)
def test_the_api_refuses_malformed_authorisation(client, app, header):
    response = client.get("/api/v1/enterprises", headers={"Authorization": header})

    assert response.status_code == 401


def test_the_api_refuses_a_token_it_never_issued(client, app, manager):
    api_token(client, manager)
    made_up = "crm_" + secrets.token_urlsafe(32)

    response = client.get("/api/v1/enterprises", headers=token_header(made_up))

    assert response.status_code == 401


def test_the_api_refuses_a_token_older_than_its_lifetime(client, app, manager):
    token = api_token(client, manager)
    db.session.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()

    response = client.get("/api/v1/enterprises", headers=token_header(token))

    assert response.status_code == 401


def test_the_api_refuses_the_token_of_a_deactivated_user(client, manager):
    token = api_token(client, manager)
    manager.is_active_account = False
    db.session.commit()

    response = client.get("/api/v1/enterprises", headers=token_header(token))

    assert response.status_code == 401


def test_a_password_change_revokes_the_old_tokens(app, client, manager):
    token = api_token(client, manager)
    policy = LockoutPolicy.from_config(app.config)
    change_own_password(manager, PASSWORD, "a brand new password", utcnow(), policy)
    db.session.commit()

    response = client.get("/api/v1/enterprises", headers=token_header(token))

    assert response.status_code == 401


# Listing


@pytest.fixture
def three_firms(app) -> None:
    EnterpriseFactory(name="上海大宁人工智能有限公司", sub_district_slug="daninglu")
    EnterpriseFactory(
        name="上海市北云计算有限公司",
        sub_district_slug="pengpuzhen",
        zone=reference(Zone, "shibei"),
        track=reference(IndustryTrack, "cloud_computing"),
        tier=Tier.CANDIDATE,
    )
    EnterpriseFactory(
        name="上海南西金融科技有限公司",
        uscc="91310106MA00000X01",  # not checked here: factories write rows directly
        sub_district_slug="jingansi",
        zone=reference(Zone, "nanxi"),
        track=reference(IndustryTrack, "fintech"),
        tier=Tier.NEW_TRACK,
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"上海大宁人工智能有限公司", "上海市北云计算有限公司", "上海南西金融科技有限公司"}),
        ({"q": "云计算"}, {"上海市北云计算有限公司"}),
        ({"q": "91310106MA00000X"}, {"上海南西金融科技有限公司"}),
        ({"sub_district": "jingansi"}, {"上海南西金融科技有限公司"}),
        ({"zone": "shibei"}, {"上海市北云计算有限公司"}),
        ({"track": "ai"}, {"上海大宁人工智能有限公司"}),
        ({"tier": "candidate"}, {"上海市北云计算有限公司"}),
        ({"tier": "no-such-tier"}, set()),
        ({"q": "%"}, set()),
    ],
)
def test_the_list_filters_firms(client, admin_headers, three_firms, query, expected):
    response = client.get("/api/v1/enterprises", query_string=query, headers=admin_headers)

    assert response.status_code == 200
    assert {item["name"] for item in response.json["items"]} == expected
    assert response.json["total"] == len(expected)


def test_the_list_pages_through_the_firms(client, admin_headers):
    for n in range(5):
        EnterpriseFactory(name=f"Firm {n}")
    db.session.commit()

    response = client.get(
        "/api/v1/enterprises", query_string={"page": 2, "per_page": 2}, headers=admin_headers
    )

    assert response.status_code == 200
    assert [item["name"] for item in response.json["items"]] == ["Firm 2", "Firm 3"]
    assert (response.json["total"], response.json["page"], response.json["per_page"]) == (5, 2, 2)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"per_page": 0}, "per_page"),
        ({"per_page": 201}, "per_page"),
        ({"per_page": "abc"}, "per_page"),
        ({"page": 0}, "page"),
        ({"page": "two"}, "page"),
    ],
)
def test_out_of_range_paging_is_refused_and_named(client, admin_headers, query, field):
    response = client.get("/api/v1/enterprises", query_string=query, headers=admin_headers)

    assert response.status_code == 422
    assert list(response.json["errors"]) == [field]


# Reading one firm


def test_one_firm_comes_with_its_figures_and_contacts(client, admin_headers):
    firm = EnterpriseFactory(name="上海大宁智算科技有限公司")
    YearlyFiguresFactory(enterprise=firm, year=2024, revenue=4000)
    YearlyFiguresFactory(enterprise=firm, year=2025, revenue=5000)
    ContactFactory(enterprise=firm, name="张伟")
    db.session.commit()

    response = client.get(f"/api/v1/enterprises/{firm.id}", headers=admin_headers)

    assert response.status_code == 200
    assert response.json["name"] == "上海大宁智算科技有限公司"
    assert response.json["version_id"] == 1
    assert [(f["year"], f["revenue"]) for f in response.json["yearly_figures"]] == [
        (2024, 4000.0),
        (2025, 5000.0),
    ]
    assert [c["name"] for c in response.json["contacts"]] == ["张伟"]


def test_an_unknown_firm_answers_404_in_json(client, admin_headers):
    response = client.get("/api/v1/enterprises/999999", headers=admin_headers)

    assert response.status_code == 404
    assert "error" in response.json


# Creating


def test_post_creates_a_firm_and_answers_201_with_its_location(client, admin_headers, admin):
    response = client.post("/api/v1/enterprises", json=firm_body(), headers=admin_headers)

    assert response.status_code == 201
    assert response.json["name"] == "上海大宁量子计算有限公司"
    assert response.json["registered_capital"] == 500.0
    assert response.json["designations"] == ["tech_sme"]
    firm = db.session.get(Enterprise, response.json["id"])
    assert firm is not None
    assert firm.uscc == NEW_USCC
    assert response.headers["Location"] == f"/api/v1/enterprises/{firm.id}"
    assert client.get(response.headers["Location"], headers=admin_headers).status_code == 200
    [entry] = audit_entries("enterprise", firm.id)
    assert (entry.action, entry.actor_id) == ("create", admin.id)
    assert entry.changes["name"] == [None, "上海大宁量子计算有限公司"]


def test_post_normalises_a_lowercase_credit_code(client, admin_headers):
    response = client.post(
        "/api/v1/enterprises", json=firm_body(uscc=NEW_USCC.lower()), headers=admin_headers
    )

    assert response.status_code == 201
    assert response.json["uscc"] == NEW_USCC


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"uscc": NEW_USCC[:17] + ("0" if NEW_USCC[17] != "0" else "1")}, "uscc"),
        ({"uscc": "91310106MA0000000"}, "uscc"),
        ({"zone": "atlantis"}, "zone"),
        ({"sub_district": "atlantis"}, "sub_district"),
        ({"track": "alchemy"}, "track"),
        ({"name": ""}, "name"),
        ({"name": 42}, "name"),
        ({"registered_capital": "abc"}, "registered_capital"),
        ({"registered_capital": "NaN"}, "registered_capital"),
        ({"registered_capital": -1}, "registered_capital"),
        ({"registered_capital": 10**15}, "registered_capital"),
        ({"founded_on": "2020-02-30"}, "founded_on"),
        ({"founded_on": "2999-01-01"}, "founded_on"),
        ({"tier": "legend"}, "tier"),
        ({"designations": "unicorn"}, "designations"),
        ({"designations": ["dragon"]}, "designations"),
        ({"in_hundred_enterprises_plan": "yes"}, "in_hundred_enterprises_plan"),
        ({"manager": "nobody"}, "manager"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_post_refuses_an_invalid_field_and_names_it(client, admin_headers, changes, field):
    response = client.post("/api/v1/enterprises", json=firm_body(**changes), headers=admin_headers)

    assert response.status_code == 422
    assert list(response.json["errors"]) == [field]
    assert all(isinstance(message, str) for message in response.json["errors"][field])
    assert db.session.scalar(select(Enterprise.id)) is None


def test_post_refuses_a_missing_required_field(client, admin_headers):
    body = firm_body()
    del body["name"]

    response = client.post("/api/v1/enterprises", json=body, headers=admin_headers)

    assert response.status_code == 422
    assert response.json["errors"] == {"name": ["This field is required."]}


def test_post_names_every_bad_field_of_the_same_kind_at_once(client, admin_headers):
    body = firm_body(uscc="91310106MA0000000Q", zone="atlantis", track="alchemy")

    response = client.post("/api/v1/enterprises", json=body, headers=admin_headers)

    assert response.status_code == 422
    assert set(response.json["errors"]) == {"uscc", "zone", "track"}


def test_post_refuses_a_credit_code_another_firm_has(client, admin_headers):
    existing = EnterpriseFactory()
    db.session.commit()

    response = client.post(
        "/api/v1/enterprises", json=firm_body(uscc=existing.uscc), headers=admin_headers
    )

    assert response.status_code == 422
    assert response.json["errors"]["uscc"] == ["Another firm already has this code."]


def test_post_of_something_other_than_a_json_object_is_a_bad_request(client, admin_headers):
    responses = [
        client.post("/api/v1/enterprises", data="name=x", headers=admin_headers),
        client.post("/api/v1/enterprises", json=["not", "an", "object"], headers=admin_headers),
    ]

    assert [response.status_code for response in responses] == [400, 400]


# Changing


@pytest.fixture
def firm(app) -> Enterprise:
    return EnterpriseFactory(name="上海大宁智算科技有限公司", registered_capital=1000)


@pytest.fixture
def patch_firm(client, admin_headers, firm):
    """Sends a PATCH of the firm as the admin; the firm is committed, so the request sees it."""
    db.session.commit()
    return lambda body: client.patch(
        f"/api/v1/enterprises/{firm.id}", json=body, headers=admin_headers
    )


def test_patch_changes_the_fields_sent_and_bumps_the_version(patch_firm, firm):
    response = patch_firm(
        {"version_id": 1, "name": "上海大宁算力科技有限公司", "tier": "candidate"}
    )

    assert response.status_code == 200
    assert response.json["version_id"] == 2
    assert response.json["name"] == "上海大宁算力科技有限公司"
    assert response.json["tier"] == "candidate"
    assert response.json["track"] == "ai"
    assert db.session.get(Enterprise, firm.id).version_id == 2


def test_patch_writes_an_audit_entry_with_before_and_after(patch_firm, admin, firm):
    patch_firm({"version_id": 1, "name": "上海大宁算力科技有限公司", "registered_capital": 1000})

    update = audit_entries("enterprise", firm.id)[-1]
    assert (update.action, update.actor_id) == ("update", admin.id)
    assert update.changes == {"name": ["上海大宁智算科技有限公司", "上海大宁算力科技有限公司"]}


def test_patch_that_changes_nothing_keeps_the_version_and_writes_no_audit(patch_firm, firm):
    response = patch_firm(
        {"version_id": 1, "name": f" {firm.name} ", "registered_capital": "1000.0"}
    )

    assert response.status_code == 200
    assert response.json["version_id"] == 1
    assert audit_entries("enterprise", firm.id) == []


def test_patch_with_a_stale_version_answers_409_and_keeps_the_first_change(patch_firm, firm):
    first = patch_firm({"version_id": 1, "name": "First change"})

    second = patch_firm({"version_id": 1, "name": "Second change"})

    assert first.status_code == 200
    assert second.status_code == 409
    assert "version_id" in second.json["errors"]
    assert db.session.get(Enterprise, firm.id).name == "First change"


@pytest.mark.parametrize(
    "version", [None, "1", True, 1.0], ids=["missing", "text", "bool", "float"]
)
def test_patch_without_a_whole_number_version_id_is_refused(patch_firm, firm, version):
    body: dict[str, Any] = {"name": "Renamed"}
    if version is not None:
        body["version_id"] = version

    response = patch_firm(body)

    assert response.status_code == 422
    assert list(response.json["errors"]) == ["version_id"]
    assert db.session.get(Enterprise, firm.id).name == "上海大宁智算科技有限公司"


def test_patch_with_an_invalid_field_changes_nothing(patch_firm, firm):
    response = patch_firm({"version_id": 1, "name": "Renamed", "zone": "atlantis"})

    assert response.status_code == 422
    assert list(response.json["errors"]) == ["zone"]
    refreshed = db.session.get(Enterprise, firm.id)
    assert (refreshed.name, refreshed.version_id) == ("上海大宁智算科技有限公司", 1)


def test_patch_of_an_unknown_firm_answers_404(client, admin_headers):
    response = client.patch(
        "/api/v1/enterprises/999999", json={"version_id": 1}, headers=admin_headers
    )

    assert response.status_code == 404


# CSRF does not apply to the bearer-token API


def test_the_api_works_without_csrf_tokens_when_csrf_protection_is_on(csrf_app):
    client = csrf_app.test_client()
    firm = EnterpriseFactory(sub_district=reference(SubDistrict, "jingansi"))

    headers = api_headers(client, UserFactory(role="admin"))  # the token: answered 200
    created = client.post("/api/v1/enterprises", json=firm_body(), headers=headers)
    patched = client.patch(
        f"/api/v1/enterprises/{firm.id}", json={"version_id": 1, "name": "Renamed"}, headers=headers
    )

    assert created.status_code == 201
    assert patched.status_code == 200

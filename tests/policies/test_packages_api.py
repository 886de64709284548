import pytest

from crm.policies import services
from tests import factories
from tests.helpers import PACKAGE_NOW as NOW
from tests.helpers import bearer, instrument


def body(firm, *items):
    return {
        "enterprise_id": firm.id,
        "title": "Support",
        "items": [
            {"instrument_id": instrument(slug).id, "amount": amount} for slug, amount in items
        ],
    }


def test_a_manager_proposes_through_the_api(client, manager, firm):
    response = client.post(
        "/api/v1/packages", json=body(firm, ("rent_subsidy", 12000)), headers=bearer(manager)
    )

    assert response.status_code == 201
    assert response.json["state"] == "proposed"
    assert response.headers["Location"] == f"/api/v1/packages/{response.json['id']}"


def test_the_api_names_the_item_over_the_ceiling(client, manager, firm):
    items = (("rent_subsidy", 1), ("credit_whitelist", 2))

    response = client.post("/api/v1/packages", json=body(firm, *items), headers=bearer(manager))

    assert response.status_code == 422
    assert list(response.json["errors"]) == ["items[1].amount"]


def test_the_api_refuses_a_role_that_cannot_propose_and_a_firm_outside_scope(
    client, manager, leader
):
    elsewhere = factories.EnterpriseFactory(sub_district_slug="jingansi")
    payload = body(elsewhere, ("rent_subsidy", 1))

    as_leader = client.post("/api/v1/packages", json=payload, headers=bearer(leader))
    as_manager = client.post("/api/v1/packages", json=payload, headers=bearer(manager))

    assert (as_leader.status_code, as_manager.status_code) == (403, 404)


def test_the_api_needs_a_token(client):
    assert client.get("/api/v1/packages").status_code == 401


def test_the_api_lists_packages_by_firm_and_state(client, manager, proposed, firm):
    response = client.get(
        f"/api/v1/packages?enterprise_id={firm.id}&state=proposed", headers=bearer(manager)
    )

    assert response.json["total"] == 1
    assert response.json["items"][0]["id"] == proposed.id


def test_a_leader_decides_through_the_api(client, leader, proposed):
    response = client.post(
        f"/api/v1/packages/{proposed.id}/decision",
        json={"decision": "approve", "version_id": proposed.version_id},
        headers=bearer(leader),
    )

    assert response.status_code == 200
    assert response.json["state"] == "approved"


@pytest.mark.parametrize(
    ("who", "payload", "status"),
    [
        ("manager", {"decision": "approve"}, 403),
        ("leader", {"decision": "maybe"}, 422),
        ("leader", {"decision": "approve", "version_shift": -1}, 409),
    ],
)
def test_the_api_refuses_bad_decisions(client, manager, leader, proposed, who, payload, status):
    user = {"manager": manager, "leader": leader}[who]
    version = proposed.version_id + payload.pop("version_shift", 0)

    response = client.post(
        f"/api/v1/packages/{proposed.id}/decision",
        json={**payload, "version_id": version},
        headers=bearer(user),
    )

    assert response.status_code == status
    assert "errors" in response.json or status == 403


def test_the_api_refuses_a_second_decision(client, leader, proposed):
    services.decide_package(leader, proposed, "approve", None, proposed.version_id, NOW)

    response = client.post(
        f"/api/v1/packages/{proposed.id}/decision",
        json={"decision": "reject", "comment": "No", "version_id": proposed.version_id},
        headers=bearer(leader),
    )

    assert response.status_code == 409
    assert "state" in response.json["errors"]


def test_a_package_outside_scope_is_not_found(client, proposed):
    other = factories.UserFactory(role="manager", sub_district_slug="jingansi")

    response = client.get(f"/api/v1/packages/{proposed.id}", headers=bearer(other))

    assert response.status_code == 404

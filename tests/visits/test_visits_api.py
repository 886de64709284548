from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from models import AuditEntry, RedFlag, Visit, db
from tests.factories import EnterpriseFactory, UserFactory
from tests.helpers import api_headers
from tests.visits.helpers import TODAY, logged, phone_call


@pytest.fixture
def headers(client, manager) -> dict[str, str]:
    return api_headers(client, manager)


def body(firm, **changes: Any) -> dict[str, Any]:
    return {
        "enterprise_id": firm.id,
        "visited_on": TODAY.isoformat(),
        "kind": "on_site",
        "summary": "Met the founders.",
        "red_flags": {flag.value: False for flag in RedFlag},
    } | changes


def test_a_visit_is_logged_through_the_api(client, headers, firm):
    response = client.post("/api/v1/visits", json=body(firm), headers=headers)

    assert response.status_code == 201
    assert response.json["red_flags_asked"] is True
    assert response.headers["Location"] == f"/api/v1/visits/{response.json['id']}"
    created = db.session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "visit"))
    assert created is not None
    assert created.action == "create"


def test_invalid_fields_are_named_in_a_422(client, headers, firm):
    flags = {flag.value: False for flag in RedFlag} | {"move_out": True}
    data = body(firm, summary="", red_flags=flags)

    response = client.post("/api/v1/visits", json=data, headers=headers)

    assert response.status_code == 422
    assert set(response.json["errors"]) == {"summary", "move_out_reason"}


def test_a_badly_typed_field_is_a_422(client, headers, firm):
    response = client.post(
        "/api/v1/visits", json=body(firm, visited_on="yesterday"), headers=headers
    )

    assert response.status_code == 422
    assert "visited_on" in response.json["errors"]


def test_a_firm_outside_the_managers_scope_is_a_404(client, headers):
    elsewhere = EnterpriseFactory(sub_district_slug="jingansi")

    response = client.post("/api/v1/visits", json=body(elsewhere), headers=headers)

    assert response.status_code == 404


def test_a_recent_visit_by_another_user_answers_409_until_confirmed(client, headers, firm):
    earlier = logged(UserFactory(role="leader"), firm, phone_call(TODAY - timedelta(days=2)))
    db.session.commit()

    warned = client.post("/api/v1/visits", json=body(firm), headers=headers)
    confirmed = client.post(
        "/api/v1/visits", json=body(firm, confirm_duplicate=True), headers=headers
    )

    assert warned.status_code == 409
    assert [visit["id"] for visit in warned.json["recent"]] == [earlier.id]
    assert "confirm_duplicate" in warned.json["errors"]
    assert confirmed.status_code == 201


def test_the_api_needs_a_token(client, firm):
    assert client.get("/api/v1/visits").status_code == 401
    assert client.post("/api/v1/visits", json=body(firm)).status_code == 401


def test_visits_are_listed_by_firm_and_date(client, headers, manager, firm):
    other = EnterpriseFactory()
    logged(manager, firm, phone_call(TODAY - timedelta(days=20)))
    wanted = logged(manager, firm, phone_call(TODAY - timedelta(days=1)))
    logged(manager, other, phone_call(TODAY))
    db.session.commit()
    since = (TODAY - timedelta(days=5)).isoformat()

    response = client.get(f"/api/v1/visits?enterprise_id={firm.id}&since={since}", headers=headers)

    assert response.status_code == 200
    assert response.json["total"] == 1
    assert [item["id"] for item in response.json["items"]] == [wanted.id]


def test_a_bad_filter_is_a_422(client, headers):
    response = client.get("/api/v1/visits?since=soon&per_page=0", headers=headers)

    assert response.status_code == 422
    assert set(response.json["errors"]) == {"since", "per_page"}


def test_one_visit_is_read_and_a_deleted_one_is_a_404(client, headers, manager, firm):
    visit = logged(manager, firm, phone_call())
    db.session.commit()

    found = client.get(f"/api/v1/visits/{visit.id}", headers=headers)
    db.session.get(Visit, visit.id).deleted_at = visit.created_at
    db.session.commit()
    gone = client.get(f"/api/v1/visits/{visit.id}", headers=headers)

    assert found.json["summary"] == "Quick call."
    assert gone.status_code == 404

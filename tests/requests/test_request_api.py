"""The requests API: list, detail, create and workflow steps, with their refusals."""

from datetime import timedelta

import pytest

from crm.clock import today
from models import RequestState, db
from tests.factories import EnterpriseRequestFactory
from tests.helpers import api_headers


def test_the_list_is_scoped_filtered_and_flags_overdue_requests(client, firm, finance_staff):
    late = EnterpriseRequestFactory(enterprise=firm, due_on=today() - timedelta(days=2))
    EnterpriseRequestFactory(enterprise=firm, due_on=today() + timedelta(days=2))
    EnterpriseRequestFactory(enterprise=firm, department_slug="stec")
    headers = api_headers(client, finance_staff)

    everything = client.get("/api/v1/requests", headers=headers).json
    overdue = client.get("/api/v1/requests?overdue=true", headers=headers).json

    assert everything["total"] == 2
    assert [item["id"] for item in overdue["items"]] == [late.id]
    assert overdue["items"][0]["is_overdue"] is True


def test_an_invalid_filter_is_named_in_a_422(client, manager):
    headers = api_headers(client, manager)

    response = client.get("/api/v1/requests?state=lost&per_page=0", headers=headers)

    assert response.status_code == 422
    assert set(response.json["errors"]) == {"state", "per_page"}


def test_another_departments_request_answers_404(client, open_request, stec_staff):
    response = client.get(
        f"/api/v1/requests/{open_request.id}", headers=api_headers(client, stec_staff)
    )

    assert response.status_code == 404


def test_creating_routes_by_category_and_answers_201_with_events(client, firm, manager):
    body = {
        "enterprise_id": firm.id,
        "category": "intellectual_property",
        "description": "专利质押",
    }

    response = client.post("/api/v1/requests", json=body, headers=api_headers(client, manager))

    assert response.status_code == 201
    assert response.json["department"] == "market_regulation"
    assert response.json["due_on"] == (today() + timedelta(days=15)).isoformat()
    assert [event["action"] for event in response.json["events"]] == ["create"]
    assert response.headers["Location"] == f"/api/v1/requests/{response.json['id']}"


def test_creating_with_missing_or_wrong_fields_names_them(client, firm, manager):
    body = {"enterprise_id": firm.id, "category": "rockets", "due_on": "soon"}

    response = client.post("/api/v1/requests", json=body, headers=api_headers(client, manager))

    assert response.status_code == 422
    assert set(response.json["errors"]) == {"description", "due_on"}


def test_creating_for_a_firm_outside_scope_answers_404(client, other_firm, manager):
    body = {"enterprise_id": other_firm.id, "category": "other", "description": "x"}

    response = client.post("/api/v1/requests", json=body, headers=api_headers(client, manager))

    assert response.status_code == 404


def test_the_whole_workflow_runs_through_the_api(client, open_request, finance_staff, manager):
    staff, firm_side = api_headers(client, finance_staff), api_headers(client, manager)
    url = f"/api/v1/requests/{open_request.id}/transitions"
    steps = [
        (staff, {"action": "accept", "version_id": open_request.version_id}),
        (staff, {"action": "start"}),
        (staff, {"action": "resolve", "answer": "已对接银行"}),
        (firm_side, {"action": "close", "satisfaction": 4, "note": "企业满意"}),
    ]

    answers = [client.post(url, json=body, headers=headers) for headers, body in steps]

    assert [answer.status_code for answer in answers] == [200] * 4
    final = answers[-1].json
    assert final["state"] == "closed"
    assert [e["to_state"] for e in final["events"]] == [
        "accepted",
        "in_progress",
        "resolved",
        "closed",
    ]


def test_a_step_not_allowed_from_the_state_answers_409(client, open_request, finance_staff):
    response = client.post(
        f"/api/v1/requests/{open_request.id}/transitions",
        json={"action": "resolve", "answer": "x"},
        headers=api_headers(client, finance_staff),
    )

    assert response.status_code == 409
    assert "action" in response.json["errors"]


@pytest.mark.parametrize(
    ("caller", "status"),
    [("manager", 403), ("stec_staff", 404)],  # a role not allowed; another department's request
)
def test_a_step_by_someone_else_is_refused(client, request, open_request, caller, status):
    response = client.post(
        f"/api/v1/requests/{open_request.id}/transitions",
        json={"action": "accept"},
        headers=api_headers(client, request.getfixturevalue(caller)),
    )

    assert response.status_code == status


def test_closing_without_satisfaction_answers_422(client, open_request, manager):
    open_request.state = RequestState.RESOLVED
    db.session.flush()

    response = client.post(
        f"/api/v1/requests/{open_request.id}/transitions",
        json={"action": "close"},
        headers=api_headers(client, manager),
    )

    assert response.status_code == 422
    assert list(response.json["errors"]) == ["satisfaction"]


def test_a_stale_version_answers_409_naming_version_id(client, open_request, finance_staff):
    response = client.post(
        f"/api/v1/requests/{open_request.id}/transitions",
        json={"action": "accept", "version_id": open_request.version_id + 3},
        headers=api_headers(client, finance_staff),
    )

    assert response.status_code == 409
    assert "version_id" in response.json["errors"]


def test_a_request_without_a_token_answers_401(client):
    assert client.get("/api/v1/requests").status_code == 401

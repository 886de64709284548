"""The bad-input corpus of the API (issue 14): every write endpoint, every kind of bad JSON.

Each case answers a clear 4xx naming the field at fault ("body" when the document itself is
bad), and writes nothing.
"""

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from models import AuditEntry, Enterprise, EnterpriseRequest, RedFlag, User, Visit
from tests.factories import PASSWORD, EnterpriseFactory, UserFactory, valid_uscc
from tests.helpers import api_headers, row_count

FIELD = "the field"  # stands for the field each endpoint's body puts the bad value in
BAD_JSON_VALUES = {  # raw JSON text where a string field's value goes: (status, errors key)
    "lone surrogate escape": (b'"\\ud800"', 422, FIELD),
    "lone surrogate as bytes": (b'"\xed\xa0\x80"', 422, FIELD),
    "NUL": (b'"a\\u0000b"', 422, FIELD),
    "terminal escape": (b'"\\u001b[2J"', 422, FIELD),
    "NaN": (b"NaN", 422, FIELD),
    "wrong type": (b"[1, 2]", 422, FIELD),
    "a thousand levels deep": (b"[" * 1000 + b"]" * 1000, 400, "body"),
    "two mebibytes": (b'"' + b"x" * 2 * 1024 * 1024 + b'"', 400, "body"),
}
BAD_JSON_BODIES = {
    "empty": b"",
    "an array": b"[]",
    "cut short": b'{"name": ',
    "NUL key": b'{"\\u0000": 1}',
}
PLACEHOLDER = "@@bad@@"


@dataclass(frozen=True)
class WriteEndpoint:
    method: str
    url: str
    body: dict[str, Any]
    field: str  # the string field the bad value replaces

    def send(self, client: FlaskClient, headers: dict[str, str], raw: bytes) -> TestResponse:
        return client.open(
            self.url, method=self.method, data=raw, content_type="application/json", headers=headers
        )

    def with_value(self, raw_value: bytes) -> bytes:
        text = json.dumps({**self.body, self.field: PLACEHOLDER}).encode()
        return text.replace(json.dumps(PLACEHOLDER).encode(), raw_value)


def write_endpoints(firm: Enterprise, manager: User) -> list[WriteEndpoint]:
    new_firm = {
        "name": "上海大宁量子计算有限公司",
        "uscc": valid_uscc(900001),
        "sub_district": "daninglu",
        "zone": "daning",
        "track": "quantum",
    }
    visit = {
        "enterprise_id": firm.id,
        "visited_on": date.today().isoformat(),
        "kind": "on_site",
        "summary": "Met the founders.",
        "red_flags": {flag.value: False for flag in RedFlag},
    }
    request = {"enterprise_id": firm.id, "category": "financing", "description": "贷款贴息"}
    login = {"username": manager.username, "password": PASSWORD}
    return [
        WriteEndpoint("POST", "/api/v1/auth/token", login, "username"),
        WriteEndpoint("POST", "/api/v1/enterprises", new_firm, "name"),
        WriteEndpoint(
            "PATCH", f"/api/v1/enterprises/{firm.id}", {"version_id": firm.version_id}, "address"
        ),
        WriteEndpoint("POST", "/api/v1/visits", visit, "summary"),
        WriteEndpoint("POST", "/api/v1/requests", request, "description"),
    ]


def stored_rows() -> list[int]:
    tables = (Enterprise, Visit, EnterpriseRequest, AuditEntry)
    return [row_count(table) for table in tables]


@pytest.fixture
def api_setup(client, manager) -> tuple[dict[str, str], list[WriteEndpoint]]:
    firm = EnterpriseFactory(sub_district_slug="daninglu", manager=manager)
    UserFactory(role="department", department_slug="finance")
    return api_headers(client, manager), write_endpoints(firm, manager)


@pytest.mark.parametrize("case", BAD_JSON_VALUES)
def test_a_bad_json_value_on_every_write_endpoint_is_named_and_writes_nothing(
    client, api_setup, case
):
    headers, endpoints = api_setup
    raw_value, status, key = BAD_JSON_VALUES[case]
    before = stored_rows()

    answers = [
        (endpoint.url, endpoint.send(client, headers, endpoint.with_value(raw_value)))
        for endpoint in endpoints
    ]

    expected = [
        (endpoint.url, status, endpoint.field if key == FIELD else key) for endpoint in endpoints
    ]
    assert [
        (url, answer.status_code, next(iter(answer.json["errors"]), None))
        for url, answer in answers
    ] == expected
    assert stored_rows() == before


@pytest.mark.parametrize("case", BAD_JSON_BODIES)
def test_a_body_that_is_no_json_object_answers_400_for_the_body(client, api_setup, case):
    headers, endpoints = api_setup
    before = stored_rows()

    answers = [endpoint.send(client, headers, BAD_JSON_BODIES[case]) for endpoint in endpoints]

    assert [(answer.status_code, answer.json["errors"].keys()) for answer in answers] == [
        (400, {"body"})
    ] * len(endpoints)
    assert stored_rows() == before


def test_a_nested_bad_string_is_named_by_its_path(client, api_setup):
    headers, endpoints = api_setup
    create_firm = endpoints[1]
    raw = json.dumps({**create_firm.body, "designations": ["tech_sme", "\u0000"]}).encode()

    response = create_firm.send(client, headers, raw)

    assert response.status_code == 422
    assert list(response.json["errors"]) == ["designations[1]"]
    assert "U+0000" in response.json["errors"]["designations[1]"][0]


def test_a_visit_date_at_the_end_of_the_calendar_is_an_error_on_its_field(client, manager):
    firm = EnterpriseFactory()
    headers = api_headers(client, manager)
    body = {"enterprise_id": firm.id, "kind": "on_site", "summary": "Talked."}

    too_early = client.post(
        "/api/v1/visits", json={**body, "visited_on": "0001-01-01"}, headers=headers
    )
    too_far = client.post(
        "/api/v1/visits",
        json={**body, "visited_on": "2026-01-05", "next_visit_on": "9999-12-31"},
        headers=headers,
    )

    assert too_early.status_code == too_far.status_code == 422
    assert "visited_on" in too_early.json["errors"]
    assert "next_visit_on" in too_far.json["errors"]
    assert row_count(Visit) == 0

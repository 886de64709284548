"""Simultaneous writes: many people saving one record at the version they all read, and many
writers on one SQLite file.

Real threads, each with its own test client (so its own session and database connection),
released together by a barrier. The database is a file, or TEST_DATABASE_URL's PostgreSQL: an
in-memory SQLite database is a single connection, which threads cannot share.
"""

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import TypeVar

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from crm.config import normalise_database_url
from models import (
    Enterprise,
    EnterpriseRequest,
    PackageState,
    PolicyPackage,
    RedFlag,
    RequestState,
    User,
    Visit,
    db,
)
from tests import factories
from tests.enterprises.test_enterprise_views import form_on
from tests.factories import EnterpriseRequestFactory
from tests.helpers import (
    TEST_DATABASE_URL,
    api_headers,
    app_with_empty_database,
    audit_entries,
    item,
    propose,
    row_count,
    settings_for,
)

EDITORS = 20  # people saving one record at once, as in the report of issue 14
WRITERS, WRITES_EACH = 50, 4  # account managers logging visits at once
T = TypeVar("T")
BARRIER_SECONDS = 120  # only a bug waits this long: a thread that never reaches the barrier


@pytest.fixture
def shared_app(tmp_path: Path) -> Iterator[Flask]:
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'crm.sqlite3'}"
    yield from app_with_empty_database(
        settings_for(tmp_path)
        | {
            "SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
            # Enough connections for every thread at once: none waits for the pool instead of
            # for the database.
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 5, "max_overflow": WRITERS},
        }
    )


def logged_in_clients(app: Flask, user: User, count: int) -> list[FlaskClient]:
    """`count` browsers sharing one login (one login, so no throttle counts them)."""
    db.session.commit()
    first = app.test_client()
    response = first.post(
        "/login", data={"username": user.username, "password": factories.PASSWORD}
    )
    assert response.status_code == 302, response.text
    clients = [first]
    for _ in range(count - 1):
        other = app.test_client()
        for cookie in first._cookies.values():
            other.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
        clients.append(other)
    return clients


def all_at_once(clients: list[FlaskClient], send: Callable[[FlaskClient, int], T]) -> list[T]:
    """Each client sends its request at the same moment, on its own thread."""
    db.session.close()  # the test's own session holds no connection meanwhile
    barrier = threading.Barrier(len(clients), timeout=BARRIER_SECONDS)

    def run(index: int) -> T:
        barrier.wait()
        return send(clients[index], index)

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        return list(pool.map(run, range(len(clients))))


def api_calls_at_once(
    app: Flask,
    user: User,
    url: str,
    body: Callable[[int], dict[str, object]],
    method: str = "POST",
    count: int = EDITORS,
) -> list[TestResponse]:
    """`count` API clients of `user` send their `body(n)` to `url` at the same moment."""
    headers = api_headers(app.test_client(), user)
    clients = [app.test_client() for _ in range(count)]
    return all_at_once(
        clients,
        lambda client, n: client.open(url, method=method, json=body(n), headers=headers),
    )


def statuses(responses: list[TestResponse]) -> Counter[int]:
    return Counter(response.status_code for response in responses)


# The API: exactly one 200, every other answer the documented 409 --------------------------------


def test_twenty_simultaneous_patches_of_one_firm_give_one_success_and_409s(shared_app):
    manager = factories.UserFactory(role="manager", sub_district_slug="daninglu")
    firm = factories.EnterpriseFactory(sub_district_slug="daninglu")
    firm_id, version = firm.id, firm.version_id

    responses = api_calls_at_once(
        shared_app,
        manager,
        f"/api/v1/enterprises/{firm_id}",
        lambda n: {"version_id": version, "notes": f"editor {n}"},
        method="PATCH",
    )

    assert statuses(responses) == {200: 1, 409: EDITORS - 1}
    assert all(r.json["error"] for r in responses if r.status_code == 409)
    saved = db.session.get_one(Enterprise, firm_id)
    winner = next(r for r in responses if r.status_code == 200)
    assert (saved.version_id, saved.notes) == (version + 1, winner.json["notes"])
    assert _audited("enterprise", firm_id, "update") == 1


def test_twenty_simultaneous_decisions_on_one_package_give_one_success_and_409s(shared_app):
    manager = factories.UserFactory(role="manager", sub_district_slug="daninglu")
    leader = factories.UserFactory(role="leader")
    package = propose(manager, factories.EnterpriseFactory(), item("rent_subsidy", "12000"))
    package_id, version = package.id, package.version_id

    responses = api_calls_at_once(
        shared_app,
        leader,
        f"/api/v1/packages/{package_id}/decision",
        lambda n: {"decision": "reject", "comment": f"leader {n}", "version_id": version},
    )

    assert statuses(responses) == {200: 1, 409: EDITORS - 1}
    assert all(r.json["error"] for r in responses if r.status_code == 409)
    assert db.session.get_one(PolicyPackage, package_id).state == PackageState.REJECTED
    assert _audited("package", package_id, "decide") == 1


def test_twenty_simultaneous_transitions_of_one_request_give_one_success_and_409s(shared_app):
    staff = factories.UserFactory(role="department", department_slug="finance")
    enterprise_request = EnterpriseRequestFactory()
    request_id, version = enterprise_request.id, enterprise_request.version_id

    responses = api_calls_at_once(
        shared_app,
        staff,
        f"/api/v1/requests/{request_id}/transitions",
        lambda _n: {"action": "accept", "version_id": version},
    )

    assert statuses(responses) == {200: 1, 409: EDITORS - 1}
    assert all(r.json["error"] for r in responses if r.status_code == 409)
    saved = db.session.get_one(EnterpriseRequest, request_id)
    assert saved.state == RequestState.ACCEPTED
    assert [event.action for event in saved.events] == ["accept"]


# The pages: one saves, the others are told why, never a 500 --------------------------------------


def test_simultaneous_saves_of_one_firms_edit_form_save_once_and_tell_the_others(shared_app):
    manager = factories.UserFactory(role="manager", sub_district_slug="daninglu")
    firm_id = factories.EnterpriseFactory(sub_district_slug="daninglu").id
    clients = logged_in_clients(shared_app, manager, EDITORS)
    form = form_on(clients[0].get(f"/enterprises/{firm_id}/edit").text)

    def save(client: FlaskClient, n: int) -> TestResponse:
        mine = form.copy()
        mine["notes"] = f"editor {n}"
        return client.post(f"/enterprises/{firm_id}/edit", data=mine)

    responses = all_at_once(clients, save)

    assert statuses(responses)[302] == 1
    assert all(r.status_code in {200, 409} for r in responses if r.status_code != 302)
    assert all("Someone else" in r.text for r in responses if r.status_code != 302)
    assert db.session.get_one(Enterprise, firm_id).version_id == 2


def test_simultaneous_decisions_on_the_package_page_decide_once(shared_app):
    manager = factories.UserFactory(role="manager", sub_district_slug="daninglu")
    leader = factories.UserFactory(role="leader")
    package = propose(manager, factories.EnterpriseFactory(), item("rent_subsidy", "12000"))
    package_id, version = package.id, package.version_id
    clients = logged_in_clients(shared_app, leader, EDITORS)

    responses = all_at_once(
        clients,
        lambda client, _n: client.post(
            f"/packages/{package_id}/decision",
            data={"decision": "approve", "version_id": version},
        ),
    )

    assert statuses(responses) == {302: 1, 409: EDITORS - 1}
    assert db.session.get_one(PolicyPackage, package_id).state == PackageState.APPROVED


def test_simultaneous_steps_on_the_request_page_move_it_once(shared_app):
    staff = factories.UserFactory(role="department", department_slug="finance")
    enterprise_request = EnterpriseRequestFactory()
    request_id, version = enterprise_request.id, enterprise_request.version_id
    clients = logged_in_clients(shared_app, staff, EDITORS)

    responses = all_at_once(
        clients,
        lambda client, _n: client.post(
            f"/requests/{request_id}/steps", data={"action": "accept", "version_id": version}
        ),
    )

    assert statuses(responses) == {302: 1, 409: EDITORS - 1}
    saved = db.session.get_one(EnterpriseRequest, request_id)
    assert [event.action for event in saved.events] == ["accept"]


# Many writers ------------------------------------------------------------------------------------


def test_fifty_managers_logging_visits_at_once_all_succeed(shared_app):
    manager = factories.UserFactory(role="manager", sub_district_slug="daninglu")
    firm_ids = [factories.EnterpriseFactory().id for _ in range(WRITERS)]
    headers = api_headers(shared_app.test_client(), manager)
    clients = [shared_app.test_client() for _ in range(WRITERS)]

    def log_visits(client: FlaskClient, n: int) -> list[TestResponse]:
        return [
            client.post(
                "/api/v1/visits",
                json={
                    "enterprise_id": firm_ids[n],
                    "visited_on": date(2026, 3, 2).isoformat(),
                    "kind": "on_site",
                    "summary": f"Visit {visit} of manager {n}.",
                    "red_flags": {flag.value: False for flag in RedFlag},
                    "confirm_duplicate": True,
                },
                headers=headers,
            )
            for visit in range(WRITES_EACH)
        ]

    responses = [r for batch in all_at_once(clients, log_visits) for r in batch]

    assert statuses(responses) == {201: WRITERS * WRITES_EACH}, [
        r.text for r in responses if r.status_code != 201
    ][:3]
    assert row_count(Visit) == WRITERS * WRITES_EACH


def _audited(entity_type: str, entity_id: int, action: str) -> int:
    return len(audit_entries(entity_type, entity_id, action))

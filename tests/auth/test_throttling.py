"""Failed logins are limited per address and per account (Flask-Limiter), on form and API."""

from collections.abc import Iterator

import pytest
import redis
from flask import Flask

from crm import create_app
from models import db
from tests.factories import PASSWORD, UserFactory
from tests.helpers import TEST_SETTINGS, app_with_empty_database, settings_for

REDIS_URL = "redis://127.0.0.1:6379/7"  # this test's own database number, flushed before and after
TIGHT_LIMITS = {
    "RATELIMIT_ENABLED": True,
    "LOGIN_LIMIT_PER_ACCOUNT": "3 per minute",
    "LOGIN_LIMIT_PER_ADDRESS": "5 per minute",
}
THROTTLED = "Too many failed logins from here or for this account."


@pytest.fixture
def throttled_app(tmp_path) -> Iterator[Flask]:
    yield from app_with_empty_database(settings_for(tmp_path) | TIGHT_LIMITS)


def wrong_login(client, username: str):
    return client.post("/login", data={"username": username, "password": "wrong"})


def test_the_login_form_refuses_an_account_after_its_limit_of_failures(throttled_app):
    client = throttled_app.test_client()
    user = UserFactory(role="leader")
    db.session.commit()

    answers = [wrong_login(client, user.username).status_code for _attempt in range(4)]
    right = client.post("/login", data={"username": user.username, "password": PASSWORD})

    assert answers == [200, 200, 200, 429]
    assert right.status_code == 429
    assert THROTTLED in right.text
    assert 0 < int(right.headers["Retry-After"]) <= 60
    assert '<form method="post"' in right.text  # the form is still there to try again later


def test_other_accounts_are_not_held_back_by_one_accounts_failures(throttled_app):
    client = throttled_app.test_client()
    user, colleague = UserFactory(role="leader"), UserFactory(role="leader")
    db.session.commit()
    for _attempt in range(3):
        wrong_login(client, user.username)

    response = client.post("/login", data={"username": colleague.username, "password": PASSWORD})

    assert response.status_code == 302


def test_one_address_is_refused_after_failures_spread_over_many_usernames(throttled_app):
    client = throttled_app.test_client()
    user = UserFactory(role="leader")
    db.session.commit()

    answers = [wrong_login(client, f"guess{number}").status_code for number in range(5)]
    right = client.post("/login", data={"username": user.username, "password": PASSWORD})
    elsewhere = throttled_app.test_client().post(
        "/login",
        data={"username": user.username, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.1.2.3"},
    )

    assert answers == [200] * 5
    assert right.status_code == 429
    assert elsewhere.status_code == 302


def test_successful_logins_do_not_count(throttled_app):
    client = throttled_app.test_client()
    user = UserFactory(role="leader")
    db.session.commit()

    answers = [
        client.post("/login", data={"username": user.username, "password": PASSWORD}).status_code
        for _login in range(8)
    ]

    assert answers == [302] * 8


def test_the_token_endpoint_answers_429_json_with_retry_after(throttled_app):
    client = throttled_app.test_client()
    user = UserFactory(role="leader")
    db.session.commit()
    body = {"username": user.username, "password": "wrong"}

    answers = [client.post("/api/v1/auth/token", json=body) for _attempt in range(4)]

    assert [answer.status_code for answer in answers] == [401, 401, 401, 429]
    assert "error" in answers[-1].json
    assert 0 < int(answers[-1].headers["Retry-After"]) <= 60


def test_the_form_and_the_token_endpoint_share_the_count(throttled_app):
    client = throttled_app.test_client()
    user = UserFactory(role="leader")
    db.session.commit()
    for _attempt in range(3):
        wrong_login(client, user.username)

    response = client.post(
        "/api/v1/auth/token", json={"username": user.username, "password": PASSWORD}
    )

    assert response.status_code == 429


def test_with_the_limiter_off_every_attempt_is_answered(app, client):
    answers = [wrong_login(client, f"guess{number}").status_code for number in range(8)]

    assert answers == [200] * 8


@pytest.fixture
def redis_db() -> Iterator[redis.Redis]:
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError as error:
        pytest.skip(f"Redis at {REDIS_URL} is unreachable ({error}): shared counts not tested")
    connection.flushdb()
    yield connection
    connection.flushdb()
    connection.close()


@pytest.fixture
def throttled_redis_app(tmp_path, redis_db) -> Iterator[Flask]:
    yield from app_with_empty_database(
        settings_for(tmp_path) | TIGHT_LIMITS | {"REDIS_URL": REDIS_URL}
    )


def test_counts_kept_in_redis_are_shared_by_every_worker(throttled_redis_app, redis_db):
    client = throttled_redis_app.test_client()
    for _attempt in range(3):
        wrong_login(client, "someone")
    # Another worker process: an app of its own, whose limiter starts with nothing in memory.
    second_worker = create_app({**TEST_SETTINGS, **TIGHT_LIMITS, "REDIS_URL": REDIS_URL})

    refused = second_worker.test_client().post(
        "/login", data={"username": "someone", "password": "wrong"}
    )

    assert refused.status_code == 429
    assert redis_db.keys("LIMITS:*login-account*")


def test_the_login_page_itself_still_opens_over_the_limit(throttled_app):
    client = throttled_app.test_client()
    for number in range(5):
        wrong_login(client, f"guess{number}")

    page = client.get("/login")

    assert page.status_code == 200
    assert wrong_login(client, "guess0").status_code == 429

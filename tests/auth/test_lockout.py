"""Ten failed logins in a row lock the account for a while, known username or not."""

from datetime import datetime, timedelta

import pytest

from crm.auth.lockout import AccountLockedError, LockoutPolicy
from crm.auth.services import InvalidCredentialsError, authenticate
from models import LoginFailure, User, db
from tests.factories import PASSWORD
from tests.helpers import log_in, row_count

POLICY = LockoutPolicy(threshold=10, duration=timedelta(minutes=15))
NINE_AM = datetime(2026, 3, 2, 9, 0)
LOCKED = "This account is locked after too many failed logins."
WRONG = "Unknown username or wrong password."


def fail(username: str, times: int, now: datetime = NINE_AM) -> list[type[Exception]]:
    refusals: list[type[Exception]] = []
    for attempt in range(times):
        with pytest.raises((InvalidCredentialsError, AccountLockedError)) as refused:
            authenticate(username, "wrong", now + timedelta(seconds=attempt), POLICY)
        refusals.append(refused.type)
    db.session.commit()
    return refusals


def test_the_tenth_wrong_password_in_a_row_locks_the_account(manager):
    refusals = fail(manager.username, 10)

    assert refusals == [InvalidCredentialsError] * 9 + [AccountLockedError]
    assert db.session.get(User, manager.id).locked_until == NINE_AM + timedelta(
        seconds=9, minutes=15
    )


def test_a_locked_account_refuses_even_the_right_password(manager):
    fail(manager.username, 10)

    with pytest.raises(AccountLockedError):
        authenticate(manager.username, PASSWORD, NINE_AM + timedelta(minutes=10), POLICY)


def test_the_lock_ends_by_itself_after_its_duration(manager):
    fail(manager.username, 10)

    user = authenticate(manager.username, PASSWORD, NINE_AM + timedelta(minutes=16), POLICY)

    assert user.id == manager.id


def test_a_successful_login_resets_the_count(manager):
    fail(manager.username, 9)
    authenticate(manager.username, PASSWORD, NINE_AM + timedelta(minutes=1), POLICY)

    refusals = fail(manager.username, 9, NINE_AM + timedelta(minutes=2))

    assert AccountLockedError not in refusals
    assert db.session.get(User, manager.id).failed_login_count == 9


def test_failures_far_apart_do_not_add_up_to_a_lock(manager):
    for hour in range(12):
        fail(manager.username, 1, NINE_AM + timedelta(hours=hour))

    assert db.session.get(User, manager.id).locked_until is None


def test_an_unknown_username_locks_the_same_way_so_locks_reveal_no_account(app):
    refusals = fail("nobody.here", 10)

    assert refusals == [InvalidCredentialsError] * 9 + [AccountLockedError]
    with pytest.raises(AccountLockedError):
        authenticate("nobody.here", PASSWORD, NINE_AM + timedelta(minutes=10), POLICY)


def test_failures_of_unknown_usernames_are_forgotten_once_they_no_longer_count(app):
    fail("nobody.here", 3)

    fail("someone.else", 1, NINE_AM + timedelta(hours=1))

    assert row_count(LoginFailure) == 1


def test_the_login_page_says_the_account_is_locked(client, manager):
    db.session.commit()
    pages = [
        client.post("/login", data={"username": manager.username, "password": "wrong"})
        for _attempt in range(10)
    ]

    right = client.post("/login", data={"username": manager.username, "password": PASSWORD})

    assert WRONG in pages[8].text
    assert LOCKED in pages[9].text
    assert right.status_code == 200
    assert LOCKED in right.text


def test_the_login_page_answers_an_unknown_username_exactly_as_a_known_one(client, manager):
    db.session.commit()

    def messages(username: str) -> list[str]:
        pages = [
            client.post("/login", data={"username": username, "password": "wrong"})
            for _attempt in range(11)
        ]
        return [LOCKED if LOCKED in page.text else WRONG for page in pages]

    assert messages("nobody.here") == messages(manager.username)


def test_lock_out_counts_while_the_limiter_is_off(app, client, manager):
    db.session.commit()

    for _attempt in range(10):
        client.post("/login", data={"username": manager.username, "password": "wrong"})

    assert app.config["RATELIMIT_ENABLED"] is False
    assert db.session.get(User, manager.id).locked_until is not None


def test_the_token_endpoint_answers_429_with_retry_after_for_a_locked_account(client, manager):
    db.session.commit()
    for _attempt in range(10):
        client.post("/api/v1/auth/token", json={"username": manager.username, "password": "wrong"})

    response = client.post(
        "/api/v1/auth/token", json={"username": manager.username, "password": PASSWORD}
    )

    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 15 * 60
    assert "locked" in response.json["error"]
    assert "token" not in response.json


def test_failed_logins_are_counted_without_making_the_account_version_stale(manager):
    # One UPDATE ... SET count = count + 1: two at once both count, and an admin's form stays valid.
    fail(manager.username, 1)
    stale_copy_version = manager.version_id

    fail(manager.username, 1, NINE_AM + timedelta(minutes=1))

    user = db.session.get(User, manager.id)
    assert user.failed_login_count == 2
    assert user.version_id == stale_copy_version  # an admin's open edit form stays valid


def test_a_login_does_not_make_an_admins_open_edit_form_stale(client, manager):
    version = manager.version_id

    log_in(client, manager)

    assert db.session.get(User, manager.id).version_id == version

"""Logout, a password change and "log out everywhere" end every session of the user."""

from flask import Flask
from flask.testing import FlaskClient

from crm.auth.services import load_user
from models import User, db
from tests.factories import PASSWORD
from tests.helpers import log_in

NEW_PASSWORD = "a long new password"


def copy_of(app: Flask, client: FlaskClient) -> FlaskClient:
    """A second browser holding a copy of `client`'s session cookie (stolen, or another PC)."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    other = app.test_client()
    other.set_cookie("session", cookie.value)
    return other


def test_a_copied_cookie_opens_pages_while_the_session_lasts(app, client, manager):
    log_in(client, manager)

    copied = copy_of(app, client)

    assert copied.get("/enterprises/").status_code == 200


def test_a_cookie_copied_before_logout_stops_working_after_it(app, client, manager):
    log_in(client, manager)
    copied = copy_of(app, client)

    client.post("/logout")

    assert copied.get("/enterprises/").status_code == 302
    assert client.get("/enterprises/").status_code == 302


def test_logging_in_again_after_logout_works(client, manager):
    log_in(client, manager)
    client.post("/logout")

    log_in(client, manager)

    assert client.get("/enterprises/").status_code == 200


def test_log_out_everywhere_ends_every_session_of_the_user(app, client, manager):
    log_in(client, manager)
    other_pc = app.test_client()
    log_in(other_pc, manager)

    response = client.post("/account/logout-everywhere")

    assert response.status_code == 302
    assert response.location == "/login"
    assert other_pc.get("/enterprises/").status_code == 302
    assert client.get("/enterprises/").status_code == 302


def test_log_out_everywhere_leaves_other_users_logged_in(app, client, manager, leader):
    log_in(client, manager)
    colleague = app.test_client()
    log_in(colleague, leader)

    client.post("/account/logout-everywhere")

    assert colleague.get("/enterprises/").status_code == 200


def test_changing_my_password_ends_my_other_sessions_and_keeps_this_one(app, client, manager):
    log_in(client, manager)
    other_pc = app.test_client()
    log_in(other_pc, manager)
    copied = copy_of(app, client)

    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    assert client.get("/enterprises/").status_code == 200
    assert other_pc.get("/enterprises/").status_code == 302
    assert copied.get("/enterprises/").status_code == 302
    assert db.session.get(User, manager.id).check_password(NEW_PASSWORD)


def test_a_password_change_needs_the_current_password(app, client, manager):
    log_in(client, manager)
    other_pc = app.test_client()
    log_in(other_pc, manager)

    response = client.post(
        "/account/password",
        data={
            "current_password": "not my password",
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )

    assert response.status_code == 200
    assert "This is not your current password." in response.text
    assert db.session.get(User, manager.id).check_password(PASSWORD)
    assert other_pc.get("/enterprises/").status_code == 200


def test_a_short_or_mistyped_new_password_is_refused_with_field_errors(client, manager):
    log_in(client, manager)

    short = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "short", "confirm_password": "short"},
    )
    mistyped = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD + "x",
        },
    )

    assert "At least 8 characters." in short.text
    assert "The two entries differ." in mistyped.text
    assert db.session.get(User, manager.id).check_password(PASSWORD)


def test_the_account_pages_need_a_login(client, app):
    pages = [
        client.get("/account"),
        client.post("/account/password"),
        client.post("/account/logout-everywhere"),
        client.post("/account/tokens/1/revoke"),
    ]

    assert [page.status_code for page in pages] == [302, 302, 302, 302]
    assert all(page.location.startswith("/login") for page in pages)


def test_the_user_menu_links_to_my_sessions_and_tokens(client, manager):
    log_in(client, manager)

    page = client.get("/account")

    assert page.status_code == 200
    assert 'href="/account"' in client.get("/enterprises/").text
    assert "Log out everywhere" in page.text


def test_a_session_id_of_an_old_generation_or_an_odd_shape_loads_nobody(manager):
    db.session.commit()
    current = f"{manager.id}:{manager.session_generation}"

    loaded = [
        load_user(value)
        for value in (
            current,
            f"{manager.id}:{manager.session_generation - 1}",
            str(manager.id),
            f"{manager.id}:",
            "x:1",
            "١:1",  # an Arabic-Indic digit: isdigit() says yes, int() of it is no id of ours
            "9" * 40 + ":1",
        )
    ]

    assert loaded == [manager, None, None, None, None, None, None]


def test_guessing_the_current_password_locks_the_account_and_ends_the_session(app, client, manager):
    app.config["LOGIN_LOCKOUT_THRESHOLD"] = 3
    log_in(client, manager)
    stolen = copy_of(app, client)
    guess = {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}

    answers = [
        stolen.post("/account/password", data={**guess, "current_password": f"guess {n}"})
        for n in range(3)
    ]

    assert [answer.status_code for answer in answers] == [200, 200, 302]
    assert answers[-1].location.endswith("/login")
    refreshed = db.session.get(User, manager.id)
    db.session.refresh(refreshed)
    assert refreshed.locked_until is not None
    assert stolen.get("/enterprises/").status_code == 302
    assert client.get("/enterprises/").status_code == 302
    assert refreshed.check_password(PASSWORD)

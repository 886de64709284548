import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest

from models import User, db
from tests.factories import PASSWORD, UserFactory
from tests.helpers import log_in

WRONG_CREDENTIALS = "Unknown username or wrong password."


def test_a_good_login_redirects_a_manager_to_today(client, manager):
    db.session.commit()

    response = client.post("/login", data={"username": manager.username, "password": PASSWORD})

    assert response.status_code == 302
    assert response.location == "/today/"
    assert client.get("/enterprises/").status_code == 200


def test_the_username_is_not_case_sensitive(client, manager):
    db.session.commit()

    response = client.post(
        "/login", data={"username": f" {manager.username.upper()} ", "password": PASSWORD}
    )

    assert response.status_code == 302


def test_a_good_login_records_when_it_happened(client, manager):
    log_in(client, manager)

    user = db.session.get(User, manager.id)

    assert user is not None
    assert user.last_login_at is not None


def test_a_wrong_password_shows_the_error_and_logs_nobody_in(client, manager):
    db.session.commit()

    response = client.post("/login", data={"username": manager.username, "password": "wrong"})

    assert response.status_code == 200
    assert WRONG_CREDENTIALS in response.text
    assert client.get("/enterprises/").status_code == 302


def test_an_unknown_username_shows_the_same_error(client, app):
    response = client.post("/login", data={"username": "nobody", "password": PASSWORD})

    assert response.status_code == 200
    assert WRONG_CREDENTIALS in response.text


def test_an_empty_form_shows_field_errors(client, app):
    response = client.post("/login", data={})

    assert response.status_code == 200
    assert "invalid-feedback" in response.text


def test_an_inactive_user_cannot_log_in(client, app):
    user = UserFactory(role="leader", is_active_account=False)
    db.session.commit()

    response = client.post("/login", data={"username": user.username, "password": PASSWORD})

    assert response.status_code == 200
    assert WRONG_CREDENTIALS in response.text


def test_the_session_is_permanent_with_the_configured_lifetime(client, app, manager):
    lifetime = app.config["PERMANENT_SESSION_LIFETIME"]

    log_in(client, manager)

    cookie = client.get_cookie("session")
    assert cookie is not None
    assert cookie.expires is not None
    expires_in = cookie.expires - datetime.now(UTC)
    assert lifetime.total_seconds() - 60 < expires_in.total_seconds() <= lifetime.total_seconds()
    with client.session_transaction() as session:
        assert session.permanent


def test_login_follows_a_same_site_next_path(client, manager):
    db.session.commit()

    response = client.post(
        "/login?next=/admin/users", data={"username": manager.username, "password": PASSWORD}
    )

    assert response.location == "/admin/users"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "//evil.example/enterprises/",
        "https://evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "///evil.example",
        "javascript:alert(1)",
    ],
)
def test_login_refuses_to_redirect_to_another_site(client, manager, target):
    db.session.commit()

    response = client.post(
        "/login",
        query_string={"next": target},
        data={"username": manager.username, "password": PASSWORD},
    )

    assert response.status_code == 302
    location = urlsplit(response.location)
    assert location.scheme in {"", "http"}
    assert location.netloc in {"", "localhost"}


def test_logout_answers_only_post(client, manager):
    log_in(client, manager)

    response = client.get("/logout")

    assert response.status_code == 405
    assert client.get("/enterprises/").status_code == 200


def test_logout_by_post_ends_the_session(client, manager):
    log_in(client, manager)

    response = client.post("/logout")

    assert response.status_code == 302
    assert response.location == "/login"
    assert client.get("/enterprises/").status_code == 302


def test_pages_send_anonymous_visitors_to_the_login_page(client, app):
    response = client.get("/enterprises/")

    assert response.status_code == 302
    assert response.location.startswith("/login?next=")


def csrf_token_of(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match is not None, "the page has no CSRF token"
    return match.group(1)


def test_a_login_post_without_the_csrf_token_is_rejected(csrf_app):
    client = csrf_app.test_client()
    user = UserFactory(role="leader")
    db.session.commit()

    response = client.post("/login", data={"username": user.username, "password": PASSWORD})

    assert response.status_code == 400
    assert client.get("/enterprises/").status_code == 302
    assert db.session.get(User, user.id).last_login_at is None


def test_a_login_post_with_the_csrf_token_of_the_form_succeeds(csrf_app):
    client = csrf_app.test_client()
    user = UserFactory(role="leader")
    db.session.commit()
    token = csrf_token_of(client.get("/login").text)

    response = client.post(
        "/login", data={"username": user.username, "password": PASSWORD, "csrf_token": token}
    )

    assert response.status_code == 302

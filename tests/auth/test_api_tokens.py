"""API tokens: hashed at rest, expiring, listed on the account page and revocable one by one."""

import hashlib
from datetime import datetime

from sqlalchemy import select

from models import ApiToken, AuditEntry, db
from tests.factories import PASSWORD, UserFactory
from tests.helpers import log_in


def new_token(client, user, name: str | None = None) -> dict:
    db.session.commit()
    body = {"username": user.username, "password": PASSWORD} | ({"name": name} if name else {})
    response = client.post("/api/v1/auth/token", json=body)
    assert response.status_code == 200, response.text
    return response.json


def works(client, secret: str) -> bool:
    response = client.get("/api/v1/enterprises", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code in {200, 401}
    return response.status_code == 200


def test_the_token_endpoint_answers_the_token_and_when_it_expires(app, client, manager):
    answer = new_token(client, manager)

    token = db.session.scalar(select(ApiToken))
    assert token is not None
    assert answer["token_type"] == "Bearer"
    assert datetime.fromisoformat(answer["expires_at"].removesuffix("Z")) == token.expires_at
    lifetime = (token.expires_at - token.created_at).total_seconds()
    assert lifetime == app.config["API_TOKEN_MAX_AGE_SECONDS"]


def test_only_a_hash_of_the_secret_is_stored(client, manager):
    secret = new_token(client, manager)["token"]

    token = db.session.scalar(select(ApiToken))

    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in token.secret_hash


def test_the_account_page_lists_my_tokens_and_not_my_colleagues(client, manager):
    new_token(client, manager, name="Weekly report script")
    new_token(client, UserFactory(role="leader"), name="Someone else's script")
    log_in(client, manager)

    page = client.get("/account")

    assert "Weekly report script" in page.text
    assert "Someone else&#39;s script" not in page.text


def test_revoking_one_token_leaves_the_others_working(client, manager):
    first = new_token(client, manager, name="first")["token"]
    second = new_token(client, manager, name="second")["token"]
    log_in(client, manager)
    token_id = db.session.scalar(select(ApiToken.id).where(ApiToken.name == "first"))

    response = client.post(f"/account/tokens/{token_id}/revoke")

    assert response.status_code == 302
    assert not works(client, first)
    assert works(client, second)
    entry = db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.entity_type == "api_token", AuditEntry.action == "revoke"
        )
    )
    assert entry is not None
    assert (entry.actor_id, entry.entity_id) == (manager.id, token_id)


def test_nobody_can_revoke_a_token_of_another_user(client, manager):
    colleague = UserFactory(role="manager")
    secret = new_token(client, colleague)["token"]
    log_in(client, manager)
    token_id = db.session.scalar(select(ApiToken.id))

    response = client.post(f"/account/tokens/{token_id}/revoke")

    assert response.status_code == 404
    assert works(client, secret)


def test_log_out_everywhere_revokes_every_token(client, manager):
    secrets = [new_token(client, manager)["token"] for _ in range(2)]
    log_in(client, manager)

    client.post("/account/logout-everywhere")

    assert [works(client, secret) for secret in secrets] == [False, False]


def test_changing_my_password_revokes_every_token(client, manager):
    secret = new_token(client, manager)["token"]
    log_in(client, manager)

    client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "another long password",
            "confirm_password": "another long password",
        },
    )

    assert not works(client, secret)


def test_a_plain_logout_keeps_the_api_tokens(client, manager):
    secret = new_token(client, manager)["token"]
    log_in(client, manager)

    client.post("/logout")

    assert works(client, secret)


def test_a_call_records_when_the_token_was_last_used(client, manager):
    secret = new_token(client, manager)["token"]

    works(client, secret)

    assert db.session.scalar(select(ApiToken.last_used_at)) is not None


def test_a_token_name_that_is_too_long_or_not_text_is_refused(client, manager):
    db.session.commit()
    body = {"username": manager.username, "password": PASSWORD}

    answers = [
        client.post("/api/v1/auth/token", json=body | {"name": "x" * 81}),
        client.post("/api/v1/auth/token", json=body | {"name": 7}),
    ]

    assert [answer.status_code for answer in answers] == [422, 422]
    assert all("name" in answer.json["errors"] for answer in answers)
    assert db.session.scalar(select(ApiToken)) is None

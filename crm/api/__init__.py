"""The JSON API's entry points: tokens and the OpenAPI document (domains add their own routes)."""

from typing import Any

from flask import Blueprint, current_app, jsonify
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded

from crm import login_throttle
from crm.api.openapi import openapi_document
from crm.api.registry import documented
from crm.api.spec import error, field_errors
from crm.api.token_schemas import Credentials, Token
from crm.auth import tokens
from crm.auth.lockout import AccountLockedError, LockoutPolicy
from crm.auth.services import InvalidCredentialsError, authenticate
from crm.clock import utcnow
from models import db

bp = Blueprint("api", __name__, url_prefix="/api/v1")
RETRY_AFTER = {"description": "Seconds to wait", "schema": {"type": "integer", "minimum": 1}}


@documented(
    "post",
    "/auth/token",
    "Exchange a username and password for a bearer token",
    {
        200: (Token.__doc__ or "", Token),
        401: error("Unknown username or wrong password"),
        422: field_errors("A field is missing or too long, named in `errors`"),
        429: {
            **error("Too many failed attempts, or the account is locked: retry later"),
            "headers": {"Retry-After": RETRY_AFTER},
        },
    },
    body=Credentials,
    description=(
        "Each call issues a new token, stored hashed and listed on the user's account page, "
        "where it can be revoked. It expires after API_TOKEN_MAX_AGE_SECONDS (12 hours by "
        "default), and ends early when the password changes, the account is deactivated or "
        "the user logs out everywhere. Failed attempts are limited per address and per "
        "account, and repeated failures lock the account for a while."
    ),
    public=True,
)
@bp.post("/auth/token")
@login_throttle.login_limits
def create_token() -> tuple[Any, int] | tuple[Any, int, dict[str, str]]:
    body = Credentials.from_request()
    now = utcnow()
    try:
        user = authenticate(
            body.username, body.password, now, LockoutPolicy.from_config(current_app.config)
        )
    except (InvalidCredentialsError, AccountLockedError) as refused:
        db.session.commit()  # the failure counts towards the lock-out
        login_throttle.note_failed_attempt()
        if isinstance(refused, AccountLockedError):
            retry = {"Retry-After": str(refused.retry_after_seconds)}
            return jsonify(error=refused.message), 429, retry
        return jsonify(error=refused.message), 401
    max_age = current_app.config["API_TOKEN_MAX_AGE_SECONDS"]
    token, secret = tokens.issue_token(user, body.name.strip(), now, max_age)
    db.session.commit()
    answer = Token(token=secret, token_type="Bearer", expires_at=token.expires_at)  # noqa: S106 -- a scheme name
    return answer.model_dump(mode="json"), 200


@bp.errorhandler(RateLimitExceeded)
def too_many_attempts(_error: RateLimitExceeded) -> tuple[Any, int, dict[str, str]]:
    seconds = login_throttle.retry_after_seconds()
    message = _("Too many failed logins from here or for this account. Try again later.")
    return jsonify(error=message), 429, {"Retry-After": str(seconds)}


@bp.get("/openapi.json")
def openapi() -> Any:
    return jsonify(openapi_document())

"""The JSON API's entry points: tokens and the OpenAPI document (domains add their own routes)."""

from typing import Any

from flask import Blueprint, current_app, jsonify
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded

from crm.api.body import json_object
from crm.api.openapi import openapi_document
from crm.auth import throttle, tokens
from crm.auth.lockout import AccountLockedError, LockoutPolicy
from crm.auth.services import InvalidCredentialsError, authenticate
from crm.clock import utcnow
from models import db

bp = Blueprint("api", __name__, url_prefix="/api/v1")
TOKEN_NAME_MAX_LENGTH = 80


@bp.post("/auth/token")
@throttle.login_limits
def create_token() -> tuple[Any, int] | tuple[Any, int, dict[str, str]]:
    body = json_object()
    errors = {
        name: [_("This field is required.")]
        for name in ("username", "password")
        if not isinstance(body.get(name), str) or not body[name]
    }
    name = body.get("name", "API")
    if not isinstance(name, str) or not name.strip() or len(name) > TOKEN_NAME_MAX_LENGTH:
        errors["name"] = [_("A name of 1 to %(count)d characters.", count=TOKEN_NAME_MAX_LENGTH)]
    if errors:
        return jsonify(errors=errors), 422
    now = utcnow()
    try:
        user = authenticate(
            body["username"], body["password"], now, LockoutPolicy.from_config(current_app.config)
        )
    except (InvalidCredentialsError, AccountLockedError) as refused:
        db.session.commit()  # the failure counts towards the lock-out
        throttle.note_failed_attempt()
        if isinstance(refused, AccountLockedError):
            retry = {"Retry-After": str(refused.retry_after_seconds)}
            return jsonify(error=refused.message), 429, retry
        return jsonify(error=refused.message), 401
    max_age = current_app.config["API_TOKEN_MAX_AGE_SECONDS"]
    token, secret = tokens.issue_token(user, name.strip(), now, max_age)
    db.session.commit()
    expires_at = token.expires_at.isoformat() + "Z"
    return jsonify(token=secret, token_type="Bearer", expires_at=expires_at), 200  # noqa: S106 -- a scheme name


@bp.errorhandler(RateLimitExceeded)
def too_many_attempts(_error: RateLimitExceeded) -> tuple[Any, int, dict[str, str]]:
    seconds = throttle.retry_after_seconds()
    message = _("Too many failed logins from here or for this account. Try again later.")
    return jsonify(error=message), 429, {"Retry-After": str(seconds)}


@bp.get("/openapi.json")
def openapi() -> Any:
    return jsonify(openapi_document())

"""Bearer tokens for the JSON API: looked up by hash, expiring, revocable, of an active user."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, g, jsonify, request
from flask_babel import gettext as _

from crm.auth import tokens
from crm.clock import utcnow
from models import User, db


def issue_token(user: User, name: str = "API") -> str:
    """A new token's secret (flushed; the caller commits). Tests use it to skip the login call."""
    _token, secret = tokens.issue_token(
        user, name, utcnow(), current_app.config["API_TOKEN_MAX_AGE_SECONDS"]
    )
    return secret


def user_from_token(secret: str) -> User | None:
    now = utcnow()
    token = tokens.usable_token(secret, now)
    if token is None:
        return None
    if tokens.note_use(token, now):
        db.session.commit()  # the only write of a read request: its own small transaction
    return token.user


def api_user() -> User:
    user: User = g.api_user
    return user


def token_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        header = request.headers.get("Authorization", "")
        scheme, _space, token = header.partition(" ")
        user = user_from_token(token.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            response = jsonify(error=_("A valid bearer token is required."))
            response.headers["WWW-Authenticate"] = 'Bearer realm="crm"'
            return response, 401
        g.api_user = user
        return view(*args, **kwargs)

    return wrapped

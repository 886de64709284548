"""Bearer tokens for the JSON API: signed, time-limited, tied to an active user."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, g, jsonify, request
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from models import User, db

TOKEN_SALT = "crm-api-token"  # noqa: S105 -- a namespace for signatures, not a secret


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT)


def issue_token(user: User) -> str:
    # The password hash's tail is signed in: changing the password revokes every old token.
    return _serializer().dumps({"uid": user.id, "pw": user.password_hash[-12:]})


def user_from_token(token: str) -> User | None:
    max_age = current_app.config["API_TOKEN_MAX_AGE_SECONDS"]
    try:
        payload = _serializer().loads(token, max_age=max_age)
    except BadSignature:
        return None
    user = db.session.get(User, payload.get("uid"))
    if user is None or not user.is_active or user.password_hash[-12:] != payload.get("pw"):
        return None
    return user


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

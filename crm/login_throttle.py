"""Login throttling (Flask-Limiter): failed attempts per address and per account, shared by the
login form and the token endpoint, so switching between them gains an attacker nothing."""

import hashlib
import math
import time
from collections.abc import Callable
from typing import Any

from flask import current_app, g, request
from flask_limiter.util import get_remote_address
from werkzeug.wrappers import Response

from crm.auth.services import normalised_username
from crm.extensions import limiter

FAILED_ATTEMPT = "login_attempt_failed"


def note_failed_attempt() -> None:
    """Count this request against the limits (successful logins and malformed requests do not)."""
    g.setdefault(FAILED_ATTEMPT, True)


def _failed(_response: Response) -> bool:
    return bool(g.get(FAILED_ATTEMPT, False))


def _not_a_post() -> bool:
    return request.method != "POST"


def _account_key() -> str:
    username: Any = request.form.get("username")
    if username is None and request.is_json:
        try:
            body = request.get_json(silent=True)
        except RecursionError:  # a thousand nested arrays: the view answers 400 for it
            body = None
        username = body.get("username") if isinstance(body, dict) else None
    wanted = normalised_username(username) if isinstance(username, str) else ""
    # Hashed: the key's length stays fixed whatever is typed, and Redis accepts any text.
    return "account:" + hashlib.sha256(wanted.encode("utf-8", "surrogatepass")).hexdigest()


def _address_key() -> str:
    return "address:" + get_remote_address()


def _per_address() -> str:
    return str(current_app.config["LOGIN_LIMIT_PER_ADDRESS"])


def _per_account() -> str:
    return str(current_app.config["LOGIN_LIMIT_PER_ACCOUNT"])


def login_limits(view: Callable[..., Any]) -> Callable[..., Any]:
    """Refuse (429) a login attempt from an address or for an account with too many failures."""
    common: dict[str, Any] = {"exempt_when": _not_a_post, "deduct_when": _failed}
    per_account = limiter.shared_limit(
        _per_account, "login-account", key_func=_account_key, **common
    )
    per_address = limiter.shared_limit(
        _per_address, "login-address", key_func=_address_key, **common
    )
    return per_address(per_account(view))


def retry_after_seconds() -> int:
    """Seconds until the breached limit lets an attempt through again."""
    breached = limiter.current_limit
    if breached is None:
        return 60
    # The storage's reset time is whole seconds after the window's start, so rounding up can
    # overshoot by one: never ask for more than the window itself.
    window_seconds = breached.limit.get_expiry()
    return max(1, min(window_seconds, math.ceil(breached.reset_at - time.time())))

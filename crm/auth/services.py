"""Checking credentials, and ending a user's sessions."""

from datetime import datetime
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from crm.audit import record_change
from crm.auth import lockout, tokens
from crm.auth.lockout import LockoutPolicy
from crm.errors import DomainError, FieldErrors
from models import User, db

MIN_PASSWORD_LENGTH = 8


class InvalidCredentialsError(DomainError):
    """Unknown username, wrong password or deactivated account: one vague message for all."""

    def __init__(self) -> None:
        super().__init__(_("Unknown username or wrong password."))


def normalised_username(username: str) -> str:
    # Accounts are created with lower-case usernames; people type them as they like.
    return username.strip().lower()


@cache
def _decoy_hash() -> str:
    return generate_password_hash("a password no account has")


def authenticate(username: str, password: str, now: datetime, policy: LockoutPolicy) -> User:
    """The active user with these credentials; raises InvalidCredentialsError or
    AccountLockedError. Failures are written to the session: the caller commits them too."""
    wanted = normalised_username(username)
    user = db.session.scalar(select(User).where(func.lower(User.username) == wanted))
    if user is None:
        lockout.refuse_if_unknown_name_locked(wanted, now)
        check_password_hash(_decoy_hash(), password)  # as slow as a real check: no timing hint
        lockout.record_unknown_name_failure(wanted, now, policy)
        raise InvalidCredentialsError
    lockout.refuse_if_locked(user.locked_until, now)  # before the password: no oracle while locked
    # The hash is checked for a deactivated account too: skipping it would answer faster.
    if not user.check_password(password) or not user.is_active:
        lockout.record_failure(user, now, policy)
        raise InvalidCredentialsError
    lockout.record_success(user, now)
    return user


def load_user(session_id: str) -> User | None:
    """The user of a session cookie's "<id>:<generation>", if that generation is still current."""
    user_id, _colon, generation = session_id.partition(":")
    if not (user_id.isascii() and user_id.isdigit() and generation.isascii()):
        return None
    if not generation.isdigit() or len(user_id) > 18:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or str(user.session_generation) != generation:
        return None
    return user


def end_sessions(user: User) -> None:
    """Every session cookie of the user stops working (their next request is anonymous)."""
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(session_generation=User.session_generation + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(user, ["session_generation"])


def end_sessions_and_tokens(actor: User | None, user: User, now: datetime, reason: str) -> int:
    """Log the user out everywhere and revoke every API token; audited. Returns tokens revoked."""
    end_sessions(user)
    revoked = tokens.revoke_all_tokens(user, now)
    changes: dict[str, list[object]] = {"reason": [None, reason]}
    if revoked:
        changes["api_tokens_revoked"] = [0, revoked]
    record_change(actor, "end_sessions", "user", user.id, changes)
    return revoked


def change_own_password(
    user: User, current: str, new: str, now: datetime, policy: LockoutPolicy
) -> None:
    """Set a new password; every other session and every API token of the user ends.

    A wrong current password counts as a failed login: whoever holds a stolen session cookie
    must not guess the password here without limit, then change it and keep the account. The
    failure is written before InvalidInputError is raised; the caller commits it."""
    lockout.refuse_if_locked(user.locked_until, now)
    errors = FieldErrors()
    if not user.check_password(current):
        lockout.record_failure(user, now, policy)  # raises AccountLockedError at the threshold
        errors.add("current_password", _("This is not your current password."))
    if len(new) < MIN_PASSWORD_LENGTH:
        errors.add("new_password", _("At least %(count)d characters.", count=MIN_PASSWORD_LENGTH))
    errors.raise_if_any()
    user.set_password(new)
    db.session.flush()
    record_change(user, "update", "user", user.id, {"password": ["***", "***"]})
    end_sessions_and_tokens(user, user, now, "password changed")

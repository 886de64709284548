"""Lock-out after repeated failed logins: counted in the database, so it holds with the limiter
off, across workers, and for usernames that have no account (which must look the same)."""

import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import ngettext
from sqlalchemy import case, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from crm.audit import record_change
from crm.errors import DomainError
from models import LoginFailure, User, db


@dataclass(frozen=True)
class LockoutPolicy:
    threshold: int  # failures in a row that lock the account
    duration: timedelta  # how long a lock lasts, and how far apart failures still run "in a row"

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "LockoutPolicy":
        return cls(
            threshold=int(config["LOGIN_LOCKOUT_THRESHOLD"]),
            duration=timedelta(minutes=int(config["LOGIN_LOCKOUT_MINUTES"])),
        )


class AccountLockedError(DomainError):
    """Too many failed logins: no password is checked until `until`."""

    def __init__(self, until: datetime, now: datetime) -> None:
        self.until = until
        self.retry_after_seconds = max(1, math.ceil((until - now).total_seconds()))
        minutes = math.ceil(self.retry_after_seconds / 60)
        super().__init__(
            ngettext(
                "This account is locked after too many failed logins. Try again in %(num)d "
                "minute, or ask an administrator to unlock it.",
                "This account is locked after too many failed logins. Try again in %(num)d "
                "minutes, or ask an administrator to unlock it.",
                minutes,
            )
        )


def username_digest(username: str) -> str:
    return hashlib.sha256(username.encode("utf-8", "surrogatepass")).hexdigest()


def refuse_if_locked(locked_until: datetime | None, now: datetime) -> None:
    if locked_until is not None and locked_until > now:
        raise AccountLockedError(locked_until, now)


def refuse_if_unknown_name_locked(username: str, now: datetime) -> None:
    row = db.session.get(LoginFailure, username_digest(username))
    refuse_if_locked(row.locked_until if row else None, now)


def record_failure(user: User, now: datetime, policy: LockoutPolicy) -> None:
    """Count one more failure (atomically: two wrong passwords at once both count); lock the
    account and raise AccountLockedError on reaching the threshold."""
    in_a_row = User.last_failed_login_at >= now - policy.duration
    count = db.session.scalar(
        update(User)
        .where(User.id == user.id)
        .values(
            failed_login_count=case((in_a_row, User.failed_login_count + 1), else_=1),
            last_failed_login_at=now,
        )
        .returning(User.failed_login_count)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(user, ["failed_login_count", "last_failed_login_at"])
    if count is not None and count >= policy.threshold:
        until = now + policy.duration
        _lock(user, until)
        raise AccountLockedError(until, now)


def _lock(user: User, until: datetime) -> None:
    # Bookkeeping columns are written with plain UPDATEs: they must not bump version_id and make
    # an admin's open edit form stale.
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(locked_until=until, failed_login_count=0)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(user, ["locked_until", "failed_login_count"])
    record_change(None, "lock", "user", user.id, {"locked_until": [None, until.isoformat()]})


def record_success(user: User, now: datetime) -> None:
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(failed_login_count=0, last_failed_login_at=None, last_login_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(user, ["failed_login_count", "last_failed_login_at", "last_login_at"])


def record_unknown_name_failure(username: str, now: datetime, policy: LockoutPolicy) -> None:
    """The same arithmetic as record_failure, for a username without an account."""
    digest = username_digest(username)
    window_start = now - policy.duration
    db.session.execute(
        delete(LoginFailure).where(
            LoginFailure.last_failed_at < window_start,
            or_(LoginFailure.locked_until.is_(None), LoginFailure.locked_until < now),
        )
    )
    count = db.session.scalar(_upsert_failure(digest, now, window_start))
    if count is not None and count >= policy.threshold:
        until = now + policy.duration
        db.session.execute(
            update(LoginFailure)
            .where(LoginFailure.username_digest == digest)
            .values(locked_until=until, failed_count=0)
        )
        raise AccountLockedError(until, now)


def _upsert_failure(digest: str, now: datetime, window_start: datetime) -> Any:
    # One statement, so two failures for the same new name at once cannot clash on the key.
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(LoginFailure).values(
        username_digest=digest, failed_count=1, last_failed_at=now
    )
    in_a_row = LoginFailure.last_failed_at >= window_start
    return statement.on_conflict_do_update(
        index_elements=[LoginFailure.username_digest],
        set_={
            "failed_count": case((in_a_row, LoginFailure.failed_count + 1), else_=1),
            "last_failed_at": now,
        },
    ).returning(LoginFailure.failed_count)


def unlock(actor: User | None, user: User) -> None:
    if user.locked_until is None and not user.failed_login_count:
        return
    before = user.locked_until.isoformat() if user.locked_until else None
    user.locked_until, user.failed_login_count, user.last_failed_login_at = None, 0, None
    db.session.flush()
    record_change(actor, "unlock", "user", user.id, {"locked_until": [before, None]})


def is_locked(user: User, now: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def locked_users(now: datetime) -> set[int]:
    return set(db.session.scalars(select(User.id).where(User.locked_until > now)))

"""API tokens: issued as a random secret shown once, stored as its sha256, expiring, revocable."""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import joinedload

from crm.audit import record_change
from crm.errors import NotFoundError
from models import ApiToken, User, db

TOKEN_PREFIX = "crm_"  # noqa: S105 -- a marker that lets secret scanners spot leaked tokens
# last_used_at is for people ("used today?"): writing it on every call would add a write to
# every read of the API.
LAST_USED_PRECISION = timedelta(minutes=1)
ENDED_TOKENS_SHOWN = timedelta(days=7)


def secret_digest(secret: str) -> str:
    # A header may carry anything: bytes a str cannot encode must not raise.
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


def issue_token(user: User, name: str, now: datetime, max_age_seconds: int) -> tuple[ApiToken, str]:
    """A new token for `user` and its secret, which is stored nowhere: the caller shows it once."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        secret_hash=secret_digest(secret),
        name=name,
        created_at=now,
        expires_at=now + timedelta(seconds=max_age_seconds),
    )
    db.session.add(token)
    db.session.flush()
    record_change(user, "create", "api_token", token.id, {"name": [None, name]})
    return token, secret


def usable_token(secret: str, now: datetime) -> ApiToken | None:
    """The token of this secret, if it is neither expired nor revoked and its user is active."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(
        select(ApiToken)
        .options(joinedload(ApiToken.user))
        .where(ApiToken.secret_hash == secret_digest(secret))
    )
    if token is None or not token.is_usable(now) or not token.user.is_active:
        return None
    return token


def note_use(token: ApiToken, now: datetime) -> bool:
    """Record when the token was last used, to the minute; True when that needs a commit."""
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return False
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.id == token.id)
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    return True


def tokens_of(user: User, now: datetime) -> list[ApiToken]:
    """The user's usable tokens, then those that ended in the last week, newest first."""
    query = select(ApiToken).where(
        ApiToken.user_id == user.id,
        or_(
            ApiToken.revoked_at >= now - ENDED_TOKENS_SHOWN,
            ApiToken.revoked_at.is_(None) & (ApiToken.expires_at >= now - ENDED_TOKENS_SHOWN),
        ),
    )
    found = db.session.scalars(query.order_by(ApiToken.created_at.desc(), ApiToken.id.desc()))
    return sorted(found, key=lambda token: not token.is_usable(now))


def own_token(user: User, token_id: int) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFoundError("")
    return token


def revoke_token(actor: User, token: ApiToken, now: datetime) -> None:
    if token.revoked_at is not None:
        return
    token.revoked_at = now
    db.session.flush()
    record_change(actor, "revoke", "api_token", token.id, {"revoked_at": [None, now.isoformat()]})


def revoke_all_tokens(user: User, now: datetime) -> int:
    result = db.session.execute(
        update(ApiToken)
        .where(
            ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None), ApiToken.expires_at > now
        )
        .values(revoked_at=now)
        .execution_options(synchronize_session="fetch")
    )
    return int(getattr(result, "rowcount", 0) or 0)

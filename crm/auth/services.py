"""Checking credentials."""

from sqlalchemy import func, select

from crm.clock import utcnow
from models import User, db


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None (the caller shows one vague message)."""
    # Accounts are created with lower-case usernames; people type them as they like.
    wanted = username.strip().lower()
    user = db.session.scalar(select(User).where(func.lower(User.username) == wanted))
    if user is None or not user.is_active or not user.check_password(password):
        return None
    user.last_login_at = utcnow()
    return user


def load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.is_active else None

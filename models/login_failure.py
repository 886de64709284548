"""Failed logins for usernames that have no account, so that locking looks the same for them
as for real accounts (the lock-out must not tell which usernames exist)."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Model


class LoginFailure(Model):
    __tablename__ = "login_failures"

    # sha256 hex of the normalised username: what strangers type is not kept in clear.
    username_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    failed_count: Mapped[int] = mapped_column(default=0)
    last_failed_at: Mapped[datetime] = mapped_column(index=True)
    locked_until: Mapped[datetime | None]

"""People who use the CRM and the role that decides what each may see."""

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from models.base import Model, string_enum
from models.reference import Department, SubDistrict


class Role(enum.StrEnum):
    ADMIN = "admin"
    LEADER = "leader"
    MANAGER = "manager"
    DEPARTMENT = "department"


class User(UserMixin, Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role != 'manager' OR sub_district_id IS NOT NULL", name="manager_has_sub_district"
        ),
        CheckConstraint(
            "role != 'department' OR department_id IS NOT NULL", name="staff_has_department"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    email: Mapped[str | None] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(string_enum(Role))
    sub_district_id: Mapped[int | None] = mapped_column(ForeignKey("sub_districts.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    locale: Mapped[str | None] = mapped_column(String(10))
    # Overdue requests of the department escalate to its head(s).
    is_department_head: Mapped[bool] = mapped_column(default=False)
    is_active_account: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    last_login_at: Mapped[datetime | None]
    version_id: Mapped[int] = mapped_column(default=1)
    # Consecutive failed logins; reaching the threshold sets locked_until (crm/auth/lockout.py).
    failed_login_count: Mapped[int] = mapped_column(default=0, server_default="0")
    last_failed_login_at: Mapped[datetime | None]
    locked_until: Mapped[datetime | None]
    # Written into the session cookie at login and compared on every request: raising it ends
    # every session of the user at once (logout, password change, deactivation).
    session_generation: Mapped[int] = mapped_column(default=1, server_default="1")

    sub_district: Mapped[SubDistrict | None] = relationship()
    department: Mapped[Department | None] = relationship()

    __mapper_args__ = {"version_id_col": version_id}  # noqa: RUF012 -- SQLAlchemy's API

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.is_active_account

    def get_id(self) -> str:
        # What Flask-Login keeps in the session cookie; the user loader checks both parts.
        return f"{self.id}:{self.session_generation}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

"""Creating, changing and deactivating user accounts."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.audit import diff, record_change, snapshot
from crm.auth.services import MIN_PASSWORD_LENGTH, end_sessions_and_tokens
from crm.errors import FieldErrors, StaleEditError
from crm.reference import by_slug
from models import Department, Role, SubDistrict, User, db

AUDITED_FIELDS = (
    "username",
    "display_name",
    "email",
    "role",
    "is_active_account",
    "is_department_head",
)


@dataclass
class UserInput:
    username: str
    display_name: str
    role: str
    email: str | None = None
    sub_district: str | None = None  # slug, managers only
    department: str | None = None  # slug, department staff only
    password: str | None = None  # None keeps the current password
    is_active: bool = True
    is_department_head: bool = False  # department staff only: overdue requests escalate to them


def list_users() -> list[User]:
    query = select(User).options(selectinload(User.sub_district), selectinload(User.department))
    return list(db.session.scalars(query.order_by(User.role, User.username)))


def _audited(user: User) -> dict[str, object]:
    # Sub-district and department decide what a user may see: their changes are audited too.
    return snapshot(user, AUDITED_FIELDS) | {
        "sub_district": user.sub_district.slug if user.sub_district else None,
        "department": user.department.slug if user.department else None,
    }


def create_user(actor: User | None, data: UserInput, now_created_at: object) -> User:
    user = User(created_at=now_created_at)
    _apply(user, data, is_new=True)
    db.session.add(user)
    db.session.flush()
    record_change(actor, "create", "user", user.id, diff({}, _audited(user)))
    return user


def update_user(actor: User, user: User, data: UserInput, seen_version: int, now: datetime) -> User:
    if seen_version != user.version_id:
        raise StaleEditError(_("Someone else saved this account after you opened it."))
    before = _audited(user)
    _apply(user, data, is_new=False)
    db.session.flush()
    changes = diff(before, _audited(user))
    if data.password:
        changes["password"] = ["***", "***"]
    if changes:
        record_change(actor, "update", "user", user.id, changes)
    # A changed password or a deactivation ends whatever sessions and tokens the account had:
    # whoever knew the old password, or the person who left, is out at once.
    if data.password or "is_active_account" in changes:
        reason = "password changed by an admin" if data.password else "deactivated"
        end_sessions_and_tokens(actor, user, now, reason)
    return user


def _apply(user: User, data: UserInput, is_new: bool) -> None:
    errors = FieldErrors()
    username = data.username.strip().lower()
    clash = db.session.scalar(select(User.id).where(User.username == username))
    if not username:
        errors.add("username", _("Enter a username."))
    elif clash is not None and clash != user.id:
        errors.add("username", _("This username is taken."))
    try:
        role = Role(data.role)
    except ValueError:
        errors.add("role", _("Choose a role."))
        role = Role.LEADER
    sub_district = by_slug(SubDistrict, data.sub_district) if role == Role.MANAGER else None
    if role == Role.MANAGER and sub_district is None:
        errors.add("sub_district", _("An account manager belongs to one sub-district."))
    department = by_slug(Department, data.department) if role == Role.DEPARTMENT else None
    if role == Role.DEPARTMENT and department is None:
        errors.add("department", _("Department staff belong to one department."))
    if (is_new or data.password) and len(data.password or "") < MIN_PASSWORD_LENGTH:
        errors.add("password", _("At least %(count)d characters.", count=MIN_PASSWORD_LENGTH))
    errors.raise_if_any()
    user.username, user.display_name = username, data.display_name.strip() or username
    user.email = (data.email or "").strip() or None
    user.role, user.sub_district, user.department = role, sub_district, department
    user.is_active_account = data.is_active
    user.is_department_head = data.is_department_head and role == Role.DEPARTMENT
    if data.password:
        user.set_password(data.password)

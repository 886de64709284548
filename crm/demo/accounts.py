"""The demo accounts: an admin, a leader, a manager per sub-district, staff per department;
and who among them wrote each demo row."""

from datetime import datetime
from typing import Any

from sqlalchemy import select

from crm.admin.services import UserInput, create_user
from crm.demo.parts import DemoParts
from crm.demo.people import person_name
from crm.demo.randomness import stream
from crm.reference import all_of
from models import Department, Role, SubDistrict, User, db

ADMIN_USERNAME = "admin"
LEADER_USERNAME = "leader"
MANAGER_PREFIX = "mgr."
STAFF_PREFIX = "dept."
ADMIN_DISPLAY_NAME = "系统管理员"
LEADER_DISPLAY_NAME = "区领导 王建国"
MAIL_DOMAIN = "cultivate.example.com"  # reserved (RFC 2606): reminders never leave the demo


def demo_user_inputs(seed: int, parts: DemoParts, password: str) -> list[UserInput]:
    rng = stream(seed, "accounts")
    taken: set[str] = {"王建国"}

    def staff_name() -> str:
        name = person_name(rng, parts)
        while name in taken:
            name = person_name(rng, parts)
        taken.add(name)
        return name

    def account(
        username: str,
        display_name: str,
        role: Role,
        sub_district: str | None = None,
        department: str | None = None,
    ) -> UserInput:
        email = f"{username}@{MAIL_DOMAIN}"
        return UserInput(
            username,
            display_name,
            role.value,
            email,
            sub_district,
            department,
            password,
            is_department_head=role == Role.DEPARTMENT,  # the one demo account of each
        )

    inputs = [
        account(ADMIN_USERNAME, ADMIN_DISPLAY_NAME, Role.ADMIN),
        account(LEADER_USERNAME, LEADER_DISPLAY_NAME, Role.LEADER),
    ]
    for sub in all_of(SubDistrict):
        display_name = f"{sub.name_zh} {staff_name()}"
        inputs.append(
            account(MANAGER_PREFIX + sub.slug, display_name, Role.MANAGER, sub_district=sub.slug)
        )
    for department in all_of(Department):
        display_name = f"{department.name_zh} {staff_name()}"
        username = STAFF_PREFIX + department.slug
        inputs.append(account(username, display_name, Role.DEPARTMENT, department=department.slug))
    return inputs


def create_demo_users(
    seed: int, parts: DemoParts, password: str, created_at: datetime
) -> tuple[dict[str, User], int]:
    """Create the missing demo accounts through the admin service.

    An account of the same name that already exists (an admin made with `crm create-user`,
    say) is kept as it is. Returns the managers by sub-district slug and how many were created.
    """
    managers: dict[str, User] = {}
    created = 0
    for data in demo_user_inputs(seed, parts, password):
        user = db.session.scalar(select(User).where(User.username == data.username))
        if user is None:
            user = create_user(None, data, created_at)
            created += 1
        if data.sub_district and user.role == Role.MANAGER and user.sub_district is not None:
            managers[user.sub_district.slug] = user
    return managers, created


class Staff:
    """The active accounts, read back once: whom the demo's work is done by."""

    def __init__(self) -> None:
        active = select(User).where(User.is_active_account.is_(True)).order_by(User.id)
        users = list(db.session.scalars(active))
        self.leader = next(user for user in users if user.role == Role.LEADER)
        self.manager_of = {u.sub_district_id: u for u in users if u.role == Role.MANAGER}
        self.staff_of = {u.department_id: u for u in users if u.role == Role.DEPARTMENT}
        self.sub_district_ids = sorted(key for key in self.manager_of if key is not None)


def written_by(user: User, at: datetime) -> dict[str, Any]:
    """The audit fields of a row `user` entered at `at` and nobody changed since."""
    return {"created_by_id": user.id, "created_at": at, "updated_at": at}

"""Who may see and change which firms: the one home of role scoping."""

from sqlalchemy import ColumnElement, false, true

from models import Enterprise, Role, User


def enterprise_scope(user: User) -> ColumnElement[bool]:
    """A WHERE clause limiting firms to those the user may read."""
    if user.role in {Role.ADMIN, Role.LEADER}:
        return true()
    if user.role == Role.MANAGER:
        return Enterprise.sub_district_id == user.sub_district_id
    # Department staff work on the requests routed to them, not on the reservoir as a whole.
    return false()


def can_read_enterprise(user: User, enterprise: Enterprise) -> bool:
    if user.role in {Role.ADMIN, Role.LEADER}:
        return True
    return user.role == Role.MANAGER and enterprise.sub_district_id == user.sub_district_id


def can_edit_enterprises(user: User) -> bool:
    return user.role in {Role.ADMIN, Role.MANAGER}


def can_edit_enterprise(user: User, enterprise: Enterprise) -> bool:
    return can_edit_enterprises(user) and can_read_enterprise(user, enterprise)


def can_read_reservoir(user: User) -> bool:
    return user.role in {Role.ADMIN, Role.LEADER, Role.MANAGER}

"""Who may see and change which records: the one home of role scoping."""

from typing import Any

from sqlalchemy import ColumnElement, Select, false, or_, select, true

from models import (
    Enterprise,
    EnterpriseRequest,
    PackageItem,
    PolicyInstrument,
    PolicyPackage,
    Role,
    User,
    Visit,
    db,
)
from models.visit import visit_participants


def _department_work(user: User) -> tuple[Select[Any], Select[Any]]:
    """The firm ids a department works for: those with a live request routed to it, and those
    with a live package holding an instrument it delivers (the finance bureau pays the loan
    interest subsidy, say)."""
    routed = select(EnterpriseRequest.enterprise_id).where(
        EnterpriseRequest.department_id == user.department_id,
        EnterpriseRequest.deleted_at.is_(None),
    )
    delivering = (
        select(PolicyPackage.enterprise_id)
        .join(PackageItem, PackageItem.package_id == PolicyPackage.id)
        .join(PolicyInstrument, PackageItem.instrument_id == PolicyInstrument.id)
        .where(
            PolicyInstrument.department_id == user.department_id,
            PolicyPackage.deleted_at.is_(None),
        )
    )
    return routed, delivering


def _department_firms(user: User) -> ColumnElement[bool]:
    # IN, not EXISTS: the planner starts from the department's requests and packages (indexed
    # by department) instead of testing each of the district's firms.
    routed, delivering = _department_work(user)
    return or_(Enterprise.id.in_(routed), Enterprise.id.in_(delivering))


def enterprise_scope(user: User) -> ColumnElement[bool]:
    """A WHERE clause limiting firms to those the user may read."""
    if user.role in {Role.ADMIN, Role.LEADER}:
        return true()
    if user.role == Role.MANAGER:
        return Enterprise.sub_district_id == user.sub_district_id
    if user.role == Role.DEPARTMENT:
        # Department staff read the firms they work for, and no others.
        return _department_firms(user)
    return false()


def can_read_enterprise(user: User, enterprise: Enterprise) -> bool:
    if user.role in {Role.ADMIN, Role.LEADER}:
        return True
    if user.role == Role.MANAGER:
        return enterprise.sub_district_id == user.sub_district_id
    if user.role == Role.DEPARTMENT:
        routed, delivering = _department_work(user)
        # One firm: two index seeks, not the department's whole list of firms.
        of_firm = (
            routed.where(EnterpriseRequest.enterprise_id == enterprise.id).exists(),
            delivering.where(PolicyPackage.enterprise_id == enterprise.id).exists(),
        )
        return bool(db.session.scalar(select(or_(*of_firm))))
    return False


def can_edit_enterprises(user: User) -> bool:
    return user.role in {Role.ADMIN, Role.MANAGER}


def can_edit_enterprise(user: User, enterprise: Enterprise) -> bool:
    return can_edit_enterprises(user) and can_read_enterprise(user, enterprise)


def can_read_reservoir(user: User) -> bool:
    return user.role in {Role.ADMIN, Role.LEADER, Role.MANAGER}


def request_scope(user: User) -> ColumnElement[bool]:
    """Requests the user may read: a department its own inbox, a manager their firms'."""
    if user.role in {Role.ADMIN, Role.LEADER}:
        return true()
    if user.role == Role.DEPARTMENT:
        return EnterpriseRequest.department_id == user.department_id
    if user.role == Role.MANAGER:
        return EnterpriseRequest.enterprise.has(Enterprise.sub_district_id == user.sub_district_id)
    return false()


def can_read_request(user: User, request: EnterpriseRequest) -> bool:
    if user.role in {Role.ADMIN, Role.LEADER}:
        return True
    if user.role == Role.DEPARTMENT:
        return request.department_id == user.department_id
    if user.role == Role.MANAGER:
        return request.enterprise.sub_district_id == user.sub_district_id
    return False


def visit_scope(user: User) -> ColumnElement[bool]:
    """Visits the user may read: those of the firms they may read, and those they took part in."""
    if user.role in {Role.ADMIN, Role.LEADER}:
        return true()
    if user.role == Role.MANAGER:
        return Visit.enterprise.has(Enterprise.sub_district_id == user.sub_district_id)
    # IN, not EXISTS: the planner starts from the user's few participations (indexed by user)
    # instead of testing every visit of the district.
    taken_part = select(visit_participants.c.visit_id).where(
        visit_participants.c.user_id == user.id
    )
    return Visit.id.in_(taken_part)


def can_read_visit(user: User, visit: Visit) -> bool:
    if user.role in {Role.ADMIN, Role.LEADER}:
        return True
    if user.role == Role.MANAGER:
        return visit.enterprise.sub_district_id == user.sub_district_id
    return any(participant.id == user.id for participant in visit.participants)


def package_scope(user: User) -> ColumnElement[bool]:
    if user.role in {Role.ADMIN, Role.LEADER}:
        return true()
    if user.role == Role.MANAGER:
        return PolicyPackage.enterprise.has(Enterprise.sub_district_id == user.sub_district_id)
    if user.role == Role.DEPARTMENT:
        # Read-only: the packages holding an instrument their department delivers.
        return PolicyPackage.items.any(
            PackageItem.instrument.has(PolicyInstrument.department_id == user.department_id)
        )
    return false()


def can_read_package(user: User, package: PolicyPackage) -> bool:
    if user.role in {Role.ADMIN, Role.LEADER}:
        return True
    if user.role == Role.MANAGER:
        return package.enterprise.sub_district_id == user.sub_district_id
    if user.role == Role.DEPARTMENT:
        return any(item.instrument.department_id == user.department_id for item in package.items)
    return False

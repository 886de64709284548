"""Who may see and act on which discovery candidates and events.

Managers screen the candidates of their sub-district; leaders and administrators see all of
them, assign the unassigned and keep the events; department staff refer candidates and see the
ones their department referred. Anyone else gets 404 for a candidate, as for a firm.
"""

from sqlalchemy import ColumnElement, false, true

from models import DiscoveryCandidate, Role, User


def candidate_scope(user: User) -> ColumnElement[bool]:
    if user.role in {Role.ADMIN, Role.LEADER}:
        return true()
    if user.role == Role.MANAGER:
        return DiscoveryCandidate.sub_district_id == user.sub_district_id
    if user.role == Role.DEPARTMENT:
        return DiscoveryCandidate.department_id == user.department_id
    return false()


def can_read_candidate(user: User, candidate: DiscoveryCandidate) -> bool:
    if user.role in {Role.ADMIN, Role.LEADER}:
        return True
    if user.role == Role.MANAGER:
        return candidate.sub_district_id == user.sub_district_id
    if user.role == Role.DEPARTMENT:
        return candidate.department_id == user.department_id
    return False


def can_propose(user: User) -> bool:
    return user.role in {Role.ADMIN, Role.LEADER, Role.MANAGER, Role.DEPARTMENT}


def can_screen(user: User, candidate: DiscoveryCandidate) -> bool:
    """Screening and deciding: the managers of its sub-district, and administrators."""
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.MANAGER and candidate.sub_district_id == user.sub_district_id


def can_assign(user: User) -> bool:
    return user.role in {Role.ADMIN, Role.LEADER}


def can_manage_events(user: User) -> bool:
    return user.role in {Role.ADMIN, Role.LEADER}


def can_import(user: User) -> bool:
    return user.role in {Role.ADMIN, Role.LEADER, Role.MANAGER}


def can_see_statistics(user: User) -> bool:
    return user.role in {Role.ADMIN, Role.LEADER, Role.MANAGER}

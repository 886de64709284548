"""Who may read and change white-list records: the roles of crm/access.py, applied to credit."""

from sqlalchemy import ColumnElement, false, select, true

from crm import access
from models import Enterprise, Nomination, Role, User

# Staff of the finance bureau read batches and decisions (it pays the loan interest subsidy);
# other departments have no part in the white lists.
FINANCE_DEPARTMENT = "finance"


def is_finance_staff(user: User) -> bool:
    return (
        user.role == Role.DEPARTMENT
        and user.department is not None
        and user.department.slug == FINANCE_DEPARTMENT
    )


def can_read_credit(user: User) -> bool:
    return user.role in {Role.ADMIN, Role.LEADER, Role.MANAGER} or is_finance_staff(user)


def can_manage(user: User) -> bool:
    """Banks, products, batches, submission, export and the bank's decisions."""
    return user.role in {Role.ADMIN, Role.LEADER}


def can_nominate(user: User) -> bool:
    return user.role in {Role.ADMIN, Role.LEADER, Role.MANAGER}


def nomination_scope(user: User) -> ColumnElement[bool]:
    """Nominations the user may read: a manager those of their firms, finance staff all."""
    if user.role in {Role.ADMIN, Role.LEADER} or is_finance_staff(user):
        return true()
    if user.role == Role.MANAGER:
        firms = select(Enterprise.id).where(access.enterprise_scope(user))
        return Nomination.enterprise_id.in_(firms)
    return false()


def can_read_nomination(user: User, nomination: Nomination) -> bool:
    if user.role in {Role.ADMIN, Role.LEADER} or is_finance_staff(user):
        return True
    if user.role == Role.MANAGER:
        return access.can_read_enterprise(user, nomination.enterprise)
    return False


def can_act_on_firm(user: User, nomination: Nomination) -> bool:
    """Drawdowns and renewals: leaders and admins, and the manager of the firm."""
    return can_manage(user) or (
        user.role == Role.MANAGER and access.can_read_enterprise(user, nomination.enterprise)
    )

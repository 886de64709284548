"""A manager's day in four short lists: visits due, follow-ups due, requests waiting, firms at risk.

Each list is one bounded query plus one capped count, so the page costs the same at 100 firms or
100,000. Visit due dates come from the reminder rules' own query (crm.reminders.visit_due), so the
page and the reminders never disagree about which firm is late.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from crm import keyset
from crm.access import enterprise_scope
from crm.reminders.settings import ReminderSettings
from crm.reminders.visit_due import visit_due_query
from crm.requests.queries import live_requests
from crm.requests.workflow import PENDING_STATES
from crm.visits.queries import page_of_flagged_firms
from models import (
    Enterprise,
    EnterpriseRequest,
    FollowUpAction,
    RequestState,
    User,
    Visit,
    db,
)

T = TypeVar("T")
SECTION_SIZE = 10  # a phone screen's worth; the rest is one link away
BADGE_CAP = 99  # the navigation bar shows "99+" beyond this, so counting stops there
# The manager closes the loop with the firm: the department's answer waits on them.
WAITING_ON_MANAGER = (RequestState.RESOLVED,)


@dataclass(frozen=True)
class Section(Generic[T]):
    items: list[T]
    count: keyset.Count


@dataclass(frozen=True)
class VisitDue:
    enterprise: Enterprise
    due_on: date


def end_of_week(today: date) -> date:
    """The Sunday of `today`'s week: "this week" on the page."""
    return today + timedelta(days=6 - today.weekday())


def _visit_due_rows(manager: User, settings: ReminderSettings, by: date) -> Select[Any]:
    # The firms the manager is responsible for, inside their sub-district: reminders go to the
    # firm's manager, and the scope rule keeps a firm moved to another sub-district off the page.
    due = visit_due_query(settings).subquery("visit_due")
    return (
        select(due.c.enterprise_id, due.c.due_on)
        .where(
            due.c.manager_id == manager.id,
            due.c.sub_district_id == manager.sub_district_id,
            due.c.due_on <= by,
        )
        .order_by(due.c.due_on, due.c.enterprise_id)
    )


def visits_due(manager: User, today: date, settings: ReminderSettings) -> Section[VisitDue]:
    """Firms whose next visit falls due by the end of the week (or already has), most late first."""
    # Named once and read twice (the first rows, the count), so SQLite and PostgreSQL work out
    # the due dates once: each needs the firm's last visit.
    due = _visit_due_rows(manager, settings, end_of_week(today)).order_by(None).cte("due_soon")
    total = select(func.count()).select_from(due).scalar_subquery()
    first = (
        select(due.c.enterprise_id, due.c.due_on, total.label("total"))
        .order_by(due.c.due_on, due.c.enterprise_id)
        .limit(SECTION_SIZE)
    )
    found = db.session.execute(first).all()
    firms = db.session.scalars(
        select(Enterprise).where(Enterprise.id.in_([row.enterprise_id for row in found]))
    )
    by_id = {firm.id: firm for firm in firms}
    items = [VisitDue(by_id[row.enterprise_id], row.due_on) for row in found]
    return Section(items, keyset.Count(found[0].total if found else 0, is_exact=True))


def _follow_up_rows(owner: User, by: date) -> Select[FollowUpAction]:
    return (
        select(FollowUpAction)
        .join(Visit, Visit.id == FollowUpAction.visit_id)
        .join(Enterprise, Enterprise.id == Visit.enterprise_id)
        .where(
            FollowUpAction.owner_id == owner.id,
            FollowUpAction.done_at.is_(None),
            FollowUpAction.due_on <= by,
            Visit.deleted_at.is_(None),
            Enterprise.deleted_at.is_(None),
            enterprise_scope(owner),
        )
        .order_by(FollowUpAction.due_on, FollowUpAction.id)
    )


def follow_ups_due(owner: User, today: date) -> Section[FollowUpAction]:
    """Open follow-up actions the user owns, due by the end of the week, oldest due first."""
    rows = _follow_up_rows(owner, end_of_week(today))
    page = rows.options(
        contains_eager(FollowUpAction.visit).contains_eager(Visit.enterprise)
    ).limit(SECTION_SIZE)
    return Section(list(db.session.scalars(page)), keyset.capped_count(rows))


def _waiting_rows(manager: User) -> Select[EnterpriseRequest]:
    # Two managers may share a sub-district: each confirms the requests they raised and those
    # of the firms they manage, not a colleague's.
    mine = or_(
        EnterpriseRequest.created_by_id == manager.id,
        EnterpriseRequest.enterprise_id.in_(
            select(Enterprise.id).where(Enterprise.manager_id == manager.id)
        ),
    )
    return (
        live_requests(manager)
        .where(EnterpriseRequest.state.in_(WAITING_ON_MANAGER), mine)
        .order_by(EnterpriseRequest.due_on, EnterpriseRequest.id)
    )


def requests_waiting(manager: User) -> Section[EnterpriseRequest]:
    """Requests the department has answered, waiting for the manager to confirm with the firm."""
    rows = _waiting_rows(manager)
    page = rows.options(
        selectinload(EnterpriseRequest.enterprise), selectinload(EnterpriseRequest.department)
    ).limit(SECTION_SIZE)
    return Section(list(db.session.scalars(page)), keyset.capped_count(rows))


def firms_at_risk(manager: User) -> Section[Enterprise]:
    """Firms in scope carrying the risk marker, latest flagged first (the risks page's order)."""
    rows, _page = page_of_flagged_firms(manager, SECTION_SIZE)
    flagged = select(Enterprise.id).where(
        Enterprise.deleted_at.is_(None),
        Enterprise.risk_flagged_on.is_not(None),
        enterprise_scope(manager),
    )
    return Section([firm for firm, _visit in rows], keyset.capped_count(flagged))


def due_now_count(manager: User, today: date) -> keyset.Count:
    """What the "Today" badge counts: follow-ups due by today and requests waiting on the manager.

    Visits due are left to the reminders badge: their due dates need every firm's last visit,
    too dear to work out on every page, and the reminder scan has already stored them."""
    parts = (
        keyset.capped_count(_follow_up_rows(manager, today), BADGE_CAP),
        keyset.capped_count(_waiting_rows(manager), BADGE_CAP),
    )
    total = sum(part.value for part in parts)
    is_exact = all(part.is_exact for part in parts) and total <= BADGE_CAP
    return keyset.Count(min(total, BADGE_CAP), is_exact)


def waiting_on_department_count(staff: User) -> keyset.Count:
    """Requests routed to the staff member's department that it still owes the firm an answer."""
    pending = select(EnterpriseRequest.id).where(
        EnterpriseRequest.department_id == staff.department_id,
        EnterpriseRequest.state.in_(PENDING_STATES),
        EnterpriseRequest.deleted_at.is_(None),
    )
    return keyset.capped_count(pending, BADGE_CAP)

"""Lists of requests within a user's scope: the inbox, the API's filters, a firm's timeline."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import selectinload

from crm import access, keyset
from crm.access import enterprise_scope
from crm.keyset import Key
from crm.reference import by_slug
from crm.requests.workflow import PENDING_STATES
from models import Department, Enterprise, EnterpriseRequest, RequestState, User, db

REQUEST_ORDER = (Key(EnterpriseRequest.due_on, date), Key(EnterpriseRequest.id, int))
FINISHED_STATES = frozenset(RequestState) - PENDING_STATES


@dataclass(frozen=True)
class RequestFilter:
    state: str = ""
    department: str = ""  # slug
    enterprise_id: int | None = None
    is_overdue: bool = False

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> "RequestFilter":
        raw_id = (args.get("enterprise_id") or "").strip()
        return cls(
            state=(args.get("state") or "").strip(),
            department=(args.get("department") or "").strip(),
            enterprise_id=int(raw_id) if raw_id.isascii() and raw_id.isdigit() else None,
            is_overdue=(args.get("overdue") or "").strip().lower() in {"1", "true", "yes", "on"},
        )


def overdue_clause(today: date) -> ColumnElement[bool]:
    return and_(EnterpriseRequest.state.in_(PENDING_STATES), EnterpriseRequest.due_on < today)


def live_requests(user: User) -> Select[EnterpriseRequest]:
    return select(EnterpriseRequest).where(
        EnterpriseRequest.deleted_at.is_(None), access.request_scope(user)
    )


def request_query(user: User, filters: RequestFilter, today: date) -> Select[EnterpriseRequest]:
    query = live_requests(user)
    if filters.state in set(RequestState):
        query = query.where(EnterpriseRequest.state == RequestState(filters.state))
    if filters.department:
        department = by_slug(Department, filters.department)
        query = query.where(
            EnterpriseRequest.department_id == (department.id if department else -1)
        )
    if filters.enterprise_id is not None:
        query = query.where(EnterpriseRequest.enterprise_id == filters.enterprise_id)
    if filters.is_overdue:
        query = query.where(overdue_clause(today))
    return query.options(
        selectinload(EnterpriseRequest.enterprise),
        selectinload(EnterpriseRequest.department),
        selectinload(EnterpriseRequest.created_by),  # the API names who raised each request
    )


def page_of(
    query: Select[EnterpriseRequest],
    filters: RequestFilter,
    per_page: int,
    after: str | None = None,
    before: str | None = None,
    offset: int = 0,
) -> keyset.Page[EnterpriseRequest]:
    """Work still owed to the firm leads the inbox, soonest due first; finished requests follow.

    Two segments read in turn, each along an index on due_on, instead of sorting every request
    by a pending-first CASE. A filter that rules a segment out drops it.
    """
    pending = EnterpriseRequest.state.in_(PENDING_STATES)
    segments = []
    if filters.state not in FINISHED_STATES:
        segments.append(query.where(pending))
    if filters.state not in PENDING_STATES and not filters.is_overdue:
        segments.append(query.where(~pending))
    return keyset.page_of(segments, REQUEST_ORDER, _sort_values, per_page, after, before, offset)


def _sort_values(item: EnterpriseRequest) -> tuple[date, int]:
    return item.due_on, item.id


def requests_of_enterprise(user: User, enterprise_id: int, limit: int) -> list[EnterpriseRequest]:
    """The firm's latest requests that `user` may read, newest first, for the firm's timeline."""
    query = (
        live_requests(user)
        .where(EnterpriseRequest.enterprise_id == enterprise_id)
        .options(selectinload(EnterpriseRequest.department))
        .order_by(EnterpriseRequest.raised_on.desc(), EnterpriseRequest.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def open_request_count(enterprise_id: int) -> int:
    """Live requests of the firm still waiting for the department (open, accepted, in progress)."""
    query = select(func.count(EnterpriseRequest.id)).where(
        EnterpriseRequest.enterprise_id == enterprise_id,
        EnterpriseRequest.deleted_at.is_(None),
        EnterpriseRequest.state.in_(PENDING_STATES),
    )
    return db.session.scalar(query) or 0


def chosen_firm(user: User, enterprise_id: int | None) -> list[tuple[int, str]]:
    """The one firm a request form offers: the chosen one, when it is live and in `user`'s scope.

    The form never lists the whole scope (100,000 firms for a leader): the search box, or the
    page's own search without JavaScript, finds the others.
    """
    if not enterprise_id:
        return []
    query = select(Enterprise.id, Enterprise.name).where(
        Enterprise.id == enterprise_id, Enterprise.deleted_at.is_(None), enterprise_scope(user)
    )
    return [(row.id, row.name) for row in db.session.execute(query)]

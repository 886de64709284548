"""Lists of visits and of firms by their visits: scoped by crm.access, newest first."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, exists, func, select
from sqlalchemy.orm import selectinload

from crm import keyset
from crm.access import enterprise_scope, visit_scope
from crm.keyset import Key
from crm.reference import by_slug
from models import (
    Enterprise,
    EnterpriseStatus,
    FollowUpAction,
    Role,
    SubDistrict,
    User,
    Visit,
    VisitKind,
    db,
)

VISIT_ORDER = (Key(Visit.visited_on, date, is_descending=True), Key(Visit.id, int, True))
FLAGGED_ORDER = (
    Key(Enterprise.risk_flagged_on, date, is_descending=True),
    Key(Enterprise.name, str),
    Key(Enterprise.id, int),
)
ROSTER_ORDER = (Key(Enterprise.name, str), Key(Enterprise.id, int))


@dataclass(frozen=True)
class VisitFilter:
    enterprise_id: int | None = None
    sub_district: str = ""  # slug
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class OverdueFirm:
    enterprise: Enterprise
    last_visit_on: date | None
    days_since: int | None


def visit_query(user: User, filters: VisitFilter) -> Select[Visit]:
    query = select(Visit).where(Visit.deleted_at.is_(None), visit_scope(user))
    if filters.enterprise_id is not None:
        query = query.where(Visit.enterprise_id == filters.enterprise_id)
    if filters.sub_district:
        sub_district = by_slug(SubDistrict, filters.sub_district)
        in_sub_district = Enterprise.sub_district_id == (sub_district.id if sub_district else -1)
        query = query.where(Visit.enterprise.has(in_sub_district))
    if filters.since is not None:
        query = query.where(Visit.visited_on >= filters.since)
    if filters.until is not None:
        query = query.where(Visit.visited_on <= filters.until)
    return query.order_by(Visit.visited_on.desc(), Visit.id.desc())


def visits_of_enterprise(user: User, enterprise_id: int, limit: int) -> list[Visit]:
    """The firm's latest visits the user may read, newest first: the firm page's timeline."""
    query = visit_query(user, VisitFilter(enterprise_id=enterprise_id)).limit(limit)
    return list(db.session.scalars(query.options(selectinload(Visit.red_flags))))


def last_visit_on(enterprise_id: int) -> date | None:
    return db.session.scalar(
        select(func.max(Visit.visited_on)).where(
            Visit.enterprise_id == enterprise_id, Visit.deleted_at.is_(None)
        )
    )


def overdue_firms(user: User, today: date, limit: int) -> list[OverdueFirm]:
    """Operating firms in scope, never-visited first (by name), then the longest unvisited."""
    in_scope = (
        Enterprise.deleted_at.is_(None),
        Enterprise.status == EnterpriseStatus.ACTIVE,
        enterprise_scope(user),
    )
    details = (selectinload(Enterprise.manager), selectinload(Enterprise.sub_district))
    # Usually the never-visited alone fill the list: read along the name index, one seek each.
    never = (
        select(Enterprise)
        .where(*in_scope, ~exists().where(Visit.enterprise_id == Enterprise.id, _live_visit()))
        .order_by(Enterprise.name, Enterprise.id)
        .limit(limit)
        .options(*details)
    )
    # A department's scope is a list of firms built from its requests and packages, not a
    # column: walking the name index cannot stop early there, so rank straight away.
    firms = list(db.session.scalars(never)) if user.role != Role.DEPARTMENT else []
    if len(firms) == limit:
        return [OverdueFirm(firm, None, None) for firm in firms]
    # Otherwise every firm's last visit ranks them: one index seek per firm, sorted on narrow
    # rows; only the chosen firms are read whole.
    last_on = (
        select(func.max(Visit.visited_on))
        .where(Visit.enterprise_id == Enterprise.id, _live_visit())
        .correlate(Enterprise)
        .scalar_subquery()
        .label("last_on")
    )
    ranked = (
        select(Enterprise.id, Enterprise.name, last_on)
        .where(*in_scope)
        .order_by(last_on.asc().nulls_first(), Enterprise.name, Enterprise.id)
        .limit(limit)
        .subquery()
    )
    query = (
        select(Enterprise, ranked.c.last_on)
        .join(ranked, ranked.c.id == Enterprise.id)
        .order_by(ranked.c.last_on.asc().nulls_first(), ranked.c.name, ranked.c.id)
        .options(*details)
    )
    return [
        OverdueFirm(firm, last, (today - last).days if last else None)
        for firm, last in db.session.execute(query).all()
    ]


def _live_visit() -> ColumnElement[bool]:
    return Visit.deleted_at.is_(None)


def page_of_flagged_firms(
    user: User, per_page: int, after: str | None = None, before: str | None = None
) -> tuple[list[tuple[Enterprise, Visit | None]], keyset.Page[Enterprise]]:
    """Firms carrying the risk marker, latest flagged first, with the on-site visit behind it."""
    query = select(Enterprise).where(
        Enterprise.deleted_at.is_(None),
        Enterprise.risk_flagged_on.is_not(None),
        enterprise_scope(user),
    )
    query = query.options(selectinload(Enterprise.manager), selectinload(Enterprise.sub_district))
    page = keyset.page_of(query, FLAGGED_ORDER, _flagged_sort_values, per_page, after, before)
    latest = _latest_visits([firm.id for firm in page.rows], on_site_only=True)
    return [(firm, latest.get(firm.id)) for firm in page.rows], page


def page_of_roster(
    leader: User, per_page: int, after: str | None = None, before: str | None = None
) -> tuple[list[tuple[Enterprise, Visit | None]], keyset.Page[Enterprise]]:
    """The firms a leader keeps in touch with, by name, each with its latest visit (by anyone)."""
    query = select(Enterprise).where(
        Enterprise.deleted_at.is_(None), Enterprise.contact_leader_id == leader.id
    )
    page = keyset.page_of(query, ROSTER_ORDER, _roster_sort_values, per_page, after, before)
    latest = _latest_visits([firm.id for firm in page.rows], on_site_only=False)
    return [(firm, latest.get(firm.id)) for firm in page.rows], page


def _latest_visits(enterprise_ids: list[int], on_site_only: bool) -> dict[int, Visit]:
    """Each firm's newest live visit: one index seek per firm of the page, not all its visits."""
    if not enterprise_ids:
        return {}
    latest_id = select(Visit.id).where(
        Visit.enterprise_id == Enterprise.id, Visit.deleted_at.is_(None)
    )
    if on_site_only:
        latest_id = latest_id.where(Visit.kind == VisitKind.ON_SITE)
    latest_id = latest_id.order_by(Visit.visited_on.desc(), Visit.id.desc()).limit(1)
    ids = select(latest_id.correlate(Enterprise).scalar_subquery()).where(
        Enterprise.id.in_(enterprise_ids)
    )
    query = select(Visit).where(Visit.id.in_(ids)).options(selectinload(Visit.red_flags))
    return {visit.enterprise_id: visit for visit in db.session.scalars(query)}


def _visit_sort_values(visit: Visit) -> tuple[date, int]:
    return visit.visited_on, visit.id


def _flagged_sort_values(firm: Enterprise) -> tuple[date | None, str, int]:
    return firm.risk_flagged_on, firm.name, firm.id


def _roster_sort_values(firm: Enterprise) -> tuple[str, int]:
    return firm.name, firm.id


# A page of `query` in its order (newest first): after/before a cursor, or at `offset`.
page_of_visits: keyset.KeysetPager[Visit] = keyset.KeysetPager(
    VISIT_ORDER,
    _visit_sort_values,
    (
        selectinload(Visit.enterprise),
        selectinload(Visit.created_by),
        selectinload(Visit.participants),
        selectinload(Visit.red_flags),
        selectinload(Visit.follow_ups).selectinload(FollowUpAction.owner),
    ),
)

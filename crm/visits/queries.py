"""Lists of visits and of firms by their visits: scoped by crm.access, newest first."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import selectinload

from crm.access import enterprise_scope, visit_scope
from models import (
    Enterprise,
    EnterpriseStatus,
    FollowUpAction,
    SubDistrict,
    User,
    Visit,
    VisitKind,
    db,
)

MAX_PAGE = 1_000_000


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
        in_sub_district = Enterprise.sub_district.has(SubDistrict.slug == filters.sub_district)
        query = query.where(Visit.enterprise.has(in_sub_district))
    if filters.since is not None:
        query = query.where(Visit.visited_on >= filters.since)
    if filters.until is not None:
        query = query.where(Visit.visited_on <= filters.until)
    return query.order_by(Visit.visited_on.desc(), Visit.id.desc())


def page_of_visits(query: Select[Visit], page: int, per_page: int) -> tuple[list[Visit], int]:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    page = min(max(page, 1), MAX_PAGE)  # a huge ?page= would overflow the database's OFFSET
    rows = db.session.scalars(
        _with_details(query).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return list(rows), total or 0


def visits_of_enterprise(user: User, enterprise_id: int) -> list[Visit]:
    """The firm's visits the user may read, newest first: the firm page's timeline."""
    query = visit_query(user, VisitFilter(enterprise_id=enterprise_id))
    return list(db.session.scalars(_with_details(query)))


def last_visit_on(enterprise_id: int) -> date | None:
    return db.session.scalar(
        select(func.max(Visit.visited_on)).where(
            Visit.enterprise_id == enterprise_id, Visit.deleted_at.is_(None)
        )
    )


def overdue_firms(user: User, today: date, limit: int) -> list[OverdueFirm]:
    """Operating firms in scope, never-visited first, then the longest unvisited."""
    last = (
        select(Visit.enterprise_id, func.max(Visit.visited_on).label("last_on"))
        .where(Visit.deleted_at.is_(None))
        .group_by(Visit.enterprise_id)
        .subquery()
    )
    query = (
        select(Enterprise, last.c.last_on)
        .outerjoin(last, last.c.enterprise_id == Enterprise.id)
        .where(
            Enterprise.deleted_at.is_(None),
            Enterprise.status == EnterpriseStatus.ACTIVE,
            enterprise_scope(user),
        )
        .order_by(case((last.c.last_on.is_(None), 0), else_=1), last.c.last_on, Enterprise.name)
        .options(selectinload(Enterprise.manager), selectinload(Enterprise.sub_district))
        .limit(limit)
    )
    return [
        OverdueFirm(firm, last_on, (today - last_on).days if last_on else None)
        for firm, last_on in db.session.execute(query).all()
    ]


def flagged_firms(user: User) -> list[tuple[Enterprise, Visit | None]]:
    """Firms carrying the risk marker, with the on-site visit that raised it."""
    query = (
        select(Enterprise)
        .where(
            Enterprise.deleted_at.is_(None),
            Enterprise.risk_flagged_on.is_not(None),
            enterprise_scope(user),
        )
        .order_by(Enterprise.risk_flagged_on.desc(), Enterprise.name)
        .options(selectinload(Enterprise.manager), selectinload(Enterprise.sub_district))
    )
    firms = list(db.session.scalars(query))
    latest = _latest_visits([firm.id for firm in firms], on_site_only=True)
    return [(firm, latest.get(firm.id)) for firm in firms]


def roster_of(leader: User) -> list[tuple[Enterprise, Visit | None]]:
    """The firms a leader keeps in touch with, each with its latest visit (by anyone)."""
    query = (
        select(Enterprise)
        .where(Enterprise.deleted_at.is_(None), Enterprise.contact_leader_id == leader.id)
        .order_by(Enterprise.name)
    )
    firms = list(db.session.scalars(query))
    latest = _latest_visits([firm.id for firm in firms], on_site_only=False)
    return [(firm, latest.get(firm.id)) for firm in firms]


def _latest_visits(enterprise_ids: list[int], on_site_only: bool) -> dict[int, Visit]:
    if not enterprise_ids:
        return {}
    query = select(Visit).where(Visit.enterprise_id.in_(enterprise_ids), Visit.deleted_at.is_(None))
    if on_site_only:
        query = query.where(Visit.kind == VisitKind.ON_SITE)
    ranked = query.order_by(Visit.visited_on.desc(), Visit.id.desc())
    latest: dict[int, Visit] = {}
    for visit in db.session.scalars(ranked.options(selectinload(Visit.red_flags))):
        latest.setdefault(visit.enterprise_id, visit)
    return latest


def _with_details(query: Select[Visit]) -> Select[Visit]:
    return query.options(
        selectinload(Visit.enterprise),
        selectinload(Visit.created_by),
        selectinload(Visit.participants),
        selectinload(Visit.red_flags),
        selectinload(Visit.follow_ups).selectinload(FollowUpAction.owner),
    )

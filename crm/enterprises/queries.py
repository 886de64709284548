"""The reservoir list: search, filters and sorting over the firms a user may read."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, or_, select
from sqlalchemy.orm import selectinload

from crm.access import enterprise_scope
from models import (
    Enterprise,
    EnterpriseDesignation,
    IndustryTrack,
    Role,
    SubDistrict,
    Tier,
    User,
    Zone,
    db,
)

SORTABLE = ("name", "uscc", "tier", "founded_on", "registered_capital", "updated_at")
FILTER_NAMES = ("q", "zone", "sub_district", "track", "tier", "designation", "manager")
MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class ReservoirFilter:
    q: str = ""
    zone: str = ""
    sub_district: str = ""
    track: str = ""
    tier: str = ""
    designation: str = ""
    manager: str = ""
    sort: str = "name"
    descending: bool = False

    @classmethod
    def from_args(cls, args: Any) -> "ReservoirFilter":
        sort = args.get("sort", "name")
        return cls(
            q=args.get("q", "").strip(),
            zone=args.get("zone", ""),
            sub_district=args.get("sub_district", ""),
            track=args.get("track", ""),
            tier=args.get("tier", ""),
            designation=args.get("designation", ""),
            manager=args.get("manager", ""),
            sort=sort if sort in SORTABLE else "name",
            descending=args.get("direction") == "desc",
        )

    def as_args(self, **changes: object) -> dict[str, object]:
        """The filters as query arguments for links (only known names: never `_external`)."""
        args: dict[str, object] = {name: getattr(self, name) for name in FILTER_NAMES}
        args = {name: value for name, value in args.items() if value}
        args.update(sort=self.sort, direction="desc" if self.descending else "asc")
        return args | changes


def reservoir_query(user: User, filters: ReservoirFilter) -> Select[Enterprise]:
    query = select(Enterprise).where(Enterprise.deleted_at.is_(None), enterprise_scope(user))
    if filters.q:  # autoescape: a search for "100%" or "A_B" means those characters
        query = query.where(
            or_(
                Enterprise.name.icontains(filters.q, autoescape=True),
                Enterprise.uscc.startswith(filters.q.upper(), autoescape=True),
            )
        )
    if filters.zone:
        query = query.where(Enterprise.zone.has(Zone.slug == filters.zone))
    if filters.sub_district:
        query = query.where(Enterprise.sub_district.has(SubDistrict.slug == filters.sub_district))
    if filters.track:
        query = query.where(Enterprise.track.has(IndustryTrack.slug == filters.track))
    if filters.tier:
        query = query.where(Enterprise.tier == filters.tier)
    if filters.designation:
        query = query.where(
            Enterprise.designation_rows.any(
                EnterpriseDesignation.designation == filters.designation
            )
        )
    if filters.manager:
        query = query.where(Enterprise.manager.has(User.username == filters.manager))
    order = _sort_column(filters.sort)
    return query.order_by(order.desc() if filters.descending else order.asc(), Enterprise.id)


def _sort_column(name: str) -> ColumnElement[object]:
    if name == "tier":  # by rank in the cultivation ladder, not alphabetically
        return case({tier.value: rank for rank, tier in enumerate(Tier)}, value=Enterprise.tier)
    return getattr(Enterprise, name)  # type: ignore[no-any-return]


def with_list_columns(query: Select[Enterprise]) -> Select[Enterprise]:
    """Load what a list row shows in a few queries, not one per firm."""
    return query.options(
        selectinload(Enterprise.sub_district),
        selectinload(Enterprise.zone),
        selectinload(Enterprise.track),
        selectinload(Enterprise.manager),
        selectinload(Enterprise.designation_rows),
        selectinload(Enterprise.yearly_figures),
        selectinload(Enterprise.contacts),
    )


def count(query: Select[Enterprise]) -> int:
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


def page_of(query: Select[Enterprise], page: int, per_page: int) -> tuple[list[Enterprise], int]:
    total = count(query)
    page = min(max(page, 1), MAX_PAGE)  # a huge ?page= would overflow the database's OFFSET
    rows = db.session.scalars(
        with_list_columns(query).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return list(rows), total


def managers_in_scope(user: User) -> list[User]:
    query = select(User).where(User.role == Role.MANAGER, User.is_active_account.is_(True))
    if user.role == Role.MANAGER:
        query = query.where(User.sub_district_id == user.sub_district_id)
    return list(db.session.scalars(query.order_by(User.username)))

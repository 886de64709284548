"""The reservoir list: search, filters and sorting over the firms a user may read."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, case, or_, select
from sqlalchemy.orm import selectinload

from crm.access import enterprise_scope
from crm.enterprises import keyset
from crm.keyset import offset_of
from crm.text_checks import without_unsafe_characters
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
        # The app refuses a NUL in any query string; dropping unsafe characters here as well keeps
        # PostgreSQL from ever seeing one, whoever builds the filter.
        def text(name: str) -> str:
            return without_unsafe_characters(args.get(name, "")).strip()

        sort = text("sort")
        return cls(
            q=text("q"),
            zone=text("zone"),
            sub_district=text("sub_district"),
            track=text("track"),
            tier=text("tier"),
            designation=text("designation"),
            manager=text("manager"),
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
    # Reference filters are uncorrelated IN (...) subqueries: the database resolves the slug once
    # and reads the firm's index, instead of an EXISTS per firm.
    query = select(Enterprise).where(Enterprise.deleted_at.is_(None), enterprise_scope(user))
    if filters.q:
        query = query.where(
            or_(
                name_contains(filters.q),
                Enterprise.uscc.startswith(filters.q.upper(), autoescape=True),
            )
        )
    if filters.zone:
        query = query.where(Enterprise.zone_id.in_(_id_of(Zone, filters.zone)))
    if filters.sub_district:
        query = query.where(
            Enterprise.sub_district_id.in_(_id_of(SubDistrict, filters.sub_district))
        )
    if filters.track:
        query = query.where(Enterprise.track_id.in_(_id_of(IndustryTrack, filters.track)))
    if filters.tier:
        query = query.where(Enterprise.tier == filters.tier)
    if filters.designation:
        holders = select(EnterpriseDesignation.enterprise_id).where(
            EnterpriseDesignation.designation == filters.designation
        )
        query = query.where(Enterprise.id.in_(holders))
    if filters.manager:
        managers = select(User.id).where(User.username == filters.manager)
        query = query.where(Enterprise.manager_id.in_(managers))
    order = _sort_column(filters.sort)
    return query.order_by(order.desc() if filters.descending else order.asc(), Enterprise.id)


def _id_of(model: type[Zone] | type[SubDistrict] | type[IndustryTrack], slug: str) -> Select[Any]:
    return select(model.id).where(model.slug == slug)


def name_contains(text: str) -> ColumnElement[bool]:
    """Names holding `text`, ignoring the case of Latin letters; autoescape: "100%" means that.

    SQLite's LIKE already ignores ASCII case (and lower() folds nothing else there), so the
    lower() on every one of 100,000 names would only double the scan; PostgreSQL needs it.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        return Enterprise.name.contains(text, autoescape=True)
    return Enterprise.name.icontains(text, autoescape=True)


def _sort_column(name: str) -> ColumnElement[object]:
    if name == "tier":  # by rank in the cultivation ladder, not alphabetically
        return case({tier.value: rank for rank, tier in enumerate(Tier)}, value=Enterprise.tier)
    return getattr(Enterprise, name)  # type: ignore[no-any-return]


def with_api_columns(query: Select[Enterprise]) -> Select[Enterprise]:
    """What the API's list items hold: no figures or contacts (those are in the detail)."""
    return query.options(
        selectinload(Enterprise.sub_district),
        selectinload(Enterprise.zone),
        selectinload(Enterprise.track),
        selectinload(Enterprise.manager),
        selectinload(Enterprise.designation_rows),
    )


def with_list_columns(query: Select[Enterprise]) -> Select[Enterprise]:
    """Load what a list row shows in a few queries, not one per firm: the API's columns, with
    the latest figures and the contact."""
    return with_api_columns(query).options(
        selectinload(Enterprise.yearly_figures), selectinload(Enterprise.contacts)
    )


@dataclass(frozen=True)
class ReservoirPage:
    rows: list[Enterprise]
    total: int  # at most keyset.COUNT_LIMIT + 1: more means "over the limit"
    next_cursor: str | None
    previous_cursor: str | None

    @property
    def total_is_capped(self) -> bool:
        return self.total > keyset.COUNT_LIMIT


def reservoir_page(
    user: User, filters: ReservoirFilter, per_page: int, cursor: str | None, api: bool = False
) -> ReservoirPage:
    """One page of the user's filtered list, after or before `cursor` (BadCursorError if forged)."""
    base = reservoir_query(user, filters).order_by(None)
    found = keyset.page_ids(base, filters.sort, filters.descending, per_page, cursor)
    return ReservoirPage(
        rows=firms_by_id(found.ids, with_api_columns if api else with_list_columns),
        total=keyset.count_up_to(base),
        next_cursor=found.next_cursor,
        previous_cursor=found.previous_cursor,
    )


def firms_by_id(
    ids: list[int], options: Callable[[Select[Enterprise]], Select[Enterprise]]
) -> list[Enterprise]:
    """The firms of `ids` in that order, loaded in one query plus `options`' eager loads."""
    if not ids:
        return []
    loaded = {
        firm.id: firm
        for firm in db.session.scalars(options(select(Enterprise).where(Enterprise.id.in_(ids))))
    }
    return [loaded[firm_id] for firm_id in ids]


def page_of(query: Select[Enterprise], page: int, per_page: int) -> tuple[list[Enterprise], int]:
    """A numbered page (the API's ?page=): ids first, so the OFFSET walks an index, not rows."""
    offset = offset_of(page, per_page)
    ids = db.session.scalars(query.with_only_columns(Enterprise.id).limit(per_page).offset(offset))
    return firms_by_id(list(ids), with_api_columns), keyset.count_up_to(query)


def managers_in_scope(user: User) -> list[User]:
    query = select(User).where(User.role == Role.MANAGER, User.is_active_account.is_(True))
    if user.role == Role.MANAGER:
        query = query.where(User.sub_district_id == user.sub_district_id)
    return list(db.session.scalars(query.order_by(User.username)))

"""Package lists within a user's scope, and the support totals by instrument, zone and firm."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select, true
from sqlalchemy.orm import selectinload

from crm import keyset
from crm.access import package_scope
from crm.keyset import Key
from models import (
    Enterprise,
    InstrumentUnit,
    ItemState,
    PackageItem,
    PackageState,
    PolicyInstrument,
    PolicyPackage,
    Role,
    User,
    Zone,
    db,
)

GRANTED_STATES = (ItemState.GRANTED, ItemState.DISBURSED, ItemState.REVIEWED)
TOP_FIRMS = 10
QUEUE_LIMIT = 50  # packages awaiting a decision shown at once; the badge counts them all
PACKAGE_ORDER = (
    Key(PolicyPackage.proposed_at, datetime, is_descending=True),
    Key(PolicyPackage.id, int, is_descending=True),
)
ZERO = Decimal(0)


def package_query(
    user: User, enterprise_id: int | None = None, state: str | None = None
) -> Select[PolicyPackage]:
    query = select(PolicyPackage).where(PolicyPackage.deleted_at.is_(None), package_scope(user))
    if enterprise_id is not None:
        query = query.where(PolicyPackage.enterprise_id == enterprise_id)
    if state:
        query = query.where(PolicyPackage.state == state)
    return query.order_by(PolicyPackage.proposed_at.desc(), PolicyPackage.id.desc())


PACKAGE_DETAILS = (
    selectinload(PolicyPackage.enterprise),
    selectinload(PolicyPackage.proposed_by),
    selectinload(PolicyPackage.decided_by),
    selectinload(PolicyPackage.items).selectinload(PackageItem.instrument),
)


def with_details(query: Select[PolicyPackage]) -> Select[PolicyPackage]:
    return query.options(*PACKAGE_DETAILS)


def decision_queue(user: User) -> tuple[list[PolicyPackage], keyset.Count]:
    """The oldest packages awaiting a decision (the leader's to-do list), and how many wait."""
    query = package_query(user, state=PackageState.PROPOSED.value).order_by(None)
    oldest = query.order_by(PolicyPackage.proposed_at, PolicyPackage.id).limit(QUEUE_LIMIT)
    return list(db.session.scalars(with_details(oldest))), keyset.capped_count(query)


def _sort_values(package: PolicyPackage) -> tuple[datetime, int]:
    return package.proposed_at, package.id


# Packages newest first: after/before a cursor, or at `offset` (the API).
page_of: keyset.KeysetPager[PolicyPackage] = keyset.KeysetPager(
    PACKAGE_ORDER, _sort_values, PACKAGE_DETAILS
)


def packages_of_enterprise(user: User, enterprise_id: int, limit: int) -> list[PolicyPackage]:
    """The firm's latest live packages the user may read, newest first."""
    return list(db.session.scalars(package_query(user, enterprise_id).limit(limit)))


def overdue_milestones(item: PackageItem, today: date) -> set[str]:
    """Which of the item's milestones ('disburse_by', 'review_on') have passed undone."""
    late = set()
    undisbursed = item.state in {ItemState.PLANNED, ItemState.GRANTED}
    if undisbursed and item.disburse_by is not None and item.disburse_by < today:
        late.add("disburse_by")
    if item.state != ItemState.REVIEWED and item.review_on is not None and item.review_on < today:
        late.add("review_on")
    return late


@dataclass(frozen=True)
class SupportRow:
    key: Any  # an instrument, zone or firm
    unit: InstrumentUnit
    granted: Decimal
    disbursed: Decimal


def _granted_items(
    key: Any, scope: ColumnElement[bool] | None, by_firm_column: bool = False
) -> Select[Any]:
    """Key, unit, granted and disbursed sums over granted items of live approved packages.

    Firms are a semi-join, not a join: reading a wide firm row per item was most of the cost,
    and with no scope the few deleted firms are all there is to leave out. A key that is a
    firm's column (`by_firm_column`) needs the firm row anyway: then it is joined.
    """
    if by_firm_column:
        of_live_firm = and_(Enterprise.deleted_at.is_(None), true() if scope is None else scope)
    elif scope is None:
        deleted = select(Enterprise.id).where(Enterprise.deleted_at.is_not(None))
        of_live_firm = PolicyPackage.enterprise_id.not_in(deleted)
    else:
        live = select(Enterprise.id).where(Enterprise.deleted_at.is_(None), scope)
        of_live_firm = PolicyPackage.enterprise_id.in_(live)
    query = (
        select(
            key,
            PolicyInstrument.unit,
            func.sum(PackageItem.amount),
            func.coalesce(func.sum(PackageItem.disbursed_amount), 0),
        )
        .select_from(PackageItem)
        .join(PolicyPackage, PackageItem.package_id == PolicyPackage.id)
        .join(PolicyInstrument, PackageItem.instrument_id == PolicyInstrument.id)
    )
    if by_firm_column:
        query = query.join(Enterprise, PolicyPackage.enterprise_id == Enterprise.id)
    return query.where(
        PackageItem.state.in_(GRANTED_STATES),
        PolicyPackage.state == PackageState.APPROVED,
        PolicyPackage.deleted_at.is_(None),
        of_live_firm,
    )


def _firm_scope(user: User) -> ColumnElement[bool] | None:
    """The firms whose support the user may total; None: every live firm."""
    if user.role == Role.MANAGER:
        return Enterprise.sub_district_id == user.sub_district_id
    return None


def _rows(query: Select[Any], model: Any) -> list[SupportRow]:
    result = db.session.execute(query).all()
    wanted = select(model).where(model.id.in_([row[0] for row in result]))
    keys = {record.id: record for record in db.session.scalars(wanted)}
    return [
        SupportRow(keys[key_id], InstrumentUnit(unit), Decimal(granted), Decimal(disbursed))
        for key_id, unit, granted, disbursed in result
    ]


def _by_instrument(scope: ColumnElement[bool] | None) -> list[SupportRow]:
    query = (
        _granted_items(PolicyInstrument.id, scope)
        .group_by(PolicyInstrument.id, PolicyInstrument.unit, PolicyInstrument.position)
        .order_by(PolicyInstrument.position, PolicyInstrument.id)
    )
    return _rows(query, PolicyInstrument)


def totals_by_instrument(user: User) -> list[SupportRow]:
    return _by_instrument(_firm_scope(user))


def totals_by_zone(user: User) -> list[SupportRow]:
    """Per zone and unit: yuan and counts stay in separate rows, never added together."""
    query = (
        _granted_items(Zone.id, _firm_scope(user), by_firm_column=True)
        .join(Zone, Enterprise.zone_id == Zone.id)
        .group_by(Zone.id, Zone.position, PolicyInstrument.unit)
        .order_by(Zone.position, PolicyInstrument.unit)
    )
    return _rows(query, Zone)


def top_firms(user: User, limit: int = TOP_FIRMS) -> list[SupportRow]:
    """The firms granted the most yuan (counts are not comparable across instruments)."""
    query = (
        _granted_items(PolicyPackage.enterprise_id, _firm_scope(user))
        .where(PolicyInstrument.unit == InstrumentUnit.YUAN)
        .group_by(PolicyPackage.enterprise_id, PolicyInstrument.unit)
        .order_by(func.sum(PackageItem.amount).desc(), PolicyPackage.enterprise_id)
        .limit(limit)
    )
    return _rows(query, Enterprise)


def support_totals_of_enterprise(enterprise_id: int) -> dict[str, Any]:
    """Granted and disbursed support of one firm: {"yuan": {...}, "count": {...}, "by_instrument"}.

    The caller checks that the user may read the firm.
    """
    rows = _by_instrument(Enterprise.id == enterprise_id)
    totals: dict[str, Any] = {
        unit.value: {"granted": ZERO, "disbursed": ZERO} for unit in InstrumentUnit
    }
    for row in rows:
        totals[row.unit.value]["granted"] += row.granted
        totals[row.unit.value]["disbursed"] += row.disbursed
    totals["by_instrument"] = rows
    return totals

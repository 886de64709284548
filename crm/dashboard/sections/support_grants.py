"""The support section's one query: the items granted to the firms in view within the period."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from crm.dashboard.filters import DashboardFilter
from crm.dashboard.memo import once
from crm.policies.queries import GRANTED_STATES
from models import (
    Enterprise,
    InstrumentUnit,
    PackageItem,
    PackageState,
    PolicyInstrument,
    PolicyPackage,
    Tier,
    db,
)

ZERO = Decimal(0)


@dataclass(frozen=True)
class GrantedItem:
    """One package item granted within the period, with what has reached the firm by now."""

    enterprise_id: int
    enterprise_name: str
    zone_id: int
    tier: Tier
    instrument_id: int
    unit: InstrumentUnit
    amount: Decimal
    disbursed: Decimal
    granted_on: date


def granted_items(filters: DashboardFilter) -> list[GrantedItem]:
    """Items of live approved packages of the firms in view, granted within the period."""
    return once(("granted", filters), lambda: _granted_items(filters))


def _granted_items(filters: DashboardFilter) -> list[GrantedItem]:
    rows = db.session.execute(
        select(
            Enterprise.id,
            Enterprise.name,
            Enterprise.zone_id,
            Enterprise.tier,
            PolicyInstrument.id,
            PolicyInstrument.unit,
            PackageItem.amount,
            func.coalesce(PackageItem.disbursed_amount, ZERO),
            PackageItem.granted_on,
        )
        .select_from(PackageItem)
        .join(PolicyPackage, PackageItem.package_id == PolicyPackage.id)
        .join(Enterprise, PolicyPackage.enterprise_id == Enterprise.id)
        .join(PolicyInstrument, PackageItem.instrument_id == PolicyInstrument.id)
        .where(
            PackageItem.state.in_(GRANTED_STATES),
            PackageItem.granted_on.between(filters.start, filters.end),
            PolicyPackage.state == PackageState.APPROVED,
            PolicyPackage.deleted_at.is_(None),
            *filters.firm_clauses(),
        )
    )
    return [
        GrantedItem(
            firm_id, name, zone_id, tier, instrument_id, unit, amount, disbursed, granted_on
        )
        for firm_id, name, zone_id, tier, instrument_id, unit, amount, disbursed, granted_on in rows
        if granted_on is not None  # the period's bounds already leave undated items out
    ]


def grouped(
    items: Iterable[GrantedItem], key: Callable[[GrantedItem], object]
) -> dict[object, list[GrantedItem]]:
    groups: dict[object, list[GrantedItem]] = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return groups


def amount(value: Decimal | None) -> float | None:
    """A sum as a table cell's number; None stays a blank cell."""
    return float(value) if value is not None else None

"""The policy-support section: grants to the firms in view by instrument, zone, tier and firm."""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Generic, TypeVar

from flask_babel import gettext as _
from sqlalchemy import func, select

from crm.dashboard.filters import DashboardFilter
from crm.dashboard.memo import once
from crm.dashboard.report import Chart, FirmLink, Section, Series, Table
from crm.labels import label
from crm.policies.labels import label as policy_label
from crm.policies.queries import GRANTED_STATES
from models import (
    Enterprise,
    InstrumentUnit,
    PackageItem,
    PackageState,
    PolicyInstrument,
    PolicyPackage,
    Tier,
    YearlyFigures,
    Zone,
    db,
)

Group = TypeVar("Group")
ZERO = Decimal(0)
FIRMS_LISTED = 10


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


@dataclass(frozen=True)
class SupportTotals(Generic[Group]):
    """Totals of one instrument, zone or tier. An instrument has one unit; a zone or a tier
    keeps yuan and counted support (places, slots) apart, since they never add up."""

    group: Group
    item_count: int
    firm_count: int
    yuan_granted: Decimal
    yuan_disbursed: Decimal
    count_granted: Decimal
    count_disbursed: Decimal

    @property
    def yuan_disbursed_share(self) -> float | None:
        return float(self.yuan_disbursed / self.yuan_granted) if self.yuan_granted else None

    @property
    def count_disbursed_share(self) -> float | None:
        return float(self.count_disbursed / self.count_granted) if self.count_granted else None


@dataclass(frozen=True)
class FirmSupport:
    enterprise_id: int
    name: str
    yuan_granted: Decimal
    yuan_disbursed: Decimal
    baseline_year: int  # the last full year before the firm's first grant in the period
    baseline_revenue: Decimal | None  # 10,000 yuan
    latest_year: int | None  # the latest year after the baseline with a revenue entered
    latest_revenue: Decimal | None

    @property
    def revenue_growth(self) -> float | None:
        if self.baseline_revenue is None or self.baseline_revenue <= 0:
            return None  # no base to grow from
        if self.latest_revenue is None:
            return None
        return float(self.latest_revenue / self.baseline_revenue - 1)


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


def _totals(group: Group, items: list[GrantedItem]) -> SupportTotals[Group]:
    def total(unit: InstrumentUnit, value: Callable[[GrantedItem], Decimal]) -> Decimal:
        return sum((value(item) for item in items if item.unit == unit), ZERO)

    return SupportTotals(
        group=group,
        item_count=len(items),
        firm_count=len({item.enterprise_id for item in items}),
        yuan_granted=total(InstrumentUnit.YUAN, lambda item: item.amount),
        yuan_disbursed=total(InstrumentUnit.YUAN, lambda item: item.disbursed),
        count_granted=total(InstrumentUnit.COUNT, lambda item: item.amount),
        count_disbursed=total(InstrumentUnit.COUNT, lambda item: item.disbursed),
    )


def _grouped(
    items: Iterable[GrantedItem], key: Callable[[GrantedItem], object]
) -> dict[object, list[GrantedItem]]:
    groups: dict[object, list[GrantedItem]] = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return groups


def support_by_instrument(
    filters: DashboardFilter, items: list[GrantedItem] | None = None
) -> list[SupportTotals[PolicyInstrument]]:
    """Instruments in catalogue order: the active ones, and retired ones granted in the period."""
    groups = _grouped(
        granted_items(filters) if items is None else items, lambda item: item.instrument_id
    )
    instruments = db.session.scalars(
        select(PolicyInstrument)
        .where(PolicyInstrument.is_active | PolicyInstrument.id.in_(list(groups)))
        .order_by(PolicyInstrument.position, PolicyInstrument.id)
    )
    return [_totals(instrument, groups.get(instrument.id, [])) for instrument in instruments]


def support_by_zone(
    filters: DashboardFilter, items: list[GrantedItem] | None = None
) -> list[SupportTotals[Zone]]:
    """Zones with firms in view, in their official order."""
    groups = _grouped(granted_items(filters) if items is None else items, lambda item: item.zone_id)
    zones_in_view = select(Enterprise.zone_id).where(*filters.firm_clauses())
    zones = db.session.scalars(
        select(Zone).where(Zone.id.in_(zones_in_view)).order_by(Zone.position, Zone.id)
    )
    return [_totals(zone, groups.get(zone.id, [])) for zone in zones]


def support_by_tier(
    filters: DashboardFilter, items: list[GrantedItem] | None = None
) -> list[SupportTotals[Tier]]:
    """Every tier, from the reservoir up, by the firm's tier today."""
    groups = _grouped(granted_items(filters) if items is None else items, lambda item: item.tier)
    return [_totals(tier, groups.get(tier, [])) for tier in Tier]


def support_against_growth(
    filters: DashboardFilter, limit: int = FIRMS_LISTED, items: list[GrantedItem] | None = None
) -> list[FirmSupport]:
    """The firms granted the most yuan in the period, with their revenue before and since."""
    groups = _grouped(
        (
            item
            for item in (granted_items(filters) if items is None else items)
            if item.unit == InstrumentUnit.YUAN
        ),
        lambda item: item.enterprise_id,
    )
    top = sorted(
        groups.values(),
        key=lambda items: (-sum(item.amount for item in items), items[0].enterprise_id),
    )[:limit]
    revenues = _revenues([items[0].enterprise_id for items in top])
    return [_firm_support(items, revenues.get(items[0].enterprise_id, {})) for items in top]


def _revenues(enterprise_ids: list[int]) -> dict[int, dict[int, Decimal]]:
    """Each firm's entered revenue by year."""
    rows = db.session.execute(
        select(YearlyFigures.enterprise_id, YearlyFigures.year, YearlyFigures.revenue).where(
            YearlyFigures.enterprise_id.in_(enterprise_ids), YearlyFigures.revenue.is_not(None)
        )
    )
    found: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for enterprise_id, year, revenue in rows:
        if revenue is not None:  # the query leaves them out; this tells the type checker
            found[enterprise_id][year] = revenue
    return found


def _firm_support(items: list[GrantedItem], revenue_by_year: dict[int, Decimal]) -> FirmSupport:
    baseline_year = min(item.granted_on for item in items).year - 1
    later_years = [year for year in revenue_by_year if year > baseline_year]
    latest_year = max(later_years) if later_years else None
    return FirmSupport(
        enterprise_id=items[0].enterprise_id,
        name=items[0].enterprise_name,
        yuan_granted=sum((item.amount for item in items), ZERO),
        yuan_disbursed=sum((item.disbursed for item in items), ZERO),
        baseline_year=baseline_year,
        baseline_revenue=revenue_by_year.get(baseline_year),
        latest_year=latest_year,
        latest_revenue=revenue_by_year[latest_year] if latest_year is not None else None,
    )


def _amount(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def support_section(filters: DashboardFilter, locale: str) -> Section:
    items = granted_items(filters)  # once for the four tables
    zones = support_by_zone(filters, items)
    tiers = support_by_tier(filters, items)
    tables = [
        _instrument_table(support_by_instrument(filters, items), locale),
        _support_table(
            "support_by_zone",
            _("Support by zone"),
            _("Zone"),
            [(row.group.name_for(locale), row) for row in zones],
            _("The same items by the zone of the firm, for the zones with firms in view."),
        ),
        _support_table(
            "support_by_tier",
            _("Support by tier"),
            _("Tier"),
            [(label(row.group), row) for row in tiers],
            _("The same items by the tier the firm holds today."),
        ),
        _firm_support_table(support_against_growth(filters, items=items)),
    ]
    return Section(key="support", title=_("Policy support"), tables=tables)


def _unit_totals(row: SupportTotals[PolicyInstrument]) -> tuple[Decimal, Decimal, float | None]:
    if row.group.unit == InstrumentUnit.YUAN:
        return row.yuan_granted, row.yuan_disbursed, row.yuan_disbursed_share
    return row.count_granted, row.count_disbursed, row.count_disbursed_share


def _instrument_table(rows: list[SupportTotals[PolicyInstrument]], locale: str) -> Table:
    names = [row.group.name_for(locale) for row in rows]
    totals = [_unit_totals(row) for row in rows]
    return Table(
        key="support_by_instrument",
        title=_("Support by instrument"),
        columns=[
            _("Instrument"),
            _("Unit"),
            _("Items granted"),
            _("Firms"),
            _("Granted"),
            _("Disbursed"),
            _("Disbursed share"),
        ],
        rows=[
            [
                name,
                policy_label(row.group.unit),
                row.item_count,
                row.firm_count,
                _amount(granted),
                _amount(disbursed),
                share,
            ]
            for name, row, (granted, disbursed, share) in zip(names, rows, totals, strict=True)
        ],
        chart=Chart(
            "bar",
            names,
            [Series(_("Disbursed share"), [share for _granted, _disbursed, share in totals])],
            percent=True,
        ),
        note=_(
            "Items of approved packages granted within the period to the firms in view, in the "
            "instrument's unit, and the part of them disbursed by today."
        ),
        percent_columns=frozenset({6}),
    )


def _support_table(
    key: str,
    title: str,
    group_column: str,
    rows: Sequence[tuple[str, SupportTotals[Any]]],
    note: str,
) -> Table:
    return Table(
        key=key,
        title=title,
        columns=[
            group_column,
            _("Firms"),
            _("Granted (yuan)"),
            _("Disbursed (yuan)"),
            _("Disbursed share (yuan)"),
            # Places, slots and recommendations never add up with yuan: columns of their own.
            _("Granted (count)"),
            _("Disbursed (count)"),
        ],
        rows=[
            [
                name,
                row.firm_count,
                _amount(row.yuan_granted),
                _amount(row.yuan_disbursed),
                row.yuan_disbursed_share,
                _amount(row.count_granted),
                _amount(row.count_disbursed),
            ]
            for name, row in rows
        ],
        chart=Chart(
            "bar",
            [name for name, _row in rows],
            [
                Series(_("Granted (yuan)"), [_amount(row.yuan_granted) for _n, row in rows]),
                Series(_("Disbursed (yuan)"), [_amount(row.yuan_disbursed) for _n, row in rows]),
            ],
        ),
        note=note,
        percent_columns=frozenset({4}),
    )


def _firm_support_table(rows: list[FirmSupport]) -> Table:
    return Table(
        key="support_by_firm",
        title=_("Support per firm against its growth"),
        columns=[
            _("Firm"),
            _("Granted (yuan)"),
            _("Disbursed (yuan)"),
            _("Year before the support"),
            _("Revenue that year (10,000 yuan)"),
            _("Latest year"),
            _("Revenue in the latest year (10,000 yuan)"),
            _("Revenue growth since"),
        ],
        rows=[
            [
                FirmLink(row.enterprise_id, row.name),
                _amount(row.yuan_granted),
                _amount(row.yuan_disbursed),
                row.baseline_year,
                _amount(row.baseline_revenue),
                row.latest_year,
                _amount(row.latest_revenue),
                row.revenue_growth,
            ]
            for row in rows
        ],
        note=_(
            "The %(count)d firms granted the most yuan within the period, with their revenue in "
            "the year before their first grant of the period and in the latest year entered "
            "since (growth stays blank until a later year's figures are in).",
            count=FIRMS_LISTED,
        ),
        percent_columns=frozenset({7}),
        year_columns=frozenset({3, 5}),
    )

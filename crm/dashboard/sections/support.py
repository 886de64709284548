"""The policy-support section: grants to the firms in view by instrument, zone, tier and firm."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from flask_babel import gettext as _
from sqlalchemy import select

from crm.dashboard.filters import DashboardFilter
from crm.dashboard.report import Chart, Section, Series, Table, bar_chart
from crm.dashboard.sections.support_grants import (
    ZERO,
    GrantedItem,
    amount,
    granted_items,
    grouped,
)
from crm.dashboard.sections.support_growth import firm_support_table, support_against_growth
from crm.labels import label
from crm.policies.labels import label as policy_label
from models import Enterprise, InstrumentUnit, PolicyInstrument, Tier, Zone, db

Group = TypeVar("Group")


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


def support_by_instrument(
    filters: DashboardFilter, items: list[GrantedItem] | None = None
) -> list[SupportTotals[PolicyInstrument]]:
    """Instruments in catalogue order: the active ones, and retired ones granted in the period."""
    groups = grouped(
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
    groups = grouped(granted_items(filters) if items is None else items, lambda item: item.zone_id)
    zones_in_view = select(Enterprise.zone_id).where(*filters.firm_clauses())
    zones = db.session.scalars(
        select(Zone).where(Zone.id.in_(zones_in_view)).order_by(Zone.position, Zone.id)
    )
    return [_totals(zone, groups.get(zone.id, [])) for zone in zones]


def support_by_tier(
    filters: DashboardFilter, items: list[GrantedItem] | None = None
) -> list[SupportTotals[Tier]]:
    """Every tier, from the reservoir up, by the firm's tier today."""
    groups = grouped(granted_items(filters) if items is None else items, lambda item: item.tier)
    return [_totals(tier, groups.get(tier, [])) for tier in Tier]


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
        firm_support_table(support_against_growth(filters, items=items)),
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
                amount(granted),
                amount(disbursed),
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
                amount(row.yuan_granted),
                amount(row.yuan_disbursed),
                row.yuan_disbursed_share,
                amount(row.count_granted),
                amount(row.count_disbursed),
            ]
            for name, row in rows
        ],
        chart=bar_chart(
            rows,
            [
                (_("Granted (yuan)"), lambda row: amount(row.yuan_granted)),
                (_("Disbursed (yuan)"), lambda row: amount(row.yuan_disbursed)),
            ],
        ),
        note=note,
        percent_columns=frozenset({4}),
    )

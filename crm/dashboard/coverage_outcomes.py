"""The support and pipeline sections: what the firms in view were granted, and how they moved."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _

from crm.dashboard import coverage_pipeline, coverage_support
from crm.dashboard.coverage_pipeline import TierMove
from crm.dashboard.coverage_support import FirmSupport, SupportTotals
from crm.dashboard.filters import DashboardFilter
from crm.dashboard.report import Cell, Chart, FirmLink, Section, Series, Table
from crm.labels import label
from crm.policies.labels import label as policy_label
from models import InstrumentUnit, PolicyInstrument

TIER_CHANGES_LISTED = 30  # the latest ones; the counts above them cover every move


def _amount(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def support_section(filters: DashboardFilter, locale: str) -> Section:
    items = coverage_support.granted_items(filters)  # once for the four tables
    zones = coverage_support.support_by_zone(filters, items)
    tiers = coverage_support.support_by_tier(filters, items)
    tables = [
        _instrument_table(coverage_support.support_by_instrument(filters, items), locale),
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
        _firm_support_table(coverage_support.support_against_growth(filters, items=items)),
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
            count=coverage_support.FIRMS_LISTED,
        ),
        percent_columns=frozenset({7}),
        year_columns=frozenset({3, 5}),
    )


def pipeline_section(filters: DashboardFilter) -> Section:
    moves = coverage_pipeline.tier_moves(filters)
    return Section(
        key="pipeline",
        title=_("Pipeline"),
        tables=[_tier_moves_table(moves), _tier_changes_table(moves), _movers_table(filters)],
    )


def _tier_moves_table(moves: list[TierMove]) -> Table:
    counts = coverage_pipeline.tier_move_counts(moves)
    tier_names = [label(row.tier) for row in counts]
    rows: list[list[Cell]] = [
        [name, row.moved_up_count, row.moved_down_count]
        for name, row in zip(tier_names, counts, strict=True)
    ]
    total_up = sum(row.moved_up_count for row in counts)
    rows.append([_("All tiers"), total_up, sum(row.moved_down_count for row in counts)])
    return Table(
        key="tier_moves",
        title=_("Tier moves in the period"),
        columns=[_("Tier"), _("Moved up into it"), _("Moved down into it")],
        rows=rows,
        chart=Chart(
            "bar",
            tier_names,
            [
                Series(_("Moved up into it"), [row.moved_up_count for row in counts]),
                Series(_("Moved down into it"), [row.moved_down_count for row in counts]),
            ],
        ),
        note=_(
            "Firms in view whose tier was edited within the period, each counted once under "
            "the tier it ended in (one that went up and came back down did not move)."
        ),
    )


def _tier_changes_table(moves: list[TierMove]) -> Table:
    return Table(
        key="tier_changes",
        title=_("Firms that changed tier"),
        columns=[_("Firm"), _("Tier before"), _("Tier after"), _("Direction"), _("Changed on")],
        rows=[
            [
                FirmLink(move.enterprise_id, move.name),
                label(move.before),
                label(move.after),
                _("Up") if move.is_up else _("Down"),
                format_date(move.moved_on),
            ]
            for move in moves[:TIER_CHANGES_LISTED]
        ],
        note=_(
            "The %(count)d latest of those moves, by the day of the firm's last tier change.",
            count=TIER_CHANGES_LISTED,
        ),
    )


def _movers_table(filters: DashboardFilter) -> Table:
    movers = coverage_pipeline.score_movers_in_view(filters)
    return Table(
        key="score_movers",
        title=_("Firms whose potential score moved most"),
        columns=[_("Firm"), _("Percentile before"), _("Percentile after"), _("Percentile change")],
        rows=[
            [FirmLink(mover.enterprise_id, mover.name), mover.before, mover.after, mover.change]
            for mover in movers
        ],
        chart=Chart(
            "bar",
            [mover.name for mover in movers],
            [Series(_("Percentile change"), [mover.change for mover in movers])],
            percent=True,
        ),
        note=_(
            "Firms in view by how far their percentile moved between the last two scoring runs "
            "of the same model, whatever the period (empty until two such runs exist)."
        ),
        percent_columns=frozenset({1, 2, 3}),
    )

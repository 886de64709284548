"""The support section's table of the firms granted the most yuan, against their revenue growth."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from crm.dashboard.filters import DashboardFilter
from crm.dashboard.report import FirmLink, Table
from crm.dashboard.sections.support_grants import ZERO, GrantedItem, amount, granted_items, grouped
from models import InstrumentUnit, YearlyFigures, db

FIRMS_LISTED = 10


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


def support_against_growth(
    filters: DashboardFilter, limit: int = FIRMS_LISTED, items: list[GrantedItem] | None = None
) -> list[FirmSupport]:
    """The firms granted the most yuan in the period, with their revenue before and since."""
    groups = grouped(
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


def firm_support_table(rows: list[FirmSupport]) -> Table:
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
                amount(row.yuan_granted),
                amount(row.yuan_disbursed),
                row.baseline_year,
                amount(row.baseline_revenue),
                row.latest_year,
                amount(row.latest_revenue),
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

"""The one place where database rows become the scoring library's plain, dated facts."""

from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Executable, Float, Select, String, cast, select, type_coerce

from models import (
    Enterprise,
    EnterpriseDesignation,
    EnterpriseRequest,
    EnterpriseStatus,
    FundingEvent,
    IndustryTrack,
    InstrumentUnit,
    PackageItem,
    PackageState,
    PolicyInstrument,
    PolicyPackage,
    Visit,
    YearlyFigures,
    Zone,
    db,
)
from scoring.facts import DesignationFact, FirmFacts, FundingFact, SupportFact, YearFacts

YUAN_PER_UNIT = Decimal(10_000)  # support is paid in yuan; figures are kept in 10,000 yuan


FIGURES = (
    "revenue",
    "employees",
    "rd_spend",
    "patents",
    "pct_applications",
    "funding_raised",
    "valuation",
    "tax_paid",
)
ROWS_PER_FETCH = 10_000
T = TypeVar("T")


def firm_facts(active_only: bool = False, activity_since: date | None = None) -> list[FirmFacts]:
    """Every live firm's dated history, in a handful of queries whatever the reservoir's size.

    Training learns from every firm, closed and moved-out ones too (leaving them out would hide
    the failures); scoring passes `active_only`, and `activity_since` a year before its cutoff:
    features count visits and resolved requests over the last 12 months only, and a district's
    million visits are most of the rows. Plain row tuples from Core, not ORM objects or rows:
    for 100,000 firms this loads in seconds rather than a minute (benchmarks/README.md), and
    figures are cast to floats in SQL, so no Decimal is made only to become a float.
    """
    live: list[ColumnElement[bool]] = [Enterprise.deleted_at.is_(None)]
    if active_only:
        live.append(Enterprise.status == EnterpriseStatus.ACTIVE)
    figures = [cast(getattr(YearlyFigures, name), Float) for name in FIGURES]
    yearly = _grouped(
        select(YearlyFigures.enterprise_id, YearlyFigures.year, *figures)
        .join(Enterprise)
        .where(*live)
        .order_by(YearlyFigures.enterprise_id, YearlyFigures.year),
        YearFacts,
    )
    fundings = _grouped(
        select(FundingEvent.enterprise_id, FundingEvent.closed_on, cast(FundingEvent.amount, Float))
        .add_columns(FundingEvent.stage)
        .join(Enterprise)
        .where(*live)
        .order_by(FundingEvent.enterprise_id, FundingEvent.closed_on, FundingEvent.id),
        FundingFact,
    )
    # A designation without an award date cannot be placed in time, so it is left out rather
    # than guessed: guessing early would leak the future into the past.
    designations = _grouped(
        select(EnterpriseDesignation.enterprise_id, EnterpriseDesignation.designation)
        .add_columns(EnterpriseDesignation.awarded_on)
        .join(Enterprise)
        .where(*live, EnterpriseDesignation.awarded_on.is_not(None))
        .order_by(EnterpriseDesignation.enterprise_id, EnterpriseDesignation.designation),
        lambda designation, awarded_on: DesignationFact(designation.value, awarded_on),
    )
    visits, resolved = _visit_days(activity_since), _resolution_days(activity_since)
    support = _support_paid()
    firms = (
        select(Enterprise.id, Enterprise.founded_on, IndustryTrack.slug, Zone.slug)
        .join(Enterprise.track)
        .join(Enterprise.zone)
        .where(*live)
        .order_by(Enterprise.id)
    )
    return [
        FirmFacts(
            firm_id=firm_id,
            founded_on=founded_on,
            track=track,
            zone=zone,
            yearly=yearly.get(firm_id, []),
            fundings=fundings.get(firm_id, []),
            designations=designations.get(firm_id, []),
            visits=visits.get(firm_id, []),
            requests_resolved=resolved.get(firm_id, []),
            support=support.get(firm_id, []),
        )
        for firm_id, founded_on, track, zone in _execute(firms)
    ]


def _execute(query: Executable) -> Iterator[Any]:
    # Core rows fetched many at a time: the ORM's result machinery, or a fetch per row, costs
    # more than the query itself for a million rows.
    for rows in db.session.connection().execute(query).partitions(ROWS_PER_FETCH):
        yield from rows


@cache
def _day(value: str | date) -> date:
    """A date column read as text (SQLite) or a date (PostgreSQL): a district's million visits
    fall on a few thousand days, so each is parsed once."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def _grouped(query: Select[Any], make: Callable[..., T]) -> dict[int, list[T]]:
    """`make(*rest)` of each row, grouped by the row's first column (an enterprise id)."""
    grouped: dict[int, list[T]] = defaultdict(list)
    for firm_id, *rest in _execute(query):
        grouped[firm_id].append(make(*rest))
    return grouped


def _visit_days(since: date | None) -> dict[int, list[date]]:
    """Visit days by firm, in no order: features only count them. Unsorted, SQLite reads the
    table straight through instead of a million rows in date order through an index."""
    days: dict[int, list[date]] = defaultdict(list)
    query = select(Visit.enterprise_id, type_coerce(Visit.visited_on, String)).where(
        Visit.deleted_at.is_(None)
    )
    if since is not None:
        query = query.where(Visit.visited_on >= since)
    for enterprise_id, visited_on in _execute(query):
        days[enterprise_id].append(_day(visited_on))
    return days


def _resolution_days(since: date | None) -> dict[int, list[date]]:
    days: dict[int, list[date]] = defaultdict(list)
    query = select(EnterpriseRequest.enterprise_id, EnterpriseRequest.resolved_at).where(
        EnterpriseRequest.deleted_at.is_(None), EnterpriseRequest.resolved_at.is_not(None)
    )
    if since is not None:
        query = query.where(EnterpriseRequest.resolved_at >= datetime.combine(since, time()))
    for enterprise_id, resolved_at in _execute(query):
        if resolved_at is not None:  # filtered in SQL; this tells the type checker
            days[enterprise_id].append(resolved_at.date())
    return {key: sorted(value) for key, value in days.items()}


def _support_paid() -> dict[int, list[SupportFact]]:
    """Money disbursed to each firm, dated by disbursement (counted support has no amount)."""
    paid: dict[int, list[SupportFact]] = defaultdict(list)
    query = (
        select(PolicyPackage.enterprise_id, PackageItem.disbursed_on, PackageItem.disbursed_amount)
        .join(PackageItem.package)
        .join(PackageItem.instrument)
        .where(
            PolicyPackage.deleted_at.is_(None),
            PolicyPackage.state == PackageState.APPROVED,
            PolicyInstrument.unit == InstrumentUnit.YUAN,
            PackageItem.disbursed_on.is_not(None),
        )
        .order_by(PackageItem.disbursed_on)
    )
    for enterprise_id, disbursed_on, amount in _execute(query):
        if disbursed_on is not None and amount is not None:
            paid[enterprise_id].append(SupportFact(disbursed_on, float(amount / YUAN_PER_UNIT)))
    return paid

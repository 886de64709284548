"""The one place where database rows become the scoring library's plain, dated facts."""

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Float, Select, cast, select

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
T = TypeVar("T")


def firm_facts(active_only: bool = False) -> list[FirmFacts]:
    """Every live firm's dated history, in a handful of queries whatever the reservoir's size.

    Training learns from every firm, closed and moved-out ones too (leaving them out would hide
    the failures); scoring passes `active_only`. Plain row tuples, not ORM objects: for 100,000
    firms this loads in seconds rather than a minute (benchmarks/README.md), and figures are cast
    to floats in SQL, so no Decimal is made only to become a float.
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
    visits, resolved, support = _visit_days(), _resolution_days(), _support_paid()
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
        for firm_id, founded_on, track, zone in db.session.execute(firms)
    ]


def _grouped(query: Select[Any], make: Callable[..., T]) -> dict[int, list[T]]:
    """`make(*rest)` of each row, grouped by the row's first column (an enterprise id)."""
    grouped: dict[int, list[T]] = defaultdict(list)
    for firm_id, *rest in db.session.execute(query):
        grouped[firm_id].append(make(*rest))
    return grouped


def _visit_days() -> dict[int, list[date]]:
    days: dict[int, list[date]] = defaultdict(list)
    query = select(Visit.enterprise_id, Visit.visited_on).where(Visit.deleted_at.is_(None))
    for enterprise_id, visited_on in db.session.execute(query.order_by(Visit.visited_on)):
        days[enterprise_id].append(visited_on)
    return days


def _resolution_days() -> dict[int, list[date]]:
    days: dict[int, list[date]] = defaultdict(list)
    query = select(EnterpriseRequest.enterprise_id, EnterpriseRequest.resolved_at).where(
        EnterpriseRequest.deleted_at.is_(None), EnterpriseRequest.resolved_at.is_not(None)
    )
    for enterprise_id, resolved_at in db.session.execute(query):
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
    for enterprise_id, disbursed_on, amount in db.session.execute(query):
        if disbursed_on is not None and amount is not None:
            paid[enterprise_id].append(SupportFact(disbursed_on, float(amount / YUAN_PER_UNIT)))
    return paid

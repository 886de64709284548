"""The one place where database rows become the scoring library's plain, dated facts."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models import (
    Enterprise,
    EnterpriseRequest,
    EnterpriseStatus,
    InstrumentUnit,
    PackageItem,
    PackageState,
    PolicyInstrument,
    PolicyPackage,
    Visit,
    YearlyFigures,
    db,
)
from scoring.facts import DesignationFact, FirmFacts, FundingFact, SupportFact, YearFacts

YUAN_PER_UNIT = Decimal(10_000)  # support is paid in yuan; figures are kept in 10,000 yuan


def firm_facts(active_only: bool = False) -> list[FirmFacts]:
    """Every live firm's dated history, in a handful of queries whatever the reservoir's size.

    Training learns from every firm, closed and moved-out ones too (leaving them out would hide
    the failures); scoring passes `active_only`.
    """
    query = select(Enterprise).where(Enterprise.deleted_at.is_(None))
    if active_only:
        query = query.where(Enterprise.status == EnterpriseStatus.ACTIVE)
    firms = db.session.scalars(
        query.options(
            selectinload(Enterprise.track),
            selectinload(Enterprise.zone),
            selectinload(Enterprise.yearly_figures),
            selectinload(Enterprise.funding_events),
            selectinload(Enterprise.designation_rows),
        ).order_by(Enterprise.id)
    ).all()
    visits, resolved, support = _visit_days(), _resolution_days(), _support_paid()
    return [
        FirmFacts(
            firm_id=firm.id,
            founded_on=firm.founded_on,
            track=firm.track.slug,
            zone=firm.zone.slug,
            yearly=[_year(row) for row in firm.yearly_figures],
            fundings=[
                FundingFact(event.closed_on, float(event.amount), event.stage)
                for event in firm.funding_events
            ],
            # A designation without an award date cannot be placed in time, so it is left out
            # rather than guessed: guessing early would leak the future into the past.
            designations=[
                DesignationFact(row.designation.value, row.awarded_on)
                for row in firm.designation_rows
                if row.awarded_on is not None
            ],
            visits=visits.get(firm.id, []),
            requests_resolved=resolved.get(firm.id, []),
            support=support.get(firm.id, []),
        )
        for firm in firms
    ]


def _number(value: Decimal | int | None) -> float | None:
    return None if value is None else float(value)


def _year(row: YearlyFigures) -> YearFacts:
    return YearFacts(
        year=row.year,
        **{
            name: _number(getattr(row, name))
            for name in (
                "revenue",
                "employees",
                "rd_spend",
                "patents",
                "pct_applications",
                "funding_raised",
                "valuation",
                "tax_paid",
            )
        },
    )


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

"""Conversion of candidates per source: how many were screened, admitted, declined, are being
watched, and how many of the admitted later rose a tier or won a designation. One GROUP BY."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select

from models import (
    CandidateState,
    DiscoveryCandidate,
    DiscoveryEvent,
    Enterprise,
    EnterpriseDesignation,
    Tier,
    db,
)

TIER_RANK = {tier.value: rank for rank, tier in enumerate(Tier)}
SCREENED_STATES = (
    CandidateState.SCREENING,
    CandidateState.ADMITTED,
    CandidateState.WATCHING,
    CandidateState.DECLINED,
)


@dataclass(frozen=True)
class Conversion:
    key: Any  # a source kind value, a source name, or an event id
    candidates: int
    screened: int
    admitted: int
    declined: int
    watching: int
    duplicates: int  # already in the reservoir: linked, not admitted
    advanced: int  # admitted, and since then a higher tier or a new designation

    @property
    def admission_rate(self) -> float | None:
        return self.admitted / self.candidates if self.candidates else None

    @property
    def advance_rate(self) -> float | None:
        return self.advanced / self.admitted if self.admitted else None


def _rank(column: Any) -> ColumnElement[int]:
    return case(TIER_RANK, value=column, else_=0)


def _advanced() -> ColumnElement[bool]:
    designated_since = exists().where(
        EnterpriseDesignation.enterprise_id == DiscoveryCandidate.admitted_enterprise_id,
        EnterpriseDesignation.awarded_on > DiscoveryCandidate.decided_on,
    )
    return and_(
        DiscoveryCandidate.state == CandidateState.ADMITTED,
        Enterprise.deleted_at.is_(None),
        or_(_rank(Enterprise.tier) > _rank(DiscoveryCandidate.admitted_tier), designated_since),
    )


def _count(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def conversion(key: Any, *clauses: ColumnElement[bool]) -> list[Conversion]:
    """Per value of `key` (a candidate column), over live candidates matching `clauses`."""
    state = DiscoveryCandidate.state
    query = (
        select(
            key,
            func.count(DiscoveryCandidate.id),
            _count(or_(state.in_(SCREENED_STATES), DiscoveryCandidate.screened_on.is_not(None))),
            _count(state == CandidateState.ADMITTED),
            _count(state == CandidateState.DECLINED),
            _count(state == CandidateState.WATCHING),
            _count(state == CandidateState.DUPLICATE),
            _count(_advanced()),
        )
        .select_from(DiscoveryCandidate)
        .outerjoin(Enterprise, Enterprise.id == DiscoveryCandidate.admitted_enterprise_id)
        .where(DiscoveryCandidate.deleted_at.is_(None), *clauses)
        .group_by(key)
        .order_by(func.count(DiscoveryCandidate.id).desc(), key)
    )
    return [
        Conversion(row[0], *(int(value) for value in row[1:])) for row in db.session.execute(query)
    ]


def by_source_kind(*clauses: ColumnElement[bool]) -> list[Conversion]:
    return conversion(DiscoveryCandidate.source_kind, *clauses)


def by_source_name(*clauses: ColumnElement[bool]) -> list[Conversion]:
    return conversion(
        DiscoveryCandidate.source_name, DiscoveryCandidate.source_name.is_not(None), *clauses
    )


def by_event(*clauses: ColumnElement[bool]) -> list[tuple[DiscoveryEvent, Conversion]]:
    rows = conversion(
        DiscoveryCandidate.event_id, DiscoveryCandidate.event_id.is_not(None), *clauses
    )
    events = {
        event.id: event
        for event in db.session.scalars(
            select(DiscoveryEvent).where(DiscoveryEvent.id.in_([row.key for row in rows]))
        )
    }
    return [(events[row.key], row) for row in rows if row.key in events]


def total(rows: list[Conversion]) -> Conversion:
    return Conversion(
        None,
        *(
            sum(getattr(row, name) for row in rows)
            for name in (
                "candidates",
                "screened",
                "admitted",
                "declined",
                "watching",
                "duplicates",
                "advanced",
            )
        ),
    )

"""Conversion of candidates per source: how many were screened, admitted, declined, are being
watched, and how many of the admitted later rose a tier or won a designation. One GROUP BY.

Source names are free text and events pile up over the years: those tables list the TOP_ROWS
largest and sum the rest in one more row, so neither the page nor the API grows without end."""

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

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

T = TypeVar("T")
TIER_RANK = {tier.value: rank for rank, tier in enumerate(Tier)}
TOP_ROWS = 50  # named sources and events listed one by one; the others are summed
COUNTS = ("candidates", "screened", "admitted", "declined", "watching", "duplicates", "advanced")
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


@dataclass(frozen=True)
class Top(Generic[T]):
    """The largest groups, and the others summed (None when every group is listed)."""

    rows: list[T]
    other: Conversion | None

    @property
    def is_truncated(self) -> bool:
        return self.other is not None


def _count(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _counted(*keys: Any) -> Any:
    state = DiscoveryCandidate.state
    return (
        select(
            *keys,
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
    )


def conversion(
    key: Any, *clauses: ColumnElement[bool], limit: int | None = None
) -> list[Conversion]:
    """Per value of `key` (a candidate column), over live candidates matching `clauses`; the
    `limit` largest groups when given."""
    query = (
        _counted(key)
        .where(DiscoveryCandidate.deleted_at.is_(None), *clauses)
        .group_by(key)
        .order_by(func.count(DiscoveryCandidate.id).desc(), key)
    )
    if limit is not None:
        query = query.limit(limit)
    return [
        Conversion(row[0], *(int(value) for value in row[1:])) for row in db.session.execute(query)
    ]


def overall(*clauses: ColumnElement[bool]) -> Conversion:
    """The counts over every live candidate matching `clauses`, in one row."""
    row = db.session.execute(
        _counted().where(DiscoveryCandidate.deleted_at.is_(None), *clauses)
    ).one()
    return Conversion(None, *(int(value or 0) for value in row))


def top(key: Any, *clauses: ColumnElement[bool], limit: int | None = None) -> Top[Conversion]:
    """The `limit` (TOP_ROWS) largest groups of `key`, and the rest summed: one GROUP BY reading
    one row more than it shows, and one more count only when some are left out."""
    limit = TOP_ROWS if limit is None else limit
    rows = conversion(key, *clauses, limit=limit + 1)
    if len(rows) <= limit:
        return Top(rows, None)
    rows = rows[:limit]
    everything, shown = overall(*clauses), total(rows)
    other = Conversion(None, *(getattr(everything, name) - getattr(shown, name) for name in COUNTS))
    return Top(rows, other)


def by_source_kind(*clauses: ColumnElement[bool]) -> list[Conversion]:
    """One row per kind: a handful, however many candidates."""
    return conversion(DiscoveryCandidate.source_kind, *clauses)


def by_source_name(*clauses: ColumnElement[bool], limit: int | None = None) -> Top[Conversion]:
    """Per named source (free text: as many as were ever typed), the largest first."""
    named = DiscoveryCandidate.source_name
    return top(named, named.is_not(None), *clauses, limit=limit)


def by_event(
    *clauses: ColumnElement[bool], limit: int | None = None
) -> Top[tuple[DiscoveryEvent, Conversion]]:
    """Per event, the largest first."""
    found = top(
        DiscoveryCandidate.event_id, DiscoveryCandidate.event_id.is_not(None), *clauses, limit=limit
    )
    events = {
        event.id: event
        for event in db.session.scalars(
            select(DiscoveryEvent).where(DiscoveryEvent.id.in_([row.key for row in found.rows]))
        )
    }
    return Top([(events[row.key], row) for row in found.rows if row.key in events], found.other)


def of_event(event_id: int, *clauses: ColumnElement[bool]) -> Conversion | None:
    """The event's candidates matching `clauses`; None when it brought none of them."""
    rows = conversion(
        DiscoveryCandidate.event_id, DiscoveryCandidate.event_id == event_id, *clauses
    )
    return rows[0] if rows else None


def total(rows: list[Conversion]) -> Conversion:
    return Conversion(None, *(sum(getattr(row, name) for row in rows) for name in COUNTS))

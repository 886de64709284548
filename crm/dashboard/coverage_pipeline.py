"""How the firms in view moved: tiers changed within the period, and the biggest score movers."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from crm.dashboard.filters import DashboardFilter
from crm.dashboard.memo import once
from crm.pipeline.ranking import MOVERS, Mover, score_movers
from crm.targets.progress import TIERS_UPWARD
from models import AuditEntry, Enterprise, Tier, db

# What crm/enterprises/services.update_enterprise records when a firm's tier is edited.
ENTERPRISE_ENTITY, UPDATE_ACTION, TIER_FIELD = "enterprise", "update", "tier"


@dataclass(frozen=True)
class TierMove:
    """A firm's tier before its first tier change in the period and after its last one."""

    enterprise_id: int
    name: str
    before: Tier
    after: Tier
    moved_on: date  # the day of the last change

    @property
    def is_up(self) -> bool:
        return TIERS_UPWARD.index(self.after) > TIERS_UPWARD.index(self.before)


@dataclass(frozen=True)
class TierMoveCount:
    tier: Tier
    moved_up_count: int  # firms that rose into this tier
    moved_down_count: int  # firms that fell into this tier


def _tier(value: object) -> Tier | None:
    return Tier(value) if isinstance(value, str) and value in set(Tier) else None


def tier_moves(filters: DashboardFilter) -> list[TierMove]:
    """One net move per firm in view whose tier changed within the period, latest first.

    A firm that went up and came back down within the period did not move.
    """
    return once(("tier_moves", filters), lambda: _tier_moves(filters))


def _tier_moves(filters: DashboardFilter) -> list[TierMove]:
    rows = db.session.execute(
        select(AuditEntry.entity_id, Enterprise.name, AuditEntry.at, AuditEntry.changes)
        .join(Enterprise, Enterprise.id == AuditEntry.entity_id)
        .where(
            AuditEntry.entity_type == ENTERPRISE_ENTITY,
            AuditEntry.action == UPDATE_ACTION,
            AuditEntry.at >= datetime.combine(filters.start, time.min),
            # Stored times are UTC, like the dashboard's days: the end day counts whole.
            AuditEntry.at < datetime.combine(filters.end + timedelta(days=1), time.min),
            *filters.firm_clauses(),
        )
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    net: dict[int, tuple[str, Tier, Tier, date]] = {}  # name, first before, last after, day
    for enterprise_id, name, at, changes in rows:
        change = changes.get(TIER_FIELD)
        if not isinstance(change, list) or len(change) != 2:
            continue
        before, after = _tier(change[0]), _tier(change[1])
        if before is None or after is None:
            continue
        earlier = net.get(enterprise_id)
        net[enterprise_id] = (name, earlier[1] if earlier else before, after, at.date())
    moves = [
        TierMove(enterprise_id, name, before, after, moved_on)
        for enterprise_id, (name, before, after, moved_on) in net.items()
        if before != after
    ]
    return sorted(moves, key=lambda move: (move.moved_on, move.enterprise_id), reverse=True)


def tier_move_counts(moves: list[TierMove]) -> list[TierMoveCount]:
    """Per tier, from the reservoir up, the firms that rose into it and those that fell into it."""
    return [
        TierMoveCount(
            tier,
            sum(1 for move in moves if move.after == tier and move.is_up),
            sum(1 for move in moves if move.after == tier and not move.is_up),
        )
        for tier in TIERS_UPWARD
    ]


def score_movers_in_view(filters: DashboardFilter, limit: int = MOVERS) -> list[Mover]:
    """The digest's movers between the last two scoring runs, among the firms in view."""
    return once(
        ("movers", filters.firms_key, limit), lambda: score_movers(limit, filters.firm_clauses())
    )

"""The pipeline section: tier moves of the firms in view in the period, and the score movers."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from crm.dashboard.facts import FIRM_EDITS
from crm.dashboard.filters import DashboardFilter
from crm.dashboard.memo import once
from crm.dashboard.report import Cell, FirmLink, Section, Table, bar_chart
from crm.labels import label
from crm.pipeline.ranking import MOVERS, Mover, score_movers
from crm.targets.progress import TIERS_UPWARD
from models import AuditEntry, Enterprise, Tier, db

TIER_FIELD = "tier"  # in the changes of an edit (facts.FIRM_EDITS)
TIER_CHANGES_LISTED = 30  # the latest ones; the counts above them cover every move


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
            *FIRM_EDITS,
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


def pipeline_section(filters: DashboardFilter) -> Section:
    moves = tier_moves(filters)
    return Section(
        key="pipeline",
        title=_("Pipeline"),
        tables=[_tier_moves_table(moves), _tier_changes_table(moves), _movers_table(filters)],
    )


def _tier_moves_table(moves: list[TierMove]) -> Table:
    counts = tier_move_counts(moves)
    named = [(label(row.tier), row) for row in counts]
    rows: list[list[Cell]] = [
        [name, row.moved_up_count, row.moved_down_count] for name, row in named
    ]
    total_up = sum(row.moved_up_count for row in counts)
    rows.append([_("All tiers"), total_up, sum(row.moved_down_count for row in counts)])
    return Table(
        key="tier_moves",
        title=_("Tier moves in the period"),
        columns=[_("Tier"), _("Moved up into it"), _("Moved down into it")],
        rows=rows,
        chart=bar_chart(
            named,
            [
                (_("Moved up into it"), lambda row: row.moved_up_count),
                (_("Moved down into it"), lambda row: row.moved_down_count),
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
    movers = score_movers_in_view(filters)
    return Table(
        key="score_movers",
        title=_("Firms whose potential score moved most"),
        columns=[_("Firm"), _("Percentile before"), _("Percentile after"), _("Percentile change")],
        rows=[
            [FirmLink(mover.enterprise_id, mover.name), mover.before, mover.after, mover.change]
            for mover in movers
        ],
        chart=bar_chart(
            [(mover.name, mover) for mover in movers],
            [(_("Percentile change"), lambda mover: mover.change)],
            percent=True,
        ),
        note=_(
            "Firms in view by how far their percentile moved between the last two scoring runs "
            "of the same model, whatever the period (empty until two such runs exist)."
        ),
        percent_columns=frozenset({1, 2, 3}),
    )

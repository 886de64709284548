"""The leader's view of the pipeline: the funnel by stage and board, the tracks stuck longest,
and the counts the forecast reads. Group-by queries only: the firms in view are `firm_clauses`
(conditions on Enterprise), whatever their number."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Integer, func, literal, select

from crm.listings.forecast import Forecast, Record, forecast
from crm.listings.services import LIVE_STAGES
from models import (
    Designation,
    Enterprise,
    EnterpriseDesignation,
    EnterpriseStatus,
    ListingBoard,
    ListingStage,
    ListingStep,
    ListingTrack,
    Target,
    db,
)
from models.listing import ROAD

STUCK_LISTED = 10
LISTED_TARGET_KEY = "listed"  # seed_data/targets.csv: the action plan's listed-firm target


@dataclass(frozen=True)
class StuckTrack:
    track_id: int
    enterprise_id: int
    name: str
    stage: ListingStage
    board: ListingBoard
    stage_since: date


def _live_tracks(firm_clauses: list[ColumnElement[bool]]) -> list[ColumnElement[bool]]:
    """Tracks not deleted, of firms not deleted (the query joins Enterprise), within the caller's
    firms. Checked here, not left to the callers: the funnel page passes no firm clauses."""
    return [ListingTrack.deleted_at.is_(None), Enterprise.deleted_at.is_(None), *firm_clauses]


def _tracks_in_district(firm_clauses: list[ColumnElement[bool]]) -> list[ColumnElement[bool]]:
    """The live tracks of firms still operating here: a firm that moved out or closed is in no
    one's pipeline, on the funnel page as on the dashboard (whose firm clauses say the same)."""
    return [*_live_tracks(firm_clauses), Enterprise.status == EnterpriseStatus.ACTIVE]


def funnel_counts(
    firm_clauses: list[ColumnElement[bool]],
) -> dict[tuple[ListingStage, ListingBoard], int]:
    query = (
        select(ListingTrack.stage, ListingTrack.board, func.count())
        .join(Enterprise, Enterprise.id == ListingTrack.enterprise_id)
        .where(*_tracks_in_district(firm_clauses))
        .group_by(ListingTrack.stage, ListingTrack.board)
    )
    return {
        (ListingStage(stage), ListingBoard(board)): count
        for stage, board, count in db.session.execute(query)
    }


def stuck_longest(
    firm_clauses: list[ColumnElement[bool]], limit: int = STUCK_LISTED
) -> list[StuckTrack]:
    """Tracks on their way that have sat longest in their stage (paused ones are not stuck)."""
    query = (
        select(
            ListingTrack.id,
            Enterprise.id,
            Enterprise.name,
            ListingTrack.stage,
            ListingTrack.board,
            ListingTrack.stage_since,
        )
        .join(Enterprise, Enterprise.id == ListingTrack.enterprise_id)
        .where(*_tracks_in_district(firm_clauses), ListingTrack.stage.in_(LIVE_STAGES))
        .order_by(ListingTrack.stage_since, ListingTrack.id)
        .limit(limit)
    )
    return [StuckTrack(*row) for row in db.session.execute(query)]


def listed_count(firm_clauses: list[ColumnElement[bool]]) -> int:
    """Operating firms holding the listed designation, as the listed-firm target counts them."""
    query = (
        select(func.count())
        .select_from(EnterpriseDesignation)
        .join(Enterprise, Enterprise.id == EnterpriseDesignation.enterprise_id)
        .where(
            EnterpriseDesignation.designation == Designation.LISTED,
            Enterprise.status == EnterpriseStatus.ACTIVE,
            Enterprise.deleted_at.is_(None),
            *firm_clauses,
        )
    )
    return db.session.scalar(query) or 0


def listed_target() -> Target | None:
    return db.session.scalar(
        select(Target).where(Target.key == LISTED_TARGET_KEY, Target.deleted_at.is_(None))
    )


def stage_records(today: date, days_left: int) -> dict[ListingStage, Record]:
    """Per stage, over every track ever recorded (the whole district: more observations) but
    deleted ones and those of deleted firms, those that entered it at least `days_left` days
    before today and how many listed within that many days of entering it."""
    # Imported here: crm.reminders imports the dashboard, whose listing section imports this.
    from crm.reminders.sql_dates import days_after, whole_days

    cutoff = today - timedelta(days=days_left)
    listed_in_time = ListingTrack.listed_on <= days_after(
        ListingStep.on, whole_days(literal(days_left, Integer))
    )
    query: Any = (
        select(
            ListingStep.to_stage,
            func.count(),
            func.count().filter(ListingTrack.listed_on.is_not(None), listed_in_time),
        )
        .join(ListingTrack, ListingTrack.id == ListingStep.track_id)
        .join(Enterprise, Enterprise.id == ListingTrack.enterprise_id)
        .where(
            *_live_tracks([]),
            ListingStep.to_stage.in_(ROAD[:-1]),
            ListingStep.on <= cutoff,
        )
        .group_by(ListingStep.to_stage)
    )
    return {
        ListingStage(stage): Record(observed, listed)
        for stage, observed, listed in db.session.execute(query)
    }


def listing_forecast(firm_clauses: list[ColumnElement[bool]], today: date) -> Forecast | None:
    """The forecast against the listed-firm target; None when there is no such target."""
    target = listed_target()
    if target is None:
        return None
    counts: dict[ListingStage, int] = {}
    for (stage, _board), count in funnel_counts(firm_clauses).items():
        counts[stage] = counts.get(stage, 0) + count
    days_left = max(0, (target.deadline - today).days)
    return forecast(
        listed_count(firm_clauses),
        target.goal,
        today,
        target.deadline,
        counts,
        stage_records(today, days_left),
    )

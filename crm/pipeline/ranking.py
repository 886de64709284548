"""The leaders' pipeline: the latest run's ranking, scoped and filtered like the reservoir."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import aliased, selectinload

from crm.enterprises.queries import MAX_PAGE, ReservoirFilter, reservoir_query
from models import (
    Enterprise,
    EnterpriseRequest,
    InstrumentUnit,
    ItemState,
    PackageItem,
    PipelineOverride,
    PolicyInstrument,
    PolicyPackage,
    PotentialScore,
    RequestState,
    ScoringRun,
    Tier,
    User,
    Visit,
    db,
)

OPEN_STATES = (RequestState.OPEN, RequestState.ACCEPTED, RequestState.IN_PROGRESS)
# The model's view of a tier: the action plan's pyramid cut by percentile (top 2.5% candidates,
# the next 12% new-track, the next 22% tech-based), as the demo's tiers are cut by ranking.
SUGGESTED_TIERS = ((0.975, Tier.CANDIDATE), (0.855, Tier.NEW_TRACK), (0.635, Tier.TECH_BASED))


def suggested_tier(percentile: float) -> Tier:
    for threshold, tier in SUGGESTED_TIERS:
        if percentile >= threshold:
            return tier
    return Tier.RESERVOIR


@dataclass(frozen=True)
class PipelineRow:
    enterprise: Enterprise
    score: PotentialScore
    change: float | None  # since the firm's score in the run before; None if it had none
    last_visit_on: date | None
    open_requests: int
    support_granted: Decimal  # yuan, granted or further
    override: PipelineOverride | None

    @property
    def suggested_tier(self) -> Tier:
        return suggested_tier(self.score.percentile)

    @property
    def red_flag(self) -> bool:
        return self.enterprise.risk_flagged_on is not None


def latest_runs() -> tuple[ScoringRun | None, ScoringRun | None]:
    runs = db.session.scalars(select(ScoringRun).order_by(ScoringRun.id.desc()).limit(2)).all()
    return (runs[0] if runs else None), (runs[1] if len(runs) > 1 else None)


def pipeline_query(
    user: User, filters: ReservoirFilter, run: ScoringRun
) -> Select[PotentialScore, Enterprise]:
    firms = reservoir_query(user, filters).order_by(None).subquery()
    return (
        select(PotentialScore, Enterprise)
        .join(Enterprise, Enterprise.id == PotentialScore.enterprise_id)
        .where(PotentialScore.run_id == run.id, Enterprise.id.in_(select(firms.c.id)))
        .order_by(PotentialScore.rank)
        .options(
            selectinload(Enterprise.sub_district),
            selectinload(Enterprise.zone),
            selectinload(Enterprise.track),
            selectinload(Enterprise.manager),
            selectinload(Enterprise.designation_rows),
        )
    )


def pipeline_rows(
    user: User,
    filters: ReservoirFilter,
    page: int = 1,
    per_page: int | None = None,
) -> tuple[list[PipelineRow], int, ScoringRun | None]:
    """One page (or, with `per_page` None, all) of the ranking, its total and the run."""
    run, previous = latest_runs()
    if run is None:
        return [], 0, None
    query = pipeline_query(user, filters, run)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    if per_page is not None:
        page = min(max(page, 1), MAX_PAGE)
        query = query.limit(per_page).offset((page - 1) * per_page)
    found = db.session.execute(query).all()
    # A change between two different scorers measures the switch, not the firm: none is shown.
    comparable = (
        previous if previous and previous.model_version_id == run.model_version_id else None
    )
    return _rows(found, comparable), total, run


def _rows(found: Any, previous: ScoringRun | None) -> list[PipelineRow]:
    ids = [enterprise.id for _score, enterprise in found]
    before = _scores_in(previous, ids)
    visits, requests, support = _last_visits(ids), _open_requests(ids), _support(ids)
    overrides = active_overrides(ids)
    return [
        PipelineRow(
            enterprise=enterprise,
            score=score,
            change=None if enterprise.id not in before else score.score - before[enterprise.id],
            last_visit_on=visits.get(enterprise.id),
            open_requests=requests.get(enterprise.id, 0),
            support_granted=support.get(enterprise.id, Decimal(0)),
            override=overrides.get(enterprise.id),
        )
        for score, enterprise in found
    ]


def _scores_in(run: ScoringRun | None, ids: list[int]) -> dict[int, float]:
    if run is None or not ids:
        return {}
    query = select(PotentialScore.enterprise_id, PotentialScore.score).where(
        PotentialScore.run_id == run.id, PotentialScore.enterprise_id.in_(ids)
    )
    return {row[0]: row[1] for row in db.session.execute(query)}


def _last_visits(ids: list[int]) -> dict[int, date]:
    query = (
        select(Visit.enterprise_id, func.max(Visit.visited_on))
        .where(Visit.enterprise_id.in_(ids), Visit.deleted_at.is_(None))
        .group_by(Visit.enterprise_id)
    )
    return {row[0]: row[1] for row in db.session.execute(query)}


def _open_requests(ids: list[int]) -> dict[int, int]:
    query = (
        select(EnterpriseRequest.enterprise_id, func.count())
        .where(
            EnterpriseRequest.enterprise_id.in_(ids),
            EnterpriseRequest.deleted_at.is_(None),
            EnterpriseRequest.state.in_(OPEN_STATES),
        )
        .group_by(EnterpriseRequest.enterprise_id)
    )
    return {row[0]: row[1] for row in db.session.execute(query)}


def _support(ids: list[int]) -> dict[int, Decimal]:
    query = (
        select(PolicyPackage.enterprise_id, func.sum(PackageItem.amount))
        .join(PackageItem.package)
        .join(PackageItem.instrument)
        .where(
            PolicyPackage.enterprise_id.in_(ids),
            PolicyPackage.deleted_at.is_(None),
            PolicyInstrument.unit == InstrumentUnit.YUAN,
            PackageItem.state != ItemState.PLANNED,
        )
        .group_by(PolicyPackage.enterprise_id)
    )
    return {
        enterprise_id: Decimal(total or 0) for enterprise_id, total in db.session.execute(query)
    }


def active_overrides(ids: list[int]) -> dict[int, PipelineOverride]:
    if not ids:
        return {}
    query = select(PipelineOverride).where(
        PipelineOverride.enterprise_id.in_(ids), PipelineOverride.deleted_at.is_(None)
    )
    return {override.enterprise_id: override for override in db.session.scalars(query)}


HISTORY_RUNS = 120  # four months of nightly scoring: what a small chart can show


def score_history(enterprise_id: int) -> list[tuple[ScoringRun, PotentialScore]]:
    """The firm's score in its latest runs, oldest first (for its small chart)."""
    query = (
        select(ScoringRun, PotentialScore)
        .join(PotentialScore, PotentialScore.run_id == ScoringRun.id)
        .where(PotentialScore.enterprise_id == enterprise_id)
        .order_by(ScoringRun.id.desc())
        .limit(HISTORY_RUNS)
    )
    return [(row[0], row[1]) for row in db.session.execute(query)][::-1]


MOVERS = 10


@dataclass(frozen=True)
class Mover:
    enterprise_id: int
    name: str
    before: float  # percentile, 0-1
    after: float

    @property
    def change(self) -> float:
        return self.after - self.before


def score_movers(limit: int = MOVERS, where: Sequence[ColumnElement[bool]] = ()) -> list[Mover]:
    """Firms whose percentile moved most between the last two runs of the same model, among the
    firms `where` selects (clauses on Enterprise; every scored firm by default)."""
    latest, previous = latest_runs()
    if latest is None or previous is None or latest.model_version_id != previous.model_version_id:
        return []
    before = aliased(PotentialScore)
    change = PotentialScore.percentile - before.percentile
    rows = db.session.execute(
        select(Enterprise.id, Enterprise.name, before.percentile, PotentialScore.percentile)
        .join(before, before.enterprise_id == PotentialScore.enterprise_id)
        .join(Enterprise, Enterprise.id == PotentialScore.enterprise_id)
        .where(PotentialScore.run_id == latest.id, before.run_id == previous.id, change != 0)
        .where(*where)
        .order_by(func.abs(change).desc(), Enterprise.id)
        .limit(limit)
    )
    return [Mover(*row) for row in rows]

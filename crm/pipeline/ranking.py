"""The leaders' pipeline: the latest run's ranking, scoped and filtered like the reservoir."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select, tuple_
from sqlalchemy.orm import aliased, selectinload

from crm.enterprises.queries import ReservoirFilter, reservoir_query
from crm.keyset import offset_of
from crm.reference import by_slug
from models import (
    Enterprise,
    EnterpriseRequest,
    IndustryTrack,
    InstrumentUnit,
    ItemState,
    PackageItem,
    PipelineOverride,
    PolicyInstrument,
    PolicyPackage,
    PotentialScore,
    RequestState,
    Role,
    ScoringRun,
    SubDistrict,
    Tier,
    User,
    Visit,
    Zone,
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


RankKey = tuple[int, int]  # (rank, enterprise id): ranks can tie, the firm's id breaks the tie
EXPORT_BATCH = 1_000
# What a row shows of its firm, loaded for the whole page in one query each.
ROW_COLUMNS = (
    selectinload(PotentialScore.enterprise).options(
        selectinload(Enterprise.sub_district),
        selectinload(Enterprise.zone),
        selectinload(Enterprise.track),
        selectinload(Enterprise.manager),
        selectinload(Enterprise.designation_rows),
    ),
)


def parse_key(text: str | None) -> RankKey | None:
    """A page link's "rank-id"; None for anything else, which shows the first page."""
    rank, _dash, firm = (text or "").partition("-")
    # ASCII digits only: str.isdigit() also passes "²", which int() refuses.
    if not all(part.isascii() and part.isdigit() and len(part) < 10 for part in (rank, firm)):
        return None
    return int(rank), int(firm)


def key_text(key: RankKey | None) -> str | None:
    return None if key is None else f"{key[0]}-{key[1]}"


@dataclass(frozen=True)
class PagePlace:
    """Where a page starts: after or before a row's key (links), or at a page number."""

    page: int = 1
    after: RankKey | None = None
    before: RankKey | None = None

    @classmethod
    def from_args(cls, args: Any) -> "PagePlace":
        return cls(
            page=max(args.get("page", 1, type=int) or 1, 1),
            after=parse_key(args.get("after")),
            before=parse_key(args.get("before")),
        )


FIRST_PAGE = PagePlace()


@dataclass(frozen=True)
class PipelinePage:
    rows: list[PipelineRow]
    run: ScoringRun | None
    total: int | None  # firms in view when the run scored them; None where no tally can say
    previous_key: RankKey | None
    next_key: RankKey | None


def latest_runs() -> tuple[ScoringRun | None, ScoringRun | None]:
    runs = db.session.scalars(select(ScoringRun).order_by(ScoringRun.id.desc()).limit(2)).all()
    return (runs[0] if runs else None), (runs[1] if len(runs) > 1 else None)


def ranked_scores(user: User, filters: ReservoirFilter, run: ScoringRun) -> Select[PotentialScore]:
    """The run's scores of the firms the user may read and the filters keep, in rank order.

    Read from the (run, rank) index and checked firm by firm with EXISTS: a page stops after its
    rows, however large the reservoir. A join lets SQLite start from a filter's index instead
    (all 7,000 firms of a sub-district, then a sort), 50x slower for a manager's first page.
    """
    firm = (
        reservoir_query(user, filters)
        .order_by(None)
        .where(Enterprise.id == PotentialScore.enterprise_id)
    )
    return (
        select(PotentialScore)
        .where(PotentialScore.run_id == run.id, firm.exists())
        .order_by(PotentialScore.rank, PotentialScore.enterprise_id)
    )


def pipeline_page(
    user: User, filters: ReservoirFilter, per_page: int, place: PagePlace = FIRST_PAGE
) -> PipelinePage:
    """One page of the latest run's ranking: after or before a row's key, or a page number."""
    run, previous = latest_runs()
    if run is None:
        return PipelinePage([], None, None, None, None)
    query = ranked_scores(user, filters, run).limit(per_page + 1)
    key = tuple_(PotentialScore.rank, PotentialScore.enterprise_id)
    if place.before is not None:  # read backwards from the key, then turn the page round
        query = query.where(key < tuple_(*place.before)).order_by(None)
        query = query.order_by(PotentialScore.rank.desc(), PotentialScore.enterprise_id.desc())
    elif place.after is not None:
        query = query.where(key > tuple_(*place.after))
    else:
        query = query.offset(offset_of(place.page, per_page))
    scores = list(db.session.scalars(query.options(*ROW_COLUMNS)))
    more = len(scores) > per_page
    scores = scores[:per_page]
    if place.before is not None:
        scores.reverse()
    has_previous = more if place.before is not None else place.after is not None or place.page > 1
    has_next = more if place.before is None else True
    rows = _rows(scores, _comparable(run, previous))
    return PipelinePage(
        rows=rows,
        run=run,
        total=tallied_total(run, user, filters),
        previous_key=_key(rows[0]) if rows and has_previous else None,
        next_key=_key(rows[-1]) if rows and has_next else None,
    )


def all_pipeline_rows(
    user: User, filters: ReservoirFilter, batch: int = EXPORT_BATCH
) -> Iterator[PipelineRow]:
    """Every row of the ranking, read in keyset batches so memory stays flat for any size."""
    run, previous = latest_runs()
    if run is None:
        return
    comparable = _comparable(run, previous)
    query = ranked_scores(user, filters, run).limit(batch).options(*ROW_COLUMNS)
    key = tuple_(PotentialScore.rank, PotentialScore.enterprise_id)
    after: RankKey | None = None
    while True:
        page = query if after is None else query.where(key > tuple_(*after))
        scores = list(db.session.scalars(page))
        if not scores:
            return
        yield from _rows(scores, comparable)
        after = (scores[-1].rank, scores[-1].enterprise_id)


def tallied_total(run: ScoringRun, user: User, filters: ReservoirFilter) -> int | None:
    """How many of the run's firms the view holds, counted by the run when it scored them.

    None where the tally cannot say (a search, a designation or a manager filter): counting those
    would read the whole reservoir on every view. A tier or sub-district changed since the run is
    counted where it was then, which the page says.
    """
    if filters.q or filters.designation or filters.manager or user.role == Role.DEPARTMENT:
        return None
    wanted: list[int | str | None] = [None, None, None, filters.tier or None]
    if user.role == Role.MANAGER:
        wanted[0] = user.sub_district_id
    for position, model, slug in (
        (0, SubDistrict, filters.sub_district),
        (1, Zone, filters.zone),
        (2, IndustryTrack, filters.track),
    ):
        if slug:
            found = by_slug(model, slug)
            if found is None or wanted[position] not in (None, found.id):
                return 0
            wanted[position] = found.id
    if all(value is None for value in wanted):
        return run.firms
    if not run.tally:  # scored before runs kept a tally
        return None
    return sum(
        firms
        for *cell, firms in run.tally
        if all(value is None or value == have for value, have in zip(wanted, cell, strict=True))
    )


def run_tally(run: ScoringRun) -> list[list[Any]]:
    """The run's firms counted by sub-district, zone, track and tier, for `tallied_total`."""
    query = (
        select(
            Enterprise.sub_district_id,
            Enterprise.zone_id,
            Enterprise.track_id,
            Enterprise.tier,
            func.count(),
        )
        .join(PotentialScore, PotentialScore.enterprise_id == Enterprise.id)
        .where(PotentialScore.run_id == run.id)
        .group_by(
            Enterprise.sub_district_id, Enterprise.zone_id, Enterprise.track_id, Enterprise.tier
        )
    )
    return [
        [sub, zone, track, tier.value, firms]
        for sub, zone, track, tier, firms in db.session.execute(query)
    ]


def _comparable(run: ScoringRun, previous: ScoringRun | None) -> ScoringRun | None:
    # A change between two different scorers measures the switch, not the firm: none is shown.
    return previous if previous and previous.model_version_id == run.model_version_id else None


def _key(row: PipelineRow) -> RankKey:
    return (row.score.rank, row.enterprise.id)


def _rows(scores: list[PotentialScore], previous: ScoringRun | None) -> list[PipelineRow]:
    ids = [score.enterprise_id for score in scores]
    before = _scores_in(previous, ids)
    visits, requests, support = _last_visits(ids), _open_requests(ids), _support(ids)
    overrides = active_overrides(ids)
    return [
        PipelineRow(
            enterprise=score.enterprise,
            score=score,
            change=None if firm not in before else score.score - before[firm],
            last_visit_on=visits.get(firm),
            open_requests=requests.get(firm, 0),
            support_granted=support.get(firm, Decimal(0)),
            override=overrides.get(firm),
        )
        for score, firm in zip(scores, ids, strict=True)
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
    firms `where` selects (clauses on Enterprise; every scored firm by default).

    A firm whose own score did not move is no mover, even when others passing it moved its
    percentile: the digest would otherwise credit it with a change it never made."""
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
        .where(PotentialScore.score != before.score)
        .where(*where)
        .order_by(func.abs(change).desc(), Enterprise.id)
        .limit(limit)
    )
    return [Mover(*row) for row in rows]

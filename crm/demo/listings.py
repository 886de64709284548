"""Demo listing tracks: about 3 in 100 promising firms on the road to a stock exchange, most of
them early, with four years of steps, sponsors, blockers filed as requests, a few paused or
withdrawn; and a `listed` track for every firm already holding the listed designation, dated by
its award. Deterministic from (seed, today); nothing is dated after today."""

from datetime import date, timedelta
from random import Random

from sqlalchemy import select

from crm.demo.accounts import Staff
from crm.demo.activity import advance, raised_request
from crm.demo.phrases import request_steps
from crm.demo.randomness import at_hour, days_after, days_before, stream, weighted
from models import (
    Department,
    Designation,
    Enterprise,
    EnterpriseStatus,
    ListingBlocker,
    ListingBoard,
    ListingStage,
    ListingStep,
    ListingTrack,
    RequestCategory,
    RequestState,
    Tier,
    User,
    Visit,
    db,
)
from models.listing import ROAD

TRACKS_PER_FIRM = 60 / 2000
HISTORY_DAYS = 4 * 365
# Where the live tracks stand today: many candidates, few near the bell.
STAGE_WEIGHTS = {
    ListingStage.CANDIDATE: 22,
    ListingStage.SHAREHOLDING_REFORM: 16,
    ListingStage.SPONSOR_SIGNED: 12,
    ListingStage.TUTORING_FILED: 10,
    ListingStage.APPLICATION_ACCEPTED: 7,
    ListingStage.INQUIRY: 5,
    ListingStage.APPROVED: 3,
    ListingStage.PAUSED: 4,
    ListingStage.WITHDRAWN: 3,
}
BOARD_WEIGHTS = {
    ListingBoard.STAR_MARKET: 28,
    ListingBoard.CHINEXT: 24,
    ListingBoard.MAIN_BOARD: 12,
    ListingBoard.BEIJING: 20,
    ListingBoard.HONG_KONG: 11,
    ListingBoard.OVERSEAS: 5,
}
SPONSORS = (
    "中信证券",
    "中金公司",
    "海通证券",
    "国泰君安",
    "华泰联合证券",
    "招商证券",
    "中信建投证券",
    "申万宏源承销保荐",
    "东方证券承销保荐",
    "光大证券",
)
HALT_REASONS = {
    ListingStage.PAUSED: (
        "最近一期业绩下滑，暂缓申报，待年报数据改善后再议",
        "行业监管政策调整，等待审核窗口",
        "历史对赌协议清理中，需股东会决议",
        "核心技术人员变动，保荐机构建议暂缓",
    ),
    ListingStage.WITHDRAWN: (
        "主动撤回申报材料，拟调整上市板块",
        "问询回复未能充分说明收入确认问题，撤回申请",
        "被并购方收购，终止独立上市计划",
    ),
}
BLOCKERS = (
    (RequestCategory.PERMITS, "ecology", "募投项目环评批复尚未取得"),
    (RequestCategory.PERMITS, "construction", "厂房消防验收备案手续未完成"),
    (RequestCategory.SPACE, "planning", "研发楼土地权属证明待补办"),
    (RequestCategory.PERMITS, "hrss", "报告期社保公积金缴纳合规证明"),
    (RequestCategory.PERMITS, "stec", "高新技术企业资质复核证明"),
    (RequestCategory.FINANCING, "finance", "政府补助资金合规性说明"),
)
BLOCKER_CHANCE = 0.6  # of a track from the sponsor's signature on (due diligence finds them)
EARLIEST_BLOCKER_STAGE = ROAD.index(ListingStage.SPONSOR_SIGNED)
# Days a firm usually spends in each stage before the next (docs/listings.md, the typical course).
STAGE_DAYS = {
    ListingStage.CANDIDATE: (60, 360),
    ListingStage.SHAREHOLDING_REFORM: (90, 360),
    ListingStage.SPONSOR_SIGNED: (60, 240),
    ListingStage.TUTORING_FILED: (90, 300),
    ListingStage.APPLICATION_ACCEPTED: (20, 60),
    ListingStage.INQUIRY: (90, 300),
    ListingStage.APPROVED: (15, 60),
}


def seed_listings(seed: int, firms: list[Enterprise], today: date) -> None:
    """Add the demo's listing tracks for `firms`. Flushes."""
    staff = Staff()
    leader = staff.leader
    departments = {d.slug: d for d in db.session.scalars(select(Department))}
    tracks: list[ListingTrack] = []
    # Each firm's draws are keyed by its place in `firms`, never its id: another database (a
    # PostgreSQL sequence that moved on) numbers the same firms apart.
    ordinal = {id(firm): position for position, firm in enumerate(firms)}
    listed = [f for f in firms if Designation.LISTED in f.designations]
    for firm in listed:
        tracks.append(_listed_track(seed, ordinal[id(firm)], firm, firm.manager or leader, today))
    hopefuls = [
        firm
        for firm in firms
        if firm.tier in {Tier.CANDIDATE, Tier.NEW_TRACK, Tier.ACHIEVED}
        and firm.status == EnterpriseStatus.ACTIVE
        and Designation.LISTED not in firm.designations
    ]
    wanted = min(len(hopefuls), round(len(firms) * TRACKS_PER_FIRM))
    chosen = sorted(
        stream(seed, "listing-firms").sample(hopefuls, wanted), key=lambda f: ordinal[id(f)]
    )
    latest_visits = _latest_visits([firm.id for firm in chosen])
    for firm in chosen:
        rng = stream(seed, "listing", ordinal[id(firm)])
        actor = firm.manager or leader
        track = _live_track(rng, firm, actor, today)
        visit = latest_visits.get(firm.id)
        if (
            ROAD.index(_road_stage(track)) >= EARLIEST_BLOCKER_STAGE
            and rng.random() < BLOCKER_CHANCE
            and visit is not None
            and visit.visited_on >= track.steps[0].on
        ):
            _add_blocker(rng, track, actor, visit, (staff, departments), today)
        tracks.append(track)
    db.session.add_all(tracks)
    db.session.flush()


def _listed_track(
    seed: int, ordinal: int, firm: Enterprise, actor: User, today: date
) -> ListingTrack:
    rng = stream(seed, "listing", ordinal)
    row = next(r for r in firm.designation_rows if r.designation == Designation.LISTED)
    if row.awarded_on is None:
        row.awarded_on = days_before(rng, today, 200, 3000)
    listed_on = row.awarded_on
    track = _track(rng, firm, actor)
    _walk(rng, track, actor, ROAD, listed_on, listed_on - timedelta(days=HISTORY_DAYS))
    track.listed_on = listed_on
    track.stock_code = f"{rng.choice(('688', '300', '600', '830'))}{rng.randint(0, 999):03d}"
    return track


def _live_track(rng: Random, firm: Enterprise, actor: User, today: date) -> ListingTrack:
    final = weighted(rng, STAGE_WEIGHTS)
    track = _track(rng, firm, actor)
    if final in {ListingStage.PAUSED, ListingStage.WITHDRAWN}:
        left = rng.choice(ROAD[: ROAD.index(ListingStage.INQUIRY) + 1])
        road = (*ROAD[: ROAD.index(left) + 1], final)
        track.halt_reason = rng.choice(HALT_REASONS[final])
        entered = days_before(rng, today, 0, 400)
    else:
        road = ROAD[: ROAD.index(final) + 1]
        # Some firms sit in their stage far longer than usual: the ones the funnel calls stuck.
        entered = days_before(rng, today, 0, STAGE_DAYS[final][1] * 3 // 2)
    _walk(rng, track, actor, road, entered, today - timedelta(days=HISTORY_DAYS))
    if track.halt_reason:
        track.steps[-1].note = track.halt_reason
    if ROAD.index(_road_stage(track)) < ROAD.index(ListingStage.SPONSOR_SIGNED):
        track.sponsor = None
    if final not in {ListingStage.WITHDRAWN, ListingStage.CANDIDATE}:
        track.planned_listing_on = days_after(rng, today, 60, 900)
    return track


def _track(rng: Random, firm: Enterprise, actor: User) -> ListingTrack:
    return ListingTrack(
        enterprise=firm,
        board=weighted(rng, BOARD_WEIGHTS),
        stage=ListingStage.CANDIDATE,
        sponsor=rng.choice(SPONSORS),
        created_by=actor,
    )


def _walk(
    rng: Random,
    track: ListingTrack,
    actor: User,
    road: tuple[ListingStage, ...],
    last_on: date,
    earliest: date,
) -> None:
    """Steps along `road`, the last one on `last_on`, each before it earlier by the usual time in
    that stage (STAGE_DAYS), none before `earliest`."""
    days = [last_on]
    for stage in reversed(road[:-1]):
        low, high = STAGE_DAYS[stage]
        days.insert(0, max(earliest, days_before(rng, days[0], low, high)))
    previous: ListingStage | None = None
    for stage, day in zip(road, days, strict=True):
        track.steps.append(ListingStep(from_stage=previous, to_stage=stage, on=day, actor=actor))
        previous = stage
    track.stage, track.stage_since = road[-1], days[-1]
    track.created_at, track.updated_at = at_hour(days[0], 10), at_hour(days[-1], 16)


def _road_stage(track: ListingTrack) -> ListingStage:
    """The stage on the road the track reached (the one a halted track left)."""
    on_road = [step.to_stage for step in track.steps if step.to_stage in ROAD]
    return on_road[-1]


def _latest_visits(firm_ids: list[int]) -> dict[int, Visit]:
    """Each firm's latest visit: a blocker is raised with the firm on a visit, as requests are."""
    query = (
        select(Visit)
        .where(Visit.enterprise_id.in_(firm_ids), Visit.deleted_at.is_(None))
        .order_by(Visit.enterprise_id, Visit.visited_on, Visit.id)
    )
    return {visit.enterprise_id: visit for visit in db.session.scalars(query)}


def _add_blocker(
    rng: Random,
    track: ListingTrack,
    actor: User,
    visit: Visit,
    people: tuple[Staff, dict[str, Department]],
    today: date,
) -> None:
    staff, departments = people
    category, slug, text = rng.choice(BLOCKERS)
    department = departments[slug]
    raised_on = visit.visited_on
    due_on = days_after(rng, raised_on, 20, 60)
    request = raised_request(
        visit, actor, at_hour(raised_on, 11), category, f"上市障碍：{text}", department, due_on
    )
    done_on = days_after(rng, raised_on, 10, 50)
    if done_on < today and rng.random() < 0.5:
        # Chased: accepted the next day, started the day after, resolved when done.
        raised_at, officer = request.created_at, staff.staff_of.get(department.id, actor)
        days = (raised_at + timedelta(days=1), raised_at + timedelta(days=2), at_hour(done_on, 15))
        request.state = RequestState.OPEN  # the state the first step leaves
        steps = zip(request_steps(officer, actor, 0), days, strict=False)  # up to resolved
        for (state, action, by, _least, _most), at in steps:
            advance(request, state, action, by, at)
        request.resolved_at, request.answer = request.updated_at, "已协调办理完毕，相关证明已出具。"
    track.blockers.append(
        ListingBlocker(
            request=request, description=text, created_by=actor, created_at=request.created_at
        )
    )

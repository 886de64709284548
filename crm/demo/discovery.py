"""Demo discovery: events of 2025-2026 and about 15 candidates per 100 firms, from invented
investors, the events, department referrals, big firms' calls and the office's own search.

Deterministic from the seed, the firms and `today`: one stream per purpose and ordinal. Admitted
candidates stand for demo firms (their name and code), admitted at the reservoir tier or at the
tier they hold, so some count as advanced; a few candidates carry a reservoir firm's code and are
duplicates; each event lists its candidates and a few reservoir firms with their awards.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from crm.demo.accounts import Staff, written_by
from crm.demo.randomness import at_hour, days_after, days_before, stream, weighted
from crm.discovery.names import name_key
from models import (
    CandidateState,
    Department,
    DiscoveryCandidate,
    DiscoveryEvent,
    Enterprise,
    EnterpriseStatus,
    EventKind,
    EventParticipant,
    IndustryTrack,
    SourceKind,
    Tier,
    User,
    db,
)

CANDIDATES_PER_FIRM = 0.15  # 300 for the 2,000-firm demo
# (kind, name, round, organiser, days before today)
EVENTS = (
    (EventKind.COMPETITION, "创新创业大赛静安赛区", "初赛", "静安区科委", 620),
    (EventKind.COMPETITION, "创新创业大赛静安赛区", "决赛", "静安区科委", 560),
    (EventKind.ROADSHOW, "张江路演·人工智能专场", None, "浦江科创服务中心", 500),
    (EventKind.HORSE_RACE, "数字经济赛马", "第一轮", "区功能区推进办公室", 430),
    (EventKind.OPEN_INNOVATION_CALL, "大企业开放创新·华数云科技集团", None, "华数云科技集团", 380),
    (EventKind.ROADSHOW, "苏河湾投融资路演", None, "苏河湾功能区", 300),
    (EventKind.HORSE_RACE, "数字经济赛马", "第二轮", "区功能区推进办公室", 250),
    (EventKind.COMPETITION, "创新创业大赛静安赛区（2026）", "复赛", "静安区科委", 180),
    (EventKind.COMPETITION, "创新创业大赛静安赛区（2026）", "决赛", "静安区科委", 140),
    (EventKind.OPEN_INNOVATION_CALL, "大企业开放创新·申联通信", None, "申联通信", 60),
)
EVENT_SOURCE = {
    EventKind.COMPETITION: SourceKind.COMPETITION,
    EventKind.HORSE_RACE: SourceKind.COMPETITION,
    EventKind.ROADSHOW: SourceKind.ROADSHOW,
    EventKind.OPEN_INNOVATION_CALL: SourceKind.OPEN_INNOVATION,
}
INVESTORS = (
    "静安科创母基金",
    "苏河湾天使基金",
    "浦江启航创投",
    "大宁数智产业基金",
    "华芯远景资本",
    "申江源创投资",
    "北外滩科创基金",
    "沪上星火创投",
)
SOURCE_WEIGHTS = {
    SourceKind.INVESTOR: 30,
    "event": 43,
    SourceKind.DEPARTMENT_REFERRAL: 10,
    SourceKind.OWN_SEARCH: 17,
}
STATE_WEIGHTS = {  # of candidates a month old or more
    CandidateState.NEW: 6,
    CandidateState.SCREENING: 12,
    CandidateState.ADMITTED: 30,
    CandidateState.WATCHING: 20,
    CandidateState.DECLINED: 32,
}
AWARDS = ("一等奖", "二等奖", "三等奖", "优胜奖", "入围", None)
TRADE_NAMES = (
    "星河", "云帆", "灵犀", "数衡", "智岚", "矩阵", "澄明", "曜石", "极光", "深蓝",
    "远图", "启元", "锐思", "昕泽", "知微", "青禾", "墨翼", "衡道", "朗驰", "恒芯",
)  # fmt: skip
PHRASES = ("智能科技", "数据科技", "信息技术", "网络科技", "数字科技", "软件技术")
PROFILES = (
    "核心团队来自头部互联网企业，产品已在两家银行落地。",
    "高校科研成果转化项目，已申请发明专利六项。",
    "完成天使轮融资，年营收约八百万元，客户集中在长三角。",
    "专注行业大模型应用，正在洽谈A轮融资。",
    "提供工业数据采集与分析服务，去年营收翻番。",
    "海归创业团队，产品面向跨境支付合规。",
)
REASONS = ("业务尚早，暂不入库", "主营不在重点赛道", "注册地不在本区且无迁入意向")


@dataclass
class _Context:
    today: date
    staff: Staff
    tracks: list[IndustryTrack]
    departments: list[Department]
    firms: list[Enterprise]
    events: list[DiscoveryEvent]


def seed_discovery(seed: int, firms: list[Enterprise], today: date) -> None:
    """Add the events, candidates and participants. Flushes."""
    context = _Context(
        today=today,
        staff=Staff(),
        tracks=list(db.session.scalars(select(IndustryTrack).order_by(IndustryTrack.position))),
        departments=list(db.session.scalars(select(Department).order_by(Department.position))),
        firms=[firm for firm in firms if firm.status == EnterpriseStatus.ACTIVE],
        events=_events(today),
    )
    db.session.add_all(context.events)
    db.session.flush()
    admitted_firms = list(context.firms)  # the intake brought them in, one per admitted candidate
    stream(seed, "discovery/admitted").shuffle(admitted_firms)
    taken_names = {firm.name for firm in firms}
    candidates = []
    for ordinal in range(1, round(len(firms) * CANDIDATES_PER_FIRM) + 1):
        drawn = _candidate(seed, ordinal, context, admitted_firms, taken_names)
        if drawn is not None:
            candidates.append(drawn)
    db.session.add_all(candidates)
    db.session.flush()
    db.session.add_all(_participants(seed, context, candidates))
    db.session.flush()


def _events(today: date) -> list[DiscoveryEvent]:
    moment = at_hour(today, 9)
    return [
        DiscoveryEvent(
            kind=kind,
            name=name,
            round=round_name,
            organiser=organiser,
            held_on=today - timedelta(days=days_before),
            place="静安区",
            created_at=moment,
            updated_at=moment,
        )
        for kind, name, round_name, organiser, days_before in EVENTS
    ]


def _candidate(
    seed: int,
    ordinal: int,
    context: _Context,
    admitted_firms: list[Enterprise],
    taken_names: set[str],
) -> DiscoveryCandidate | None:
    rng = stream(seed, "discovery", ordinal)
    source, event = _source(rng, context)
    if event is not None:
        received_on = min(days_after(rng, event.held_on, 1, 20), context.today)
    else:
        received_on = days_before(rng, context.today, 5, 640)
    age_days = (context.today - received_on).days
    state = _state(rng, age_days)
    firm = admitted_firms.pop() if state == CandidateState.ADMITTED and admitted_firms else None
    if state == CandidateState.ADMITTED and firm is None:
        state = CandidateState.WATCHING
    is_duplicate = firm is None and rng.random() < 0.05 and bool(context.firms)
    duplicate_of = rng.choice(context.firms) if is_duplicate else None
    name = firm.name if firm else (duplicate_of.name if duplicate_of else _name(rng, taken_names))
    sub_district_id = _sub_district(rng, context, firm, state)
    manager = context.staff.manager_of.get(sub_district_id)
    department = (
        rng.choice(context.departments) if source == SourceKind.DEPARTMENT_REFERRAL else None
    )
    creator = context.staff.staff_of.get(
        department.id if department else None, manager or context.staff.leader
    )
    candidate = DiscoveryCandidate(
        name=name,
        name_key=name_key(name),
        uscc=(firm.uscc if firm else duplicate_of.uscc if duplicate_of else None),
        profile=rng.choice(PROFILES),
        track_id=(firm.track_id if firm else rng.choice(context.tracks).id),
        zone_id=(firm.zone_id if firm else None),
        sub_district_id=sub_district_id,
        source_kind=source,
        source_name=_source_name(rng, source, event, department),
        department_id=department.id if department else None,
        event_id=event.id if event else None,
        award=rng.choice(AWARDS) if event is not None else None,
        state=state,
        received_on=received_on,
        **written_by(creator, at_hour(received_on, 10)),
    )
    _screen(rng, candidate, state, manager, context.today)
    if duplicate_of is not None and candidate.decided_on is not None:
        candidate.state, candidate.admitted_enterprise_id = (
            CandidateState.DUPLICATE,
            duplicate_of.id,
        )
        candidate.decision_reason = None
    if firm is not None:
        # Half entered at the reservoir tier and rose since; half at the tier they hold now.
        tier = Tier.RESERVOIR if rng.random() < 0.5 else firm.tier
        candidate.admitted_enterprise_id, candidate.admitted_tier = firm.id, tier
        candidate.zone_id = firm.zone_id
    return candidate


def _source(rng: random.Random, context: _Context) -> tuple[SourceKind, DiscoveryEvent | None]:
    drawn = weighted(rng, SOURCE_WEIGHTS)
    if drawn == "event":
        event = rng.choice(context.events)
        return EVENT_SOURCE[event.kind], event
    return SourceKind(drawn), None


def _source_name(
    rng: random.Random,
    source: SourceKind,
    event: DiscoveryEvent | None,
    department: Department | None,
) -> str | None:
    if source == SourceKind.INVESTOR:
        return rng.choice(INVESTORS)
    if department is not None:
        return department.name_zh
    if event is not None:
        return event.organiser
    return None


def _state(rng: random.Random, age_days: int) -> CandidateState:
    """Young candidates are mostly new or in screening; older ones mostly decided."""
    if age_days < 30:
        return rng.choice((CandidateState.NEW, CandidateState.NEW, CandidateState.SCREENING))
    return weighted(rng, STATE_WEIGHTS)


def _sub_district(
    rng: random.Random, context: _Context, firm: Enterprise | None, state: CandidateState
) -> int | None:
    if firm is not None:
        return firm.sub_district_id
    if state == CandidateState.NEW and rng.random() < 0.25:
        return None  # awaiting a leader's assignment
    known = context.staff.sub_district_ids
    return rng.choice(known) if known else None


def _screen(
    rng: random.Random,
    candidate: DiscoveryCandidate,
    state: CandidateState,
    manager: User | None,
    today: date,
) -> None:
    if state == CandidateState.NEW or manager is None:
        return
    screened_on = min(days_after(rng, candidate.received_on, 5, 40), today)
    candidate.screened_on, candidate.screened_by_id = screened_on, manager.id
    candidate.score = {CandidateState.ADMITTED: rng.randint(3, 5)}.get(state, rng.randint(1, 4))
    candidate.score_rationale = "团队与赛道匹配" if candidate.score >= 3 else "业务尚早"
    if state in {CandidateState.ADMITTED, CandidateState.WATCHING, CandidateState.DECLINED}:
        candidate.decided_on = min(days_after(rng, screened_on, 0, 20), today)
    if state == CandidateState.WATCHING:
        candidate.watch_until = days_after(rng, candidate.decided_on or today, 60, 300)
    if state == CandidateState.DECLINED:
        candidate.decision_reason = rng.choice(REASONS)


def _name(rng: random.Random, taken: set[str]) -> str:
    for _attempt in range(50):
        first, second = rng.sample(TRADE_NAMES, 2)  # two different words: no 恒芯恒芯
        name = f"上海{first}{second}{rng.choice(PHRASES)}有限公司"
        if name not in taken:
            taken.add(name)
            return name
    name = f"上海{rng.choice(TRADE_NAMES)}{rng.randint(100, 999)}{rng.choice(PHRASES)}有限公司"
    taken.add(name)
    return name


def _participants(
    seed: int, context: _Context, candidates: list[DiscoveryCandidate]
) -> list[EventParticipant]:
    rows = [
        EventParticipant(
            event_id=candidate.event_id,
            candidate_id=None if candidate.admitted_enterprise_id else candidate.id,
            enterprise_id=candidate.admitted_enterprise_id,
            award=candidate.award,
        )
        for candidate in candidates
        if candidate.event_id is not None
    ]
    listed = {(row.event_id, row.enterprise_id) for row in rows if row.enterprise_id}
    for position, event in enumerate(context.events):
        rng = stream(seed, "discovery/participants", position)
        for firm in rng.sample(context.firms, min(len(context.firms), rng.randint(3, 8))):
            if (event.id, firm.id) not in listed:
                listed.add((event.id, firm.id))
                rows.append(
                    EventParticipant(
                        event_id=event.id, enterprise_id=firm.id, award=rng.choice(AWARDS)
                    )
                )
    return rows

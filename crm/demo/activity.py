"""Demo work on the reservoir: two detailed years of visits, requests in every state and policy
packages, and the older, sparser work before them (past_work.py).

Dates follow each other as in real work: a request is raised on its visit's day and each workflow
step comes after the last; a package is decided after it was proposed, granted after approval,
disbursed after granted. Nothing is dated after `today`.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from random import Random

from sqlalchemy import select

from crm.demo.accounts import Staff, written_by
from crm.demo.past_work import PastWork
from crm.demo.phrases import CATEGORY_WEIGHTS, FINDING_AREAS, Phrases, load_phrases, request_steps
from crm.demo.randomness import at_hour, days_after, days_before, step_after, stream, weighted
from crm.demo.workload import (
    SATISFACTION_WEIGHTS,
    URGENCY_WEIGHTS,
    VISIT_KIND_WEIGHTS,
    cadence_days,
    follow_up_done_at,
    may_stall,
    stretched_sub_districts,
    visit_days,
)
from models import (
    CategoryRoute,
    Department,
    Enterprise,
    EnterpriseRequest,
    EnterpriseStatus,
    FollowUpAction,
    InstrumentUnit,
    ItemState,
    MoveOutReason,
    PackageItem,
    PackageState,
    PolicyInstrument,
    PolicyPackage,
    RedFlag,
    RequestCategory,
    RequestEvent,
    RequestState,
    Tier,
    User,
    Visit,
    VisitKind,
    VisitRedFlag,
    db,
)

HISTORY_DAYS = 730
RED_FLAG_CHANCE = 0.01  # per flag per on-site visit: a handful of firms at risk, not a tenth
REQUEST_CHANCE = 0.3
STALL_CHANCE = 0.15  # of a recent request (workload.may_stall)
PACKAGE_CHANCE = {
    Tier.ACHIEVED: 0.5,
    Tier.CANDIDATE: 0.8,
    Tier.NEW_TRACK: 0.4,
    Tier.TECH_BASED: 0.1,
}


def seed_activity(seed: int, firms: list[Enterprise], today: date) -> dict[str, int]:
    """Add visits, requests and packages for `firms`; returns how many of each. Flushes."""
    staff, phrases = Staff(), load_phrases()
    routes = {route.category: route for route in db.session.scalars(select(CategoryRoute))}
    instruments = list(
        db.session.scalars(
            select(PolicyInstrument)
            .where(PolicyInstrument.is_active.is_(True))
            .order_by(PolicyInstrument.position)
        )
    )
    counts = {"visits": 0, "requests": 0, "packages": 0}
    stretched = stretched_sub_districts(seed, staff.sub_district_ids)
    for ordinal, firm in enumerate(firms, start=1):
        manager = staff.manager_of.get(firm.sub_district_id)
        if manager is None or firm.status != EnterpriseStatus.ACTIVE:
            continue
        rng = stream(seed, "activity", ordinal)
        if firm.tier in {Tier.CANDIDATE, Tier.ACHIEVED}:
            firm.contact_leader = staff.leader
        days = visit_days(
            rng,
            firm.tier,
            firm.created_at.date(),
            today,
            HISTORY_DAYS,
            firm.sub_district_id in stretched,
        )
        visits = _visits(rng, firm, days, manager, phrases, today)
        counts["visits"] += len(visits)
        for visit in visits:
            if rng.random() < REQUEST_CHANCE:
                _request(rng, visit, manager, staff, routes, phrases, today)
                counts["requests"] += 1
        if rng.random() < PACKAGE_CHANCE.get(firm.tier, 0.0):
            proposed_on = days_before(rng, today, 5, HISTORY_DAYS - 60)
            _package(rng, firm, manager, staff.leader, instruments, phrases, today, proposed_on)
            counts["packages"] += 1
    past = PastWork(routes, staff, phrases)
    counts["packages"] += _past_work(seed, firms, past, staff, instruments, today)
    db.session.flush()
    past.insert()
    counts["visits"] += len(past.visits)
    counts["requests"] += len(past.requests)
    return counts


def _past_work(
    seed: int,
    firms: list[Enterprise],
    past: PastWork,
    staff: Staff,
    instruments: list[PolicyInstrument],
    today: date,
) -> int:
    """Gather the work before the detailed years; add its packages, returning how many."""
    until, packages = today - timedelta(days=HISTORY_DAYS), 0
    for ordinal, firm in enumerate(firms, start=1):
        manager = staff.manager_of.get(firm.sub_district_id)
        if manager is None:  # closed and moved-out firms too: they were here then
            continue
        rng = stream(seed, "past_work", ordinal)
        for proposed_on in past.gather(rng, firm, manager, until):
            _package(
                rng, firm, manager, staff.leader, instruments, past.phrases, today, proposed_on
            )
            packages += 1
    return packages


def _visits(
    rng: Random,
    firm: Enterprise,
    days: list[date],
    manager: User,
    phrases: Phrases,
    today: date,
) -> list[Visit]:
    visits = []
    for visited_on in days:
        kind = weighted(rng, VISIT_KIND_WEIGHTS)
        visit = Visit(
            enterprise=firm,
            visited_on=visited_on,
            kind=kind,
            summary=rng.choice(phrases[("summary", "any")]),
            people_met=firm.contacts[0].name if firm.contacts else None,
            red_flags_asked=kind == VisitKind.ON_SITE,
            next_visit_on=visited_on + timedelta(days=cadence_days(firm.tier)),
            **written_by(manager, at_hour(visited_on, 10)),
        )
        visit.participants.append(manager)
        if firm.contact_leader is not None and rng.random() < 0.25:
            visit.participants.append(firm.contact_leader)
        for area in rng.sample(FINDING_AREAS, rng.randint(1, 3)):
            setattr(visit, f"findings_{area}", rng.choice(phrases[("finding", area)]))
        if visit.red_flags_asked:
            _red_flags(rng, visit, firm)
        if rng.random() < 0.4:
            due_on = days_after(rng, visited_on, 14, 30)
            done_at = follow_up_done_at(rng, visited_on, due_on, today)
            visit.follow_ups.append(
                FollowUpAction(
                    description=rng.choice(phrases[("follow_up", "any")]),
                    owner=manager,
                    due_on=due_on,
                    done_at=done_at,
                )
            )
        db.session.add(visit)
        visits.append(visit)
    return visits


def _red_flags(rng: Random, visit: Visit, firm: Enterprise) -> None:
    raised = [flag for flag in RedFlag if rng.random() < RED_FLAG_CHANCE]
    for flag in raised:
        reason = rng.choice(list(MoveOutReason)) if flag == RedFlag.MOVE_OUT else None
        visit.red_flags.append(VisitRedFlag(flag=flag, move_out_reason=reason))
    # Visits come oldest first, so the latest on-site visit decides the firm's marker.
    firm.risk_flagged_on = visit.visited_on if raised else None


def _request(
    rng: Random,
    visit: Visit,
    manager: User,
    staff: Staff,
    routes: dict[RequestCategory, CategoryRoute],
    phrases: Phrases,
    today: date,
) -> None:
    category = weighted(rng, CATEGORY_WEIGHTS)
    route = routes[category]
    request = raised_request(
        visit,
        manager,
        at_hour(visit.visited_on, 15),
        category,
        rng.choice(phrases[("request", category.value)]),
        route.department,
        visit.visited_on + timedelta(days=route.due_days),
    )
    request.urgency = weighted(rng, URGENCY_WEIGHTS)
    officer = staff.staff_of.get(route.department_id, manager)
    steps = request_steps(officer, manager, route.due_days)
    rejected_after = 1 if rng.random() < 0.06 else None
    # A recent request sometimes stalls (a slow department, a firm that never calls back): the
    # few overdue requests a real inbox has. Older ones were chased and finished.
    stalls = rng.random() < STALL_CHANCE and may_stall(visit.visited_on, today)
    # Most often before anyone took it on: a request nobody accepted is the usual one forgotten.
    stalls_at = rng.choices(range(len(steps)), weights=(4, 3, 2, 1))[0] if stalls else None
    for index, (state, action, actor, least, most) in enumerate(steps):
        step_at = step_after(rng, request.updated_at, least, most)
        if step_at.date() >= today or index == stalls_at:
            break
        if rejected_after == index:
            state, action = RequestState.REJECTED, "reject"
            request.rejection_reason = rng.choice(phrases[("reject", "any")])
        advance(request, state, action, actor, step_at)
        if state == RequestState.RESOLVED:
            request.answer, request.resolved_at = rng.choice(phrases[("answer", "any")]), step_at
        if state == RequestState.CLOSED:
            request.satisfaction, request.closed_at = weighted(rng, SATISFACTION_WEIGHTS), step_at
        if state == RequestState.REJECTED:
            break
    db.session.add(request)


def raised_request(
    visit: Visit,
    by: User,
    at: datetime,
    category: RequestCategory,
    description: str,
    department: Department,
    due_on: date,
) -> EnterpriseRequest:
    """A request raised on `visit`, with the event that opened it."""
    request = EnterpriseRequest(
        enterprise=visit.enterprise,
        visit=visit,
        category=category,
        description=description,
        department=department,
        raised_on=visit.visited_on,
        due_on=due_on,
        state=RequestState.OPEN,  # set now: the column default only fills it in at the insert
        **written_by(by, at),
    )
    request.events.append(
        RequestEvent(action="create", to_state=RequestState.OPEN, actor=by, at=at)
    )
    return request


def advance(
    request: EnterpriseRequest, state: RequestState, action: str, actor: User, at: datetime
) -> None:
    """One step of the request's workflow, from the state it is in."""
    request.events.append(
        RequestEvent(action=action, from_state=request.state, to_state=state, actor=actor, at=at)
    )
    request.state, request.updated_at = state, at


def _package(
    rng: Random,
    firm: Enterprise,
    manager: User,
    leader: User,
    instruments: list[PolicyInstrument],
    phrases: Phrases,
    today: date,
    proposed_on: date,
) -> None:
    proposed_at = at_hour(proposed_on, 11)
    package = PolicyPackage(
        enterprise=firm,
        title=rng.choice(phrases[("package", "any")]),
        proposed_by=manager,
        proposed_at=proposed_at,
        updated_at=proposed_at,
    )
    for instrument in rng.sample(instruments, rng.randint(1, 3)):
        package.items.append(
            PackageItem(
                instrument=instrument,
                amount=_amount(rng, instrument),
                disburse_by=days_after(rng, proposed_on, 60, 120),
                review_on=days_after(rng, proposed_on, 300, 420),
            )
        )
    decided_at = days_after(rng, proposed_at, 3, 14)
    if decided_at.date() < today:
        approved = rng.random() < 0.85
        package.state = PackageState.APPROVED if approved else PackageState.REJECTED
        package.decided_by, package.decided_at = leader, decided_at
        package.decision_comment = "同意。" if approved else "建议补充材料后重新申报。"
        package.updated_at = decided_at
        if approved:
            for item in package.items:
                _progress(rng, item, decided_at.date(), today)
    db.session.add(package)


def _amount(rng: Random, instrument: PolicyInstrument) -> Decimal:
    if instrument.unit == InstrumentUnit.COUNT:
        most = int(instrument.ceiling or 5)
        return Decimal(rng.randint(1, max(1, most // 3)))
    ceiling = float(instrument.ceiling or 1_000_000)
    return Decimal(round(rng.uniform(0.1, 0.45) * ceiling, -4))


def _progress(rng: Random, item: PackageItem, approved_on: date, today: date) -> None:
    granted_on = days_after(rng, approved_on, 5, 30)
    if granted_on >= today:
        return
    item.state, item.granted_on = ItemState.GRANTED, granted_on
    disbursed_on = days_after(rng, granted_on, 10, 90)
    if disbursed_on >= today:
        return
    item.state, item.disbursed_on = ItemState.DISBURSED, disbursed_on
    item.disbursed_amount = item.amount
    if item.review_on is not None and item.review_on < today and disbursed_on < item.review_on:
        item.state, item.reviewed_on = ItemState.REVIEWED, item.review_on
        item.goal_met = rng.random() < 0.75
        item.review_note = "目标基本达成。" if item.goal_met else "营收增长未达预期，继续跟踪。"

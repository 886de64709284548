"""Older demo work: visits, their requests and support packages before the two detailed years.

The office has looked after the reservoir since it opened (identity.py), so a firm's visits and
support go back to when it was entered. Its attention followed what it could see at the time,
the designations a firm held and the figures already filed, never the hidden growth process: a
firm that later reaches a milestone was visited more only once it showed it. Older years are
sparser than recent ones (fewer managers, records kept on paper first). The rows are inserted in
bulk through Core: some sixteen thousand visits through the ORM's bulk insert took 9 s more.
"""

from datetime import date, datetime, timedelta
from random import Random
from typing import Any

from sqlalchemy import Connection, insert

from crm.demo.accounts import Staff, written_by
from crm.demo.firms import ARRIVED
from crm.demo.phrases import CATEGORY_WEIGHTS, FINDING_AREAS, Phrases, request_steps
from crm.demo.randomness import at_hour, day_within, poisson, step_after, weighted
from crm.demo.workload import SATISFACTION_WEIGHTS, URGENCY_WEIGHTS, VISIT_KIND_WEIGHTS
from models import (
    CategoryRoute,
    Designation,
    Enterprise,
    EnterpriseRequest,
    RequestCategory,
    RequestEvent,
    RequestState,
    User,
    Visit,
    VisitKind,
    db,
)
from models.visit import visit_participants

MILESTONES = ARRIVED | {Designation.LITTLE_GIANT}
# Visits a year by what a firm showed: nothing, one sign, several, a milestone or three marks.
VISITS_PER_YEAR = (0.3, 1.0, 2.0, 4.0)
CADENCE_DAYS = (365, 365, 182, 91)
PACKAGE_CHANCE = (0.0, 0.02, 0.08, 0.2)  # a year
FIRST_YEAR_SHARE = 0.5  # of the attention of the last recent years, in the reservoir's first
REQUEST_CHANCE = 0.15  # older requests were raised less often, or never written down
REJECTED_CHANCE = 0.06
REVENUE_OF_NOTE = 3_000.0  # 30 million yuan: a manager knows the firm by name
GROWTH_OF_NOTE = 30.0  # percent
FUNDING_NOTICE_DAYS = 730
STATISTICS_MONTH = 4  # a year's statistics are filed by April of the next year


def attention(firm: Enterprise, on: date) -> int:
    """0-3: how much a firm had shown the office by `on`, read from its stored rows only."""
    held = [row for row in firm.designation_rows if row.awarded_on and row.awarded_on < on]
    if any(row.designation in MILESTONES for row in held) or len(held) >= 3:
        return 3
    filed = [row for row in firm.yearly_figures if date(row.year + 1, STATISTICS_MONTH, 1) <= on]
    latest = filed[-1] if filed else None
    noted = (
        latest is not None
        and (
            float(latest.revenue or 0) >= REVENUE_OF_NOTE
            or float(latest.revenue_growth_pct or 0) >= GROWTH_OF_NOTE
        )
    ) or any(
        0 <= (on - event.closed_on).days <= FUNDING_NOTICE_DAYS for event in firm.funding_events
    )
    if len(held) == 2 or (held and noted):
        return 2
    return 1 if held or noted else 0


class PastWork:
    """Gathers every firm's older visits and requests, then inserts them a table at a time."""

    def __init__(
        self, routes: dict[RequestCategory, CategoryRoute], staff: Staff, phrases: Phrases
    ) -> None:
        self.routes, self.staff, self.phrases = routes, staff, phrases
        self.visits: list[dict[str, Any]] = []
        # (index of the visit that raised it, the request's row, its events' rows)
        self.requests: list[tuple[int, dict[str, Any], list[dict[str, Any]]]] = []

    def gather(self, rng: Random, firm: Enterprise, manager: User, until: date) -> list[date]:
        """The firm's visits from its entry to `until`; returns the days packages were proposed."""
        opened = firm.created_at.date()
        package_days: list[date] = []
        for year in range(opened.year, until.year + 1):
            start, end = max(date(year, 1, 1), opened), min(date(year + 1, 1, 1), until)
            if start >= end:
                continue
            level = attention(firm, start)
            progress = (year - opened.year) / max(1, until.year - opened.year)
            scale = (
                (FIRST_YEAR_SHARE + (1 - FIRST_YEAR_SHARE) * progress) * (end - start).days / 365
            )
            span = (end - start).days
            count = poisson(rng, VISITS_PER_YEAR[level] * scale)
            for day in sorted(day_within(rng, start, span) for _ in range(count)):
                self._visit(rng, firm, manager, day, CADENCE_DAYS[level])
            if rng.random() < PACKAGE_CHANCE[level] * scale:
                package_days.append(day_within(rng, start, span))
        return package_days

    def _visit(self, rng: Random, firm: Enterprise, manager: User, day: date, cadence: int) -> None:
        kind = weighted(rng, VISIT_KIND_WEIGHTS)
        finding = rng.choice(FINDING_AREAS)
        row: dict[str, Any] = {
            "enterprise_id": firm.id,
            "visited_on": day,
            "kind": kind,
            "summary": rng.choice(self.phrases[("summary", "any")]),
            "people_met": firm.contacts[0].name if firm.contacts else None,
            "red_flags_asked": kind == VisitKind.ON_SITE,
            "next_visit_on": day + timedelta(days=cadence),
            **written_by(manager, at_hour(day, 10)),
        }
        for area in FINDING_AREAS:  # the same keys in every row: one INSERT for them all
            row[f"findings_{area}"] = (
                rng.choice(self.phrases[("finding", area)]) if area == finding else None
            )
        self.visits.append(row)
        if rng.random() < REQUEST_CHANCE:
            self.requests.append((len(self.visits) - 1, *self._request(rng, firm, manager, day)))

    def _request(
        self, rng: Random, firm: Enterprise, manager: User, day: date
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """A request raised on an old visit, worked through to closed (or rejected) long ago:
        its row and its events' rows."""
        category = weighted(rng, CATEGORY_WEIGHTS)
        route = self.routes[category]
        officer = self.staff.staff_of.get(route.department_id, manager)
        row: dict[str, Any] = {
            "enterprise_id": firm.id,
            "category": category,
            "description": rng.choice(self.phrases[("request", category.value)]),
            "urgency": weighted(rng, URGENCY_WEIGHTS),
            "department_id": route.department_id,
            "raised_on": day,
            "due_on": day + timedelta(days=route.due_days),
            "answer": None,
            "rejection_reason": None,
            "satisfaction": None,
            "resolved_at": None,
            "closed_at": None,
            **written_by(manager, at_hour(day, 15)),
        }
        return row, self._work_through(rng, row, route.due_days, officer.id, manager.id)

    def _work_through(
        self, rng: Random, row: dict[str, Any], due_days: int, officer_id: int, manager_id: int
    ) -> list[dict[str, Any]]:
        """Fill in the request's end state; return its events, from creation on."""
        steps = request_steps(officer_id, manager_id, due_days)
        if rng.random() < REJECTED_CHANCE:
            steps = [(RequestState.REJECTED, "reject", officer_id, 1, 3)]
            row["rejection_reason"] = rng.choice(self.phrases[("reject", "any")])
        state, now = RequestState.OPEN, row["created_at"]
        events = [_event(None, state, "create", manager_id, now)]
        for next_state, action, actor_id, least, most in steps:
            now = step_after(rng, now, least, most)
            events.append(_event(state, next_state, action, actor_id, now))
            state = next_state
            if state == RequestState.RESOLVED:
                row["answer"] = rng.choice(self.phrases[("answer", "any")])
                row["resolved_at"] = now
            if state == RequestState.CLOSED:
                row["satisfaction"], row["closed_at"] = weighted(rng, SATISFACTION_WEIGHTS), now
        row["state"], row["updated_at"] = state, now
        return events

    def insert(self) -> None:
        """Core inserts that return the new ids in the order given (SQLite and PostgreSQL)."""
        if not self.visits:
            return
        # Core, not the ORM's bulk insert, which handles each row through the mapper: much slower.
        connection = db.session.connection()
        visit_ids = _inserted_ids(connection, Visit, self.visits)
        participants = [
            {"visit_id": visit_id, "user_id": row["created_by_id"]}
            for visit_id, row in zip(visit_ids, self.visits, strict=True)
        ]
        connection.execute(insert(visit_participants), participants)
        if not self.requests:
            return
        rows = [{**row, "visit_id": visit_ids[index]} for index, row, _events in self.requests]
        request_ids = _inserted_ids(connection, EnterpriseRequest, rows)
        events = [
            {**event, "request_id": request_id}
            for request_id, (_index, _row, steps) in zip(request_ids, self.requests, strict=True)
            for event in steps
        ]
        connection.execute(insert(RequestEvent), events)


def _event(
    before: RequestState | None, after: RequestState, action: str, actor_id: int, at: datetime
) -> dict[str, Any]:
    return {
        "from_state": before,
        "to_state": after,
        "action": action,
        "actor_id": actor_id,
        "at": at,
    }


def _inserted_ids(
    connection: Connection, model: type[Visit | EnterpriseRequest], rows: list[dict[str, Any]]
) -> list[int]:
    statement = insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(connection.scalars(statement, rows))

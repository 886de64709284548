"""The reminder rules: each finds, as of a day, every reminder that should exist on that day.

A rule returns `Due` items; the scan (crm.reminders.scan) inserts the ones not yet stored and
closes stored ones the rule no longer finds. So a rule only says what is due *now*: when its
cause is gone (a visit logged, a request resolved, a milestone met) it stops finding it, and the
reminder closes itself.
"""

import enum
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from crm.config import month_day
from crm.pipeline.ranking import latest_runs
from crm.requests.workflow import PENDING_STATES
from models import (
    Enterprise,
    EnterpriseRequest,
    EnterpriseStatus,
    FollowUpAction,
    ItemState,
    PackageItem,
    PackageState,
    PolicyPackage,
    PotentialScore,
    Role,
    Tier,
    User,
    Visit,
    YearlyFigures,
    db,
)


class Rule(enum.StrEnum):
    VISIT_UPCOMING = "visit_upcoming"  # to the manager, the lead days before the visit is due
    VISIT_DUE = "visit_due"  # to the manager, from the due day until a visit is logged
    VISIT_ESCALATED = "visit_escalated"  # to a leader, once the visit is far behind
    FOLLOW_UP_UPCOMING = "follow_up_upcoming"  # to the action's owner, before its due date
    FOLLOW_UP_DUE = "follow_up_due"  # ... and from the due date until it is done
    REQUEST_DUE = "request_due"  # to the department's staff, as the due date nears
    REQUEST_OVERDUE = "request_overdue"  # to the department's head and the firm's manager
    PACKAGE_DISBURSEMENT = "package_disbursement"  # support to reach the firm by a date
    PACKAGE_REVIEW = "package_review"  # whether the support met its goal
    FIGURES_MISSING = "figures_missing"  # last complete year's figures not entered
    WEEKLY_DIGEST = "weekly_digest"  # written by the digest job, not found by the scan


class RecordKind(enum.StrEnum):
    ENTERPRISE = "enterprise"
    FOLLOW_UP = "follow_up"
    REQUEST = "request"
    PACKAGE_ITEM = "package_item"
    DIGEST = "digest"


@dataclass(frozen=True)
class Due:
    rule: Rule
    record_kind: RecordKind
    record_id: int
    due_on: date
    recipient_id: int
    enterprise_id: int | None

    @property
    def key(self) -> tuple[str, str, int, date, int]:
        return (self.rule, self.record_kind, self.record_id, self.due_on, self.recipient_id)


@dataclass(frozen=True)
class ReminderSettings:
    visit_cadence_days: Mapping[str, int]
    visit_lead_days: int
    visit_escalation_days: int
    sharp_rise: float
    sharp_rise_visit_days: int
    follow_up_lead_days: int
    request_lead_days: int
    package_lead_days: int
    figures_due: tuple[int, int]  # month, day

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "ReminderSettings":
        month, day = month_day(config["REMINDER_FIGURES_DUE"])
        return cls(
            visit_cadence_days=dict(config["REMINDER_VISIT_CADENCE_DAYS"]),
            visit_lead_days=config["REMINDER_VISIT_LEAD_DAYS"],
            visit_escalation_days=config["REMINDER_VISIT_ESCALATION_DAYS"],
            sharp_rise=config["REMINDER_SHARP_RISE"],
            sharp_rise_visit_days=config["REMINDER_SHARP_RISE_VISIT_DAYS"],
            follow_up_lead_days=config["REMINDER_FOLLOW_UP_LEAD_DAYS"],
            request_lead_days=config["REMINDER_REQUEST_LEAD_DAYS"],
            package_lead_days=config["REMINDER_PACKAGE_LEAD_DAYS"],
            figures_due=(month, day),
        )


# Visits ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitDue:
    enterprise_id: int
    sub_district_id: int
    manager_id: int | None
    contact_leader_id: int | None
    due_on: date


def sharp_rises(threshold: float) -> dict[int, date]:
    """Firms whose percentile rose by `threshold` or more between the last two scoring runs, with
    the day of the later run. Runs of different models are not compared: their scales differ."""
    latest, previous = latest_runs()
    if latest is None or previous is None or latest.model_version_id != previous.model_version_id:
        return {}
    before = aliased(PotentialScore)
    rows = db.session.execute(
        select(PotentialScore.enterprise_id)
        .join(
            before,
            (before.enterprise_id == PotentialScore.enterprise_id) & (before.run_id == previous.id),
        )
        .where(
            PotentialScore.run_id == latest.id,
            # A rise of exactly the threshold counts, whatever floating point makes of it.
            PotentialScore.percentile - before.percentile >= threshold - 1e-9,
        )
    )
    return {enterprise_id: latest.as_of for (enterprise_id,) in rows}


def visit_due_dates(settings: ReminderSettings) -> list[VisitDue]:
    """When each operating firm's next visit is due.

    The cadence of its tier after its last visit (after it joined the reservoir, if never
    visited); sooner if the last visit planned an earlier one, or if its score rose sharply since.
    """
    # The last visit of each firm, and the next visit it planned (an older visit's plan is stale).
    latest_first = (
        func.row_number()
        .over(
            partition_by=Visit.enterprise_id,
            order_by=(Visit.visited_on.desc(), Visit.id.desc()),
        )
        .label("position")
    )
    numbered = (
        select(
            Visit.enterprise_id,
            Visit.visited_on.label("last_on"),
            Visit.next_visit_on.label("planned_on"),
            latest_first,
        )
        .where(Visit.deleted_at.is_(None))
        .subquery()
    )
    # Two queries joined in Python: an outer join onto the windowed subquery has no index to use
    # on SQLite and grows with firms times visits.
    last_visits = {
        firm_id: (last_on, planned_on)
        for firm_id, last_on, planned_on, _position in db.session.execute(
            select(numbered).where(numbered.c.position == 1)
        )
    }
    firms = db.session.execute(
        select(
            Enterprise.id,
            Enterprise.sub_district_id,
            Enterprise.manager_id,
            Enterprise.contact_leader_id,
            Enterprise.tier,
            Enterprise.created_at,
        ).where(Enterprise.deleted_at.is_(None), Enterprise.status == EnterpriseStatus.ACTIVE)
    )
    rises = sharp_rises(settings.sharp_rise)
    cadence = settings.visit_cadence_days
    found = []
    for firm_id, sub_district_id, manager_id, leader_id, tier, created_at in firms:
        last_on, planned = last_visits.get(firm_id, (None, None))
        since = last_on or created_at.date()
        due_on = since + timedelta(days=cadence.get(Tier(tier).value, cadence["reservoir"]))
        if planned is not None and planned > since:
            due_on = min(due_on, planned)
        risen_on = rises.get(firm_id)
        if risen_on is not None and risen_on > since:
            due_on = min(due_on, risen_on + timedelta(days=settings.sharp_rise_visit_days))
        found.append(VisitDue(firm_id, sub_district_id, manager_id, leader_id, due_on))
    return found


def _active_users(role: Role) -> list[User]:
    return list(db.session.scalars(select(User).where(User.role == role, User.is_active_account)))


def visit_reminders(today: date, settings: ReminderSettings) -> Iterator[Due]:
    leaders = [leader.id for leader in _active_users(Role.LEADER)]
    active_leaders = set(leaders)
    lead = timedelta(days=settings.visit_lead_days)
    escalate_after = timedelta(days=settings.visit_escalation_days)
    for firm in visit_due_dates(settings):

        def due(rule: Rule, recipient_id: int, firm: VisitDue = firm) -> Due:
            return Due(
                rule,
                RecordKind.ENTERPRISE,
                firm.enterprise_id,
                firm.due_on,
                recipient_id,
                firm.enterprise_id,
            )

        if firm.manager_id is not None:
            if firm.due_on - lead <= today < firm.due_on:
                yield due(Rule.VISIT_UPCOMING, firm.manager_id)
            elif today >= firm.due_on:
                yield due(Rule.VISIT_DUE, firm.manager_id)
        if today >= firm.due_on + escalate_after:
            # The leader who keeps in touch with the firm, or, for a firm without one, every
            # leader: a firm a month behind its visit must reach somebody who can act.
            contact = firm.contact_leader_id
            for leader_id in [contact] if contact in active_leaders else leaders:
                yield due(Rule.VISIT_ESCALATED, leader_id)


# Follow-up actions ----------------------------------------------------------------------------


def follow_up_reminders(today: date, settings: ReminderSettings) -> Iterator[Due]:
    rows = db.session.execute(
        select(
            FollowUpAction.id, FollowUpAction.owner_id, FollowUpAction.due_on, Visit.enterprise_id
        )
        .join(Visit, Visit.id == FollowUpAction.visit_id)
        .join(Enterprise, Enterprise.id == Visit.enterprise_id)
        .where(
            FollowUpAction.done_at.is_(None),
            Visit.deleted_at.is_(None),
            Enterprise.deleted_at.is_(None),
            FollowUpAction.due_on <= today + timedelta(days=settings.follow_up_lead_days),
        )
    )
    for action_id, owner_id, due_on, enterprise_id in rows:
        rule = Rule.FOLLOW_UP_DUE if today >= due_on else Rule.FOLLOW_UP_UPCOMING
        yield Due(rule, RecordKind.FOLLOW_UP, action_id, due_on, owner_id, enterprise_id)


# Requests -------------------------------------------------------------------------------------


def _department_staff() -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """Active staff by department, and the heads among them by department."""
    staff: dict[int, list[int]] = defaultdict(list)
    heads: dict[int, list[int]] = defaultdict(list)
    for user in _active_users(Role.DEPARTMENT):
        if user.department_id is None:
            continue
        staff[user.department_id].append(user.id)
        if user.is_department_head:
            heads[user.department_id].append(user.id)
    return staff, heads


def request_reminders(today: date, settings: ReminderSettings) -> Iterator[Due]:
    staff, heads = _department_staff()
    rows = db.session.execute(
        select(
            EnterpriseRequest.id,
            EnterpriseRequest.department_id,
            EnterpriseRequest.due_on,
            EnterpriseRequest.enterprise_id,
            Enterprise.manager_id,
        )
        .join(Enterprise, Enterprise.id == EnterpriseRequest.enterprise_id)
        .where(
            EnterpriseRequest.deleted_at.is_(None),
            Enterprise.deleted_at.is_(None),
            EnterpriseRequest.state.in_(PENDING_STATES),
            EnterpriseRequest.due_on <= today + timedelta(days=settings.request_lead_days),
        )
    )
    for request_id, department_id, due_on, enterprise_id, manager_id in rows:

        def due(
            rule: Rule,
            recipient_id: int,
            request_id: int = request_id,
            due_on: date = due_on,
            enterprise_id: int = enterprise_id,
        ) -> Due:
            return Due(rule, RecordKind.REQUEST, request_id, due_on, recipient_id, enterprise_id)

        for user_id in staff.get(department_id, []):
            yield due(Rule.REQUEST_DUE, user_id)
        if today > due_on:
            # A department without a named head escalates to all its staff: never to nobody.
            escalated = heads.get(department_id) or staff.get(department_id, [])
            for user_id in sorted({*escalated, *([manager_id] if manager_id else [])}):
                yield due(Rule.REQUEST_OVERDUE, user_id)


# Packages -------------------------------------------------------------------------------------

UNDISBURSED = (ItemState.PLANNED, ItemState.GRANTED)


def package_reminders(today: date, settings: ReminderSettings) -> Iterator[Due]:
    """Milestones of approved packages, to the firm's manager (the proposer, if it has none)."""
    horizon = today + timedelta(days=settings.package_lead_days)
    rows = db.session.execute(
        select(
            PackageItem.id,
            PackageItem.state,
            PackageItem.disburse_by,
            PackageItem.review_on,
            PolicyPackage.enterprise_id,
            func.coalesce(Enterprise.manager_id, PolicyPackage.proposed_by_id),
        )
        .join(PolicyPackage, PolicyPackage.id == PackageItem.package_id)
        .join(Enterprise, Enterprise.id == PolicyPackage.enterprise_id)
        .where(
            PolicyPackage.deleted_at.is_(None),
            Enterprise.deleted_at.is_(None),
            PolicyPackage.state == PackageState.APPROVED,
            PackageItem.state != ItemState.REVIEWED,
        )
    )
    for item_id, state, disburse_by, review_on, enterprise_id, recipient_id in rows:
        if state in UNDISBURSED and disburse_by is not None and disburse_by <= horizon:
            yield Due(
                Rule.PACKAGE_DISBURSEMENT,
                RecordKind.PACKAGE_ITEM,
                item_id,
                disburse_by,
                recipient_id,
                enterprise_id,
            )
        if review_on is not None and review_on <= horizon:
            yield Due(
                Rule.PACKAGE_REVIEW,
                RecordKind.PACKAGE_ITEM,
                item_id,
                review_on,
                recipient_id,
                enterprise_id,
            )


# Data freshness -------------------------------------------------------------------------------


def figures_reminders(today: date, settings: ReminderSettings) -> Iterator[Due]:
    """Firms without the figures last due: before this year's due day, those of two years ago."""
    month, day = settings.figures_due
    due_on = date(today.year, month, day)
    if today < due_on:  # January to April: the year before last is the one owed
        due_on = date(today.year - 1, month, day)
    year = due_on.year - 1
    has_figures = select(YearlyFigures.enterprise_id).where(YearlyFigures.year == year)
    rows = db.session.execute(
        select(Enterprise.id, Enterprise.manager_id).where(
            Enterprise.deleted_at.is_(None),
            Enterprise.status == EnterpriseStatus.ACTIVE,
            Enterprise.manager_id.is_not(None),
            (Enterprise.founded_on.is_(None)) | (Enterprise.founded_on <= date(year, 12, 31)),
            Enterprise.id.not_in(has_figures),
        )
    )
    for firm_id, manager_id in rows:
        if manager_id is None:  # the query excludes them; this tells the type checker
            continue
        yield Due(Rule.FIGURES_MISSING, RecordKind.ENTERPRISE, firm_id, due_on, manager_id, firm_id)


Finder = Callable[[date, ReminderSettings], Iterable[Due]]

# Each finder with the rules it owns: the scan closes open reminders of exactly these rules.
FINDERS: tuple[tuple[Finder, frozenset[Rule]], ...] = (
    (visit_reminders, frozenset({Rule.VISIT_UPCOMING, Rule.VISIT_DUE, Rule.VISIT_ESCALATED})),
    (follow_up_reminders, frozenset({Rule.FOLLOW_UP_UPCOMING, Rule.FOLLOW_UP_DUE})),
    (request_reminders, frozenset({Rule.REQUEST_DUE, Rule.REQUEST_OVERDUE})),
    (package_reminders, frozenset({Rule.PACKAGE_DISBURSEMENT, Rule.PACKAGE_REVIEW})),
    (figures_reminders, frozenset({Rule.FIGURES_MISSING})),
)

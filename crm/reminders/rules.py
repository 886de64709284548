"""The reminder rules: each finds, as of a day, every reminder that should exist on that day.

A rule is a query of `Due` rows (rule, record kind, record id, due date, recipient, firm) over
the whole district at once; the scan (crm.reminders.scan) inserts the ones not yet stored and
closes stored ones the rule no longer finds. So a rule only says what is due *now*: when its
cause is gone (a visit logged, a request resolved, a milestone met) it stops finding it, and the
reminder closes itself.
"""

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    Select,
    and_,
    case,
    exists,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased

from crm.reminders.credit_due import credit_reminders
from crm.reminders.discovery_due import discovery_reminders
from crm.reminders.due import Due as Due
from crm.reminders.due import DueQuery as DueQuery
from crm.reminders.due import RecordKind as RecordKind
from crm.reminders.due import Rule as Rule
from crm.reminders.due import active_user, due_rows
from crm.reminders.listings_due import listing_reminders
from crm.reminders.settings import ReminderSettings as ReminderSettings
from crm.reminders.visit_due import VisitDue as VisitDue
from crm.reminders.visit_due import visit_due_dates as visit_due_dates
from crm.reminders.visit_due import visit_due_query
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
    Role,
    User,
    Visit,
    YearlyFigures,
    db,
)

# Visits ---------------------------------------------------------------------------------------


def week_of(today: date) -> date:
    """The Monday of `today`'s ISO week: the due day of that week's rolled-up escalations."""
    return today - timedelta(days=today.weekday())


def escalated_visits(firm: Any, today: date, settings: ReminderSettings) -> Select[Any]:
    """enterprise_id, sub_district_id, due_on and leader_id of each firm far behind its visit,
    once per leader it reaches: `firm` is a visit_due_query CTE or subquery.

    The leader who keeps in touch with the firm, or, for a firm without one, every leader: a
    firm a month behind its visit must reach somebody who can act.
    """
    contact = aliased(User)
    has_contact = exists().where(
        contact.id == firm.c.contact_leader_id, active_user(Role.LEADER, contact)
    )
    return (
        select(
            firm.c.enterprise_id,
            firm.c.sub_district_id,
            firm.c.due_on,
            User.id.label("leader_id"),
        )
        .join(
            User,
            and_(active_user(Role.LEADER), or_(User.id == firm.c.contact_leader_id, ~has_contact)),
        )
        .where(firm.c.due_on <= today - timedelta(days=settings.visit_escalation_days))
    )


def visit_reminders(today: date, settings: ReminderSettings) -> DueQuery:
    firm = visit_due_query(settings).cte("visit_due")
    manager_rule = case(
        (firm.c.due_on <= today, Rule.VISIT_DUE.value), else_=Rule.VISIT_UPCOMING.value
    )
    to_manager = due_rows(
        manager_rule,
        RecordKind.ENTERPRISE,
        firm.c.enterprise_id,
        firm.c.due_on,
        firm.c.manager_id,
        firm.c.enterprise_id,
    ).where(
        firm.c.manager_id.is_not(None),
        firm.c.due_on <= today + timedelta(days=settings.visit_lead_days),
    )
    # Rolled up: one reminder per leader, sub-district and week, whose firms are read when it is
    # opened (crm.reminders.escalations). One per firm gave a leader 620 reminders on the demo.
    # It closes itself when no firm of its sub-district is left late, and next week's replaces it.
    late = escalated_visits(firm, today, settings).subquery("late")
    escalated = due_rows(
        Rule.VISIT_ESCALATED,
        RecordKind.SUB_DISTRICT,
        late.c.sub_district_id,
        literal(week_of(today), Date),
        late.c.leader_id,
        literal(None, Integer),
        func.count(),
    ).group_by(late.c.sub_district_id, late.c.leader_id)
    return union_all(to_manager, escalated)


# Follow-up actions ----------------------------------------------------------------------------


def follow_up_reminders(today: date, settings: ReminderSettings) -> DueQuery:
    rule = case(
        (FollowUpAction.due_on <= today, Rule.FOLLOW_UP_DUE.value),
        else_=Rule.FOLLOW_UP_UPCOMING.value,
    )
    return (
        due_rows(
            rule,
            RecordKind.FOLLOW_UP,
            FollowUpAction.id,
            FollowUpAction.due_on,
            FollowUpAction.owner_id,
            Visit.enterprise_id,
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


# Requests -------------------------------------------------------------------------------------


def request_reminders(today: date, settings: ReminderSettings) -> DueQuery:
    """To the department's active staff as the due date nears; once late, to its heads (all its
    staff if it has no head: never to nobody) and to the firm's manager."""
    pending = (
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
        .cte("pending")
    )
    staff = and_(active_user(Role.DEPARTMENT), User.department_id == pending.c.department_id)
    head = aliased(User)
    has_head = exists().where(
        active_user(Role.DEPARTMENT, head),
        head.department_id == pending.c.department_id,
        head.is_department_head,
    )

    def to(rule: Rule, recipient_id: Any) -> Select[Any]:
        return due_rows(
            rule,
            RecordKind.REQUEST,
            pending.c.id,
            pending.c.due_on,
            recipient_id,
            pending.c.enterprise_id,
        )

    late = pending.c.due_on < today
    return union_all(
        to(Rule.REQUEST_DUE, User.id).join(User, staff),
        to(Rule.REQUEST_OVERDUE, User.id)
        .join(User, and_(staff, or_(User.is_department_head, ~has_head)))
        .where(late),
        to(Rule.REQUEST_OVERDUE, pending.c.manager_id).where(
            late, pending.c.manager_id.is_not(None)
        ),
    )


# Packages -------------------------------------------------------------------------------------

UNDISBURSED = (ItemState.PLANNED, ItemState.GRANTED)


def package_reminders(today: date, settings: ReminderSettings) -> DueQuery:
    """Milestones of approved packages, to the firm's manager (the proposer, if it has none)."""
    horizon = today + timedelta(days=settings.package_lead_days)

    def milestone(rule: Rule, day: Any) -> Select[Any]:
        return (
            due_rows(
                rule,
                RecordKind.PACKAGE_ITEM,
                PackageItem.id,
                day,
                func.coalesce(Enterprise.manager_id, PolicyPackage.proposed_by_id),
                PolicyPackage.enterprise_id,
            )
            .join(PolicyPackage, PolicyPackage.id == PackageItem.package_id)
            .join(Enterprise, Enterprise.id == PolicyPackage.enterprise_id)
            .where(
                PolicyPackage.deleted_at.is_(None),
                Enterprise.deleted_at.is_(None),
                PolicyPackage.state == PackageState.APPROVED,
                PackageItem.state != ItemState.REVIEWED,
                day.is_not(None),
                day <= horizon,
            )
        )

    return union_all(
        milestone(Rule.PACKAGE_DISBURSEMENT, PackageItem.disburse_by).where(
            PackageItem.state.in_(UNDISBURSED)
        ),
        milestone(Rule.PACKAGE_REVIEW, PackageItem.review_on),
    )


# Data freshness -------------------------------------------------------------------------------


def figures_reminders(today: date, settings: ReminderSettings) -> DueQuery:
    """Firms without the figures last due: before this year's due day, those of two years ago."""
    month, day = settings.figures_due
    due_on = date(today.year, month, day)
    if today < due_on:  # January to April: the year before last is the one owed
        due_on = date(today.year - 1, month, day)
    year = due_on.year - 1
    has_figures = select(YearlyFigures.enterprise_id).where(YearlyFigures.year == year)
    return due_rows(
        Rule.FIGURES_MISSING,
        RecordKind.ENTERPRISE,
        Enterprise.id,
        literal(due_on),
        Enterprise.manager_id,
        Enterprise.id,
    ).where(
        Enterprise.deleted_at.is_(None),
        Enterprise.status == EnterpriseStatus.ACTIVE,
        Enterprise.manager_id.is_not(None),
        (Enterprise.founded_on.is_(None)) | (Enterprise.founded_on <= date(year, 12, 31)),
        Enterprise.id.not_in(has_figures),
    )


Finder = Callable[[date, ReminderSettings], DueQuery]

# Each finder with the rules it owns: the scan closes open reminders of exactly these rules.
FINDERS: tuple[tuple[Finder, frozenset[Rule]], ...] = (
    (visit_reminders, frozenset({Rule.VISIT_UPCOMING, Rule.VISIT_DUE, Rule.VISIT_ESCALATED})),
    (follow_up_reminders, frozenset({Rule.FOLLOW_UP_UPCOMING, Rule.FOLLOW_UP_DUE})),
    (request_reminders, frozenset({Rule.REQUEST_DUE, Rule.REQUEST_OVERDUE})),
    (package_reminders, frozenset({Rule.PACKAGE_DISBURSEMENT, Rule.PACKAGE_REVIEW})),
    (figures_reminders, frozenset({Rule.FIGURES_MISSING})),
    (listing_reminders, frozenset({Rule.LISTING_STALLED, Rule.LISTING_BLOCKER_OVERDUE})),
    (discovery_reminders, frozenset({Rule.DISCOVERY_SCREENING_DUE, Rule.DISCOVERY_WATCH_DUE})),
    (credit_reminders, frozenset({Rule.CREDIT_RENEWAL_DUE, Rule.CREDIT_DECISION_PENDING})),
)


def to_active_users(found: DueQuery) -> Select[Any]:
    """A finder's rows for recipients whose account is active: nobody else reads an inbox."""
    rows = found.subquery("found")
    return select(rows).where(
        rows.c.recipient_id.in_(select(User.id).where(User.is_active_account))
    )


def due_reminders(today: date, settings: ReminderSettings) -> Iterator[Due]:
    """Every reminder the rules find on `today`, read row by row (the scan never loads them)."""
    for finder, _rules in FINDERS:
        rows = db.session.execute(to_active_users(finder(today, settings)))
        for rule, kind, record_id, due_on, recipient_id, firm, _item_count in rows:
            yield Due(Rule(rule), RecordKind(kind), record_id, due_on, recipient_id, firm)

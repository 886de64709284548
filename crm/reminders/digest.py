"""The leaders' weekly digest: work slipping by sub-district and department, movers, targets."""

import logging
import smtplib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import aliased

from crm.mail import build_message, send_message
from crm.pipeline.ranking import latest_runs
from crm.reminders.mailing import claim, mail_context
from crm.reminders.rules import RecordKind, ReminderSettings, Rule, visit_due_dates
from crm.reminders.scan import insert_ignoring_duplicates
from crm.requests.workflow import PENDING_STATES
from models import (
    Department,
    Designation,
    Enterprise,
    EnterpriseDesignation,
    EnterpriseRequest,
    EnterpriseStatus,
    PotentialScore,
    Reminder,
    ReminderState,
    Role,
    SubDistrict,
    Tier,
    User,
    db,
)

log = logging.getLogger(__name__)
MOVERS = 10
TIERS_UPWARD = (Tier.RESERVOIR, Tier.TECH_BASED, Tier.NEW_TRACK, Tier.CANDIDATE, Tier.ACHIEVED)


@dataclass(frozen=True)
class Target:
    """An end-2026 target of the action plan the CRM's data can count."""

    title: Any  # lazy translated
    goal: int
    tier: Tier | None = None  # firms at this tier or above
    designations: tuple[Designation, ...] = ()  # firms holding any of these


PLAN_TARGETS = (
    Target(
        _l("Unicorn and hidden-champion firms"),
        5,
        designations=(Designation.UNICORN, Designation.HIDDEN_CHAMPION),
    ),
    Target(_l("High-quality new-track tech firms"), 100, tier=Tier.NEW_TRACK),
    Target(_l("Tech-based firms"), 1000, tier=Tier.TECH_BASED),
    Target(_l("Listed companies"), 40, designations=(Designation.LISTED,)),
)


@dataclass(frozen=True)
class Mover:
    enterprise_id: int
    name: str
    before: float  # percentile, 0-1
    after: float

    @property
    def change(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class Digest:
    today: date
    overdue_visits: list[tuple[SubDistrict, int]]
    overdue_requests: list[tuple[Department, int]]
    movers: list[Mover]
    targets: list[tuple[Target, int]]


def _operating() -> list[Any]:
    return [Enterprise.deleted_at.is_(None), Enterprise.status == EnterpriseStatus.ACTIVE]


def target_value(target: Target) -> int:
    query = select(func.count(Enterprise.id)).where(*_operating())
    if target.tier is not None:
        upward = TIERS_UPWARD[TIERS_UPWARD.index(target.tier) :]
        query = query.where(Enterprise.tier.in_(upward))
    if target.designations:
        holders = select(EnterpriseDesignation.enterprise_id).where(
            EnterpriseDesignation.designation.in_(target.designations)
        )
        query = query.where(Enterprise.id.in_(holders))
    return db.session.scalar(query) or 0


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


def build_digest(today: date, settings: ReminderSettings) -> Digest:
    late_visits = Counter(
        firm.sub_district_id for firm in visit_due_dates(settings) if firm.due_on < today
    )
    sub_districts = db.session.scalars(select(SubDistrict).order_by(SubDistrict.position))
    late_requests = dict(
        db.session.execute(
            select(EnterpriseRequest.department_id, func.count())
            .where(
                EnterpriseRequest.deleted_at.is_(None),
                EnterpriseRequest.enterprise.has(Enterprise.deleted_at.is_(None)),
                EnterpriseRequest.state.in_(PENDING_STATES),
                EnterpriseRequest.due_on < today,
            )
            .group_by(EnterpriseRequest.department_id)
        ).all()
    )
    departments = db.session.scalars(select(Department).order_by(Department.position))
    return Digest(
        today=today,
        overdue_visits=[(sub, late_visits.get(sub.id, 0)) for sub in sub_districts],
        overdue_requests=[(dept, late_requests.get(dept.id, 0)) for dept in departments],
        movers=score_movers(),
        targets=[(target, target_value(target)) for target in PLAN_TARGETS],
    )


def send_weekly_digest(today: date, now: datetime, settings: ReminderSettings) -> int:
    """Put this week's digest in every leader's inbox and mail it; returns the mails sent.

    Idempotent like the scan: a second run on the same day finds the reminders already there
    and already mailed. Last week's digest leaves the inbox when this one arrives.
    """
    leaders = db.session.scalars(
        select(User).where(User.role == Role.LEADER, User.is_active_account)
    ).all()
    if not leaders:
        return 0
    db.session.execute(
        update(Reminder)
        .where(
            Reminder.rule == Rule.WEEKLY_DIGEST.value,
            Reminder.state == ReminderState.OPEN,
            Reminder.due_on < today,
        )
        .values(state=ReminderState.CLOSED, closed_at=now)
    )
    insert_ignoring_duplicates(
        [
            {
                "rule": Rule.WEEKLY_DIGEST.value,
                "record_kind": RecordKind.DIGEST.value,
                "record_id": 0,
                "due_on": today,
                "recipient_id": leader.id,
                "enterprise_id": None,
                "state": ReminderState.OPEN,
                "created_at": now,
            }
            for leader in leaders
        ]
    )
    db.session.commit()
    digest = build_digest(today, settings)
    unmailed = db.session.scalars(
        select(Reminder).where(
            Reminder.rule == Rule.WEEKLY_DIGEST.value,
            Reminder.due_on == today,
            Reminder.mailed_at.is_(None),
        )
    ).all()
    sent = 0
    for reminder in unmailed:
        if not claim([reminder.id], now):
            continue  # the job ran twice at once: the other run mails this one
        leader = reminder.recipient
        if not leader.email:
            continue
        with mail_context(leader):
            subject = _("Cultivate weekly digest, %(day)s", day=today.isoformat())
            body = render_template(
                "reminders/digest_mail.txt",
                user=leader,
                digest=digest,
                host=request.host_url.rstrip("/"),
            )
        config = current_app.config
        try:
            send_message(config, build_message(config, leader.email, subject, body))
        except (smtplib.SMTPException, OSError):  # the hourly scan mails it as a reminder
            log.exception("digest mail to leader %s failed", leader.id)
            reminder.mailed_at = None
            db.session.commit()
            continue
        sent += 1
    return sent

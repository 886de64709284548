"""The leaders' weekly digest: work slipping by sub-district and department, movers, targets."""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from crm.dashboard.filters import DashboardFilter
from crm.dashboard.sections.targets import target_progress
from crm.pipeline.ranking import Mover, score_movers
from crm.reminders.mailing import claim, mail_body, mail_context, mail_to
from crm.reminders.rules import RecordKind, ReminderSettings, Rule
from crm.reminders.scan import insert_ignoring_duplicates
from crm.reminders.visit_due import overdue_visits_by_sub_district
from crm.requests.workflow import PENDING_STATES
from crm.targets.progress import TargetProgress
from models import (
    Department,
    Enterprise,
    EnterpriseRequest,
    Reminder,
    ReminderState,
    Role,
    SubDistrict,
    User,
    db,
)


@dataclass(frozen=True)
class Digest:
    today: date
    overdue_visits: list[tuple[SubDistrict, int]]
    overdue_requests: list[tuple[Department, int]]
    movers: list[Mover]
    targets: list[TargetProgress]


def build_digest(today: date, settings: ReminderSettings) -> Digest:
    late_visits = overdue_visits_by_sub_district(today, settings)
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
        targets=target_progress(DashboardFilter(today=today)),
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
            subject = _("Cultivate weekly digest, %(day)s", day=format_date(today, "medium"))
            body = mail_body("reminders/digest_mail.txt", leader, digest=digest)
        if not mail_to(leader, subject, body, "digest mail to leader %s failed"):
            reminder.mailed_at = None  # the hourly scan mails it as a reminder
            db.session.commit()
            continue
        sent += 1
    return sent

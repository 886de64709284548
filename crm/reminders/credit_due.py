"""White-list reminders: a listed firm's renewal nearing (to its manager), and a submitted batch
the bank has left undecided too long (to whoever opened it)."""

from datetime import date, timedelta

from sqlalchemy import Integer, func, literal, union_all

from crm.reminders.due import DueQuery, RecordKind, Rule, due_rows
from crm.reminders.settings import ReminderSettings
from models import (
    BatchState,
    Enterprise,
    Nomination,
    NominationBatch,
    NominationDecision,
)


def credit_reminders(today: date, settings: ReminderSettings) -> DueQuery:
    """A renewal closes itself once recorded (renewal_on moves past the horizon) or when the
    nomination is withdrawn; a batch's once the bank's last decision is recorded."""
    horizon = today + timedelta(days=settings.credit_renewal_lead_days)
    renewals = (
        due_rows(
            Rule.CREDIT_RENEWAL_DUE,
            RecordKind.NOMINATION,
            Nomination.id,
            Nomination.renewal_on,
            func.coalesce(Enterprise.manager_id, Nomination.nominated_by_id),
            Nomination.enterprise_id,
        )
        .join(NominationBatch, NominationBatch.id == Nomination.batch_id)
        .join(Enterprise, Enterprise.id == Nomination.enterprise_id)
        .where(
            Nomination.decision == NominationDecision.LISTED,
            Nomination.deleted_at.is_(None),
            NominationBatch.deleted_at.is_(None),
            Enterprise.deleted_at.is_(None),
            Nomination.renewal_on.is_not(None),
            Nomination.renewal_on <= horizon,
        )
    )
    waited = timedelta(days=settings.credit_decision_pending_days)
    pending = (
        due_rows(
            Rule.CREDIT_DECISION_PENDING,
            RecordKind.NOMINATION_BATCH,
            NominationBatch.id,
            NominationBatch.submitted_on,  # due since it was sent: the bank's clock
            NominationBatch.created_by_id,
            literal(None, Integer),
            func.count(Nomination.id),
        )
        .join(Nomination, Nomination.batch_id == NominationBatch.id)
        .where(
            NominationBatch.state == BatchState.SUBMITTED,
            NominationBatch.deleted_at.is_(None),
            NominationBatch.submitted_on <= today - waited,
            Nomination.deleted_at.is_(None),
            Nomination.decision == NominationDecision.PENDING,
        )
        .group_by(NominationBatch.id, NominationBatch.submitted_on, NominationBatch.created_by_id)
    )
    return union_all(renewals, pending)

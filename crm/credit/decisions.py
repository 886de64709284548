"""After submission: the bank's decision per firm, its renewals of a listed firm, and the loans
drawn against the quota (never more than granted)."""

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm.attributes import flag_modified

from crm.audit import diff, record_change, record_created, snapshot
from crm.credit.banks import MAX_RATE, MAX_TERM_MONTHS
from crm.credit.scoping import can_act_on_firm, can_manage
from crm.credit.services import get_nomination
from crm.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    StaleEditError,
)
from models import (
    BatchState,
    CreditDrawdown,
    Nomination,
    NominationBatch,
    NominationDecision,
    User,
    db,
)

DECISION_FIELDS = (
    "decision",
    "quota_granted",
    "rate",
    "term_months",
    "refusal_reason",
    "decided_on",
    "renewal_on",
)
CENT = Decimal("0.01")
ZERO = Decimal(0)


@dataclass
class DecisionInput:
    decision: str
    decided_on: date | None
    quota_granted: Decimal | None = None
    rate: Decimal | None = None
    term_months: int | None = None
    refusal_reason: str | None = None
    renewal_on: date | None = None  # None: decided_on plus the term


@dataclass
class DrawdownInput:
    drawn_on: date | None
    amount: Decimal | None
    repaid_on: date | None = None
    note: str | None = None


def default_renewal_on(decided_on: date, term_months: int) -> date:
    """The day the term ends: the same day `term_months` later (or that month's last day)."""
    months = decided_on.month - 1 + term_months
    year, month = decided_on.year + months // 12, months % 12 + 1
    return date(year, month, min(decided_on.day, monthrange(year, month)[1]))


def record_decision(
    actor: User, nomination: Nomination, data: DecisionInput, seen_version: int, now: datetime
) -> Nomination:
    if not can_manage(actor):
        raise ForbiddenError(_("Only leaders and administrators record the bank's decisions."))
    if seen_version != nomination.version_id:
        raise StaleEditError(_("Someone else changed this nomination after you opened it. Reload."))
    batch = nomination.batch
    if batch.state == BatchState.DRAFT:
        raise ConflictError(_("Submit the batch to the bank before recording its decisions."))
    if nomination.drawdowns:
        raise ConflictError(_("Loans were drawn on this quota: the decision stands."))
    errors, decision = _decision_errors(nomination, data, now.date())
    if errors or decision is None or data.decided_on is None:
        raise InvalidInputError(errors)
    before = snapshot(nomination, DECISION_FIELDS)
    listed = decision == NominationDecision.LISTED
    nomination.decision, nomination.decided_on = decision, data.decided_on
    nomination.quota_granted = (
        data.quota_granted.quantize(CENT) if listed and data.quota_granted else None
    )
    nomination.rate = data.rate.quantize(CENT) if listed and data.rate else None
    nomination.term_months = data.term_months if listed else None
    nomination.refusal_reason = None if listed else (data.refusal_reason or "").strip()
    nomination.renewal_on = (
        (data.renewal_on or default_renewal_on(data.decided_on, data.term_months or 0))
        if listed
        else None
    )
    nomination.updated_at = now
    db.session.flush()
    record_change(
        actor,
        "decide",
        "nomination",
        nomination.id,
        diff(before, snapshot(nomination, DECISION_FIELDS)),
    )
    _close_batch_when_decided(actor, batch, data.decided_on, now)
    return nomination


def renew(
    actor: User, nomination: Nomination, renewal_on: date | None, seen_version: int, now: datetime
) -> Nomination:
    """The bank renewed the firm's listing: the next renewal falls on `renewal_on`."""
    if not can_act_on_firm(actor, nomination):
        raise ForbiddenError(_("Your role cannot record renewals for this firm."))
    if seen_version != nomination.version_id:
        raise StaleEditError(_("Someone else changed this nomination after you opened it. Reload."))
    if nomination.decision != NominationDecision.LISTED or nomination.renewal_on is None:
        raise ConflictError(_("Only a listed firm's quota is renewed."))
    if renewal_on is None or renewal_on <= nomination.renewal_on:
        raise InvalidInputError(
            {"renewal_on": [_("The next renewal comes after the current one.")]}
        )
    before = nomination.renewal_on
    nomination.renewal_on = renewal_on
    nomination.renewed_count += 1
    nomination.updated_at = now
    db.session.flush()
    record_change(
        actor,
        "renew",
        "nomination",
        nomination.id,
        {"renewal_on": [before.isoformat(), renewal_on.isoformat()]},
    )
    return nomination


def drawn_total(nomination_id: int) -> Decimal:
    query = select(func.coalesce(func.sum(CreditDrawdown.amount), 0)).where(
        CreditDrawdown.nomination_id == nomination_id
    )
    return Decimal(db.session.scalar(query) or 0)


def record_drawdown(
    actor: User, nomination: Nomination, data: DrawdownInput, now: datetime
) -> CreditDrawdown:
    """A loan drawn against a listed quota; all drawn never exceeds the quota granted."""
    if not can_act_on_firm(actor, nomination):
        raise ForbiddenError(_("Your role cannot record loans for this firm."))
    if nomination.decision != NominationDecision.LISTED or nomination.quota_granted is None:
        raise ConflictError(_("Loans are drawn only against a granted quota."))
    errors: dict[str, list[str]] = {}
    if data.drawn_on is None:
        errors["drawn_on"] = [_("Enter a date.")]
    elif data.drawn_on > now.date():
        errors["drawn_on"] = [_("A loan cannot be drawn in the future.")]
    elif nomination.decided_on is not None and data.drawn_on < nomination.decided_on:
        errors["drawn_on"] = [_("The loan cannot come before the bank listed the firm.")]
    if data.repaid_on is not None and data.drawn_on is not None and data.repaid_on < data.drawn_on:
        errors["repaid_on"] = [_("A loan is repaid after it is drawn.")]
    amount = data.amount
    if amount is None or not amount.is_finite() or amount <= 0:
        errors["amount"] = [_("An amount above zero, in 10,000 yuan.")]
    else:
        left = nomination.quota_granted - drawn_total(nomination.id)
        if amount > left:
            errors["amount"] = [
                _(
                    "Only %(left)s (10,000 yuan) of the quota is left.",
                    left=f"{max(left, ZERO):,.2f}",
                )
            ]
    if errors or amount is None or data.drawn_on is None:
        raise InvalidInputError(errors)
    # What is left was read without a lock: a new version of the nomination in the same flush
    # makes a simultaneous loan, which read the same total, fail its version check (StaleDataError,
    # a 409) instead of both being recorded past the quota.
    _new_version(nomination, now)
    drawdown = CreditDrawdown(
        nomination=nomination,
        drawn_on=data.drawn_on,
        amount=amount.quantize(CENT),
        repaid_on=data.repaid_on,
        note=(data.note or "").strip() or None,
        recorded_by=actor,
        recorded_at=now,
    )
    db.session.add(drawdown)
    db.session.flush()
    fields = ("nomination_id", "drawn_on", "amount", "repaid_on", "note")
    record_created(actor, "credit_drawdown", drawdown.id, snapshot(drawdown, fields))
    return drawdown


def get_drawdown(actor: User, drawdown_id: int) -> CreditDrawdown:
    """The loan, or NotFoundError when missing or its nomination is withdrawn or out of scope."""
    drawdown = db.session.get(CreditDrawdown, drawdown_id)
    if drawdown is None:
        raise NotFoundError(_("Not found."))
    get_nomination(actor, drawdown.nomination_id)
    return drawdown


def record_repayment(
    actor: User,
    drawdown: CreditDrawdown,
    repaid_on: date | None,
    seen_version: int,
    now: datetime,
) -> CreditDrawdown:
    """The day a loan was repaid, set (or corrected) after it was recorded: until then the firm
    owes it and the nomination cannot be withdrawn. A loan has no version of its own; its
    nomination's is checked and moves on, as for a new loan."""
    nomination = drawdown.nomination
    if not can_act_on_firm(actor, nomination):
        raise ForbiddenError(_("Your role cannot record loans for this firm."))
    if seen_version != nomination.version_id:
        raise StaleEditError(_("Someone else changed this nomination after you opened it. Reload."))
    if repaid_on is None:
        raise InvalidInputError({"repaid_on": [_("Enter a date.")]})
    if repaid_on > now.date():
        raise InvalidInputError({"repaid_on": [_("A loan cannot be repaid in the future.")]})
    if repaid_on < drawdown.drawn_on:
        raise InvalidInputError({"repaid_on": [_("A loan is repaid after it is drawn.")]})
    before = drawdown.repaid_on
    drawdown.repaid_on = repaid_on
    _new_version(nomination, now)
    db.session.flush()
    record_change(
        actor,
        "update",
        "credit_drawdown",
        drawdown.id,
        {"repaid_on": [before.isoformat() if before else None, repaid_on.isoformat()]},
    )
    return drawdown


def _new_version(nomination: Nomination, now: datetime) -> None:
    """The nomination's next version at the coming flush, even when `now` is the time it was last
    changed at: an unchanged value would write no UPDATE, and so check no version."""
    nomination.updated_at = now
    flag_modified(nomination, "updated_at")


def _decision_errors(
    nomination: Nomination, data: DecisionInput, today: date
) -> tuple[dict[str, list[str]], NominationDecision | None]:
    errors: dict[str, list[str]] = {}
    decision = {d.value: d for d in NominationDecision}.get(data.decision)
    if decision is None or decision == NominationDecision.PENDING:
        errors["decision"] = [_("Choose listed or refused.")]
    if data.decided_on is None:
        errors["decided_on"] = [_("Enter a date.")]
    elif data.decided_on > today:
        errors["decided_on"] = [_("A decision cannot be in the future.")]
    elif nomination.batch.submitted_on and data.decided_on < nomination.batch.submitted_on:
        errors["decided_on"] = [_("The bank decided after the batch was submitted.")]
    if decision == NominationDecision.REFUSED and not (data.refusal_reason or "").strip():
        errors["refusal_reason"] = [_("Say why the bank refused.")]
    if decision == NominationDecision.LISTED:
        product = nomination.batch.product
        quota = data.quota_granted
        if quota is None or not quota.is_finite() or quota <= 0:
            errors["quota_granted"] = [_("A quota above zero, in 10,000 yuan.")]
        elif quota > product.max_quota:
            errors["quota_granted"] = [
                _(
                    "At most %(quota)s (10,000 yuan) for this product.",
                    quota=f"{product.max_quota:,.0f}",
                )
            ]
        if data.rate is None or not data.rate.is_finite() or not 0 < data.rate <= MAX_RATE:
            errors["rate"] = [_("An annual rate above 0 and up to 24 per cent.")]
        if data.term_months is None or not 0 < data.term_months <= MAX_TERM_MONTHS:
            errors["term_months"] = [_("A term of 1 to 120 months.")]
        if data.renewal_on is not None and data.decided_on and data.renewal_on <= data.decided_on:
            errors["renewal_on"] = [_("The renewal comes after the decision.")]
    return errors, decision


def _close_batch_when_decided(
    actor: User, batch: NominationBatch, decided_on: date, now: datetime
) -> None:
    pending = select(Nomination.id).where(
        Nomination.batch_id == batch.id,
        Nomination.deleted_at.is_(None),
        Nomination.decision == NominationDecision.PENDING,
    )
    if batch.state == BatchState.SUBMITTED and db.session.scalar(pending.limit(1)) is None:
        batch.state, batch.decided_on, batch.updated_at = BatchState.DECIDED, decided_on, now
        db.session.flush()
        record_change(
            actor,
            "decide",
            "nomination_batch",
            batch.id,
            {"state": ["submitted", "decided"], "decided_on": [None, decided_on.isoformat()]},
        )

"""Nomination batches: opening one for a bank's product, nominating firms into it while it is a
draft, withdrawing them, and submitting it to the bank (after which it is frozen)."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from crm import access, records
from crm.audit import diff, record_change, record_created
from crm.credit.fields import snapshot_of
from crm.credit.scoping import can_manage, can_nominate, can_read_credit, can_read_nomination
from crm.errors import (
    MAX_DATABASE_ID,
    ConflictError,
    FieldErrors,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    StaleEditError,
)
from models import (
    BatchState,
    CreditProduct,
    Enterprise,
    EnterpriseRequest,
    Nomination,
    NominationBatch,
    RequestCategory,
    User,
    db,
)

TITLE_MAX_LENGTH = 200
CENT = Decimal("0.01")


@dataclass
class NominationInput:
    enterprise_id: int
    quota_asked: Decimal | None
    request_id: int | None = None


def get_batch(actor: User, batch_id: int) -> NominationBatch:
    """The batch, or NotFoundError when missing, deleted or the actor has no part in credit."""
    batch = db.session.get(NominationBatch, batch_id)
    if batch is None or batch.is_deleted or not can_read_credit(actor):
        raise NotFoundError(_("Not found."))
    return batch


def get_nomination(actor: User, nomination_id: int) -> Nomination:
    nomination = db.session.get(Nomination, nomination_id)
    if (
        nomination is None
        or nomination.is_deleted
        or nomination.batch.is_deleted
        or not can_read_nomination(actor, nomination)
    ):
        raise NotFoundError(_("Not found."))
    return nomination


def open_batch(actor: User, product_id: int, title: str, now: datetime) -> NominationBatch:
    if not can_manage(actor):
        raise ForbiddenError(_("Only leaders and administrators open nomination batches."))
    errors = FieldErrors()
    product = _product(product_id)
    if product is None or not product.is_active or not product.bank.is_active:
        errors.add("product_id", _("Choose an active product of an active bank."))
    title = errors.text("title", title, TITLE_MAX_LENGTH, _("Give the batch a title."))
    if errors or product is None:
        raise InvalidInputError(errors)
    batch = NominationBatch(
        bank_id=product.bank_id,
        product=product,
        title=title,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    db.session.add(batch)
    db.session.flush()
    record_created(
        actor,
        "nomination_batch",
        batch.id,
        {"title": title, "product_id": product.id, "state": "draft"},
    )
    return batch


def edit_batch(
    actor: User,
    batch: NominationBatch,
    product_id: int,
    title: str,
    seen_version: int,
    now: datetime,
) -> NominationBatch:
    """A draft's title or product; a product of another bank would change whom it is sent to."""
    if not can_manage(actor):
        raise ForbiddenError(_("Only leaders and administrators open nomination batches."))
    if seen_version != batch.version_id:
        raise StaleEditError(_("Someone else changed this batch after you opened it. Reload."))
    if batch.state != BatchState.DRAFT:
        raise ConflictError(_("This batch was submitted to the bank: it can no longer change."))
    errors: dict[str, list[str]] = {}
    product = _product(product_id)
    if product is None or not product.is_active or product.bank_id != batch.bank_id:
        errors["product_id"] = [_("Choose an active product of the batch's bank.")]
    title = title.strip()
    if not title or len(title) > TITLE_MAX_LENGTH:
        errors["title"] = [_("Give the batch a title.")]
    if errors or product is None:
        raise InvalidInputError(errors)
    before = {"title": batch.title, "product_id": batch.product_id}
    batch.title, batch.product, batch.updated_at = title, product, now
    db.session.flush()
    after = {"title": title, "product_id": product.id}
    record_change(actor, "update", "nomination_batch", batch.id, diff(before, after))
    return batch


def delete_batch(actor: User, batch: NominationBatch, seen_version: int, now: datetime) -> None:
    """A draft opened by mistake; a batch sent to a bank stays on record."""
    if not can_manage(actor):
        raise ForbiddenError(_("Only leaders and administrators submit batches."))
    if seen_version != batch.version_id:
        raise StaleEditError(_("Someone else changed this batch after you opened it. Reload."))
    if batch.state != BatchState.DRAFT:
        raise ConflictError(_("This batch was submitted to the bank: it can no longer change."))
    records.soft_delete(actor, "nomination_batch", batch, now)


def nominate(
    actor: User,
    batch: NominationBatch,
    data: NominationInput,
    seen_version: int | None,
    now: datetime,
    locale: str = "zh",
) -> Nomination:
    """Put a firm of the actor's scope into a draft batch, with its figures as of today."""
    if not can_nominate(actor):
        raise ForbiddenError(_("Your role cannot nominate firms."))
    enterprise = db.session.get(Enterprise, data.enterprise_id)
    if (
        enterprise is None
        or enterprise.is_deleted
        or not access.can_read_enterprise(actor, enterprise)
    ):
        raise NotFoundError(_("Not found."))
    if seen_version is not None and seen_version != batch.version_id:
        raise StaleEditError(_("Someone else changed this batch after you opened it. Reload."))
    if batch.state != BatchState.DRAFT:
        raise ConflictError(_("This batch was submitted to the bank: it can no longer change."))
    errors = _nomination_errors(batch, enterprise, data)
    if errors or data.quota_asked is None:
        raise InvalidInputError(errors)
    quota = data.quota_asked.quantize(CENT)
    nomination = Nomination(
        batch=batch,
        enterprise=enterprise,
        quota_asked=quota,
        figures=snapshot_of(enterprise, quota, locale),
        request_id=data.request_id,
        nominated_by=actor,
        nominated_at=now,
        updated_at=now,
    )
    db.session.add(nomination)
    batch.updated_at = now  # a new version: a second tab's stale form is refused
    db.session.flush()
    record_created(
        actor,
        "nomination",
        nomination.id,
        {
            "batch_id": batch.id,
            "enterprise_id": enterprise.id,
            "quota_asked": str(quota),
            "request_id": data.request_id,
        },
    )
    return nomination


def withdraw(actor: User, nomination: Nomination, seen_version: int, now: datetime) -> None:
    """A draft's nominator or manager takes a firm out; once sent, only leaders (the bank has
    taken the firm off its list, say): a withdrawn nomination's reminders close."""
    batch = nomination.batch
    allowed = can_manage(actor) or (
        batch.state == BatchState.DRAFT
        and can_nominate(actor)
        and can_read_nomination(actor, nomination)
    )
    if not allowed:
        raise ForbiddenError(_("Only leaders withdraw a firm from a submitted batch."))
    if seen_version != nomination.version_id:
        raise StaleEditError(_("Someone else changed this nomination after you opened it. Reload."))
    if nomination.drawdowns and any(d.repaid_on is None for d in nomination.drawdowns):
        raise ConflictError(_("The firm still owes loans drawn on this quota."))
    nomination.deleted_at = now
    nomination.updated_at = now
    db.session.flush()
    record_change(
        actor, "delete", "nomination", nomination.id, {"deleted_at": [None, now.isoformat()]}
    )


def submit_batch(actor: User, batch: NominationBatch, seen_version: int, now: datetime) -> None:
    if not can_manage(actor):
        raise ForbiddenError(_("Only leaders and administrators submit batches."))
    if seen_version != batch.version_id:
        raise StaleEditError(_("Someone else changed this batch after you opened it. Reload."))
    if batch.state != BatchState.DRAFT:
        raise ConflictError(_("This batch was already submitted."))
    if not live_nomination_ids(batch):
        raise InvalidInputError({"batch": [_("Nominate at least one firm first.")]})
    batch.state, batch.submitted_on, batch.updated_at = BatchState.SUBMITTED, now.date(), now
    db.session.flush()
    record_change(
        actor,
        "submit",
        "nomination_batch",
        batch.id,
        {"state": ["draft", "submitted"], "submitted_on": [None, now.date().isoformat()]},
    )


def live_nomination_ids(batch: NominationBatch) -> list[int]:
    return list(
        db.session.scalars(
            select(Nomination.id).where(
                Nomination.batch_id == batch.id, Nomination.deleted_at.is_(None)
            )
        )
    )


def _product(product_id: int) -> CreditProduct | None:
    """The form's product list is not checked against its choices: a posted id past the
    database's range would make the query fail, not find nothing."""
    if not 1 <= product_id <= MAX_DATABASE_ID:
        return None
    return db.session.get(CreditProduct, product_id)


def _nomination_errors(
    batch: NominationBatch, enterprise: Enterprise, data: NominationInput
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    product = batch.product
    taken = select(Nomination.id).where(
        Nomination.batch_id == batch.id,
        Nomination.enterprise_id == enterprise.id,
        Nomination.deleted_at.is_(None),
    )
    if db.session.scalar(taken) is not None:
        errors["enterprise_id"] = [_("This firm is already in the batch.")]
    elif product.zone_id is not None and product.zone_id != enterprise.zone_id:
        errors["enterprise_id"] = [_("The product is only for firms of another zone.")]
    elif product.track_id is not None and product.track_id != enterprise.track_id:
        errors["enterprise_id"] = [_("The product is only for firms of another track.")]
    quota = data.quota_asked
    if quota is None or not quota.is_finite() or quota <= 0:
        errors["quota_asked"] = [_("A quota above zero, in 10,000 yuan.")]
    elif quota > product.max_quota:
        errors["quota_asked"] = [
            _(
                "At most %(quota)s (10,000 yuan) for this product.",
                quota=f"{product.max_quota:,.0f}",
            )
        ]
    if data.request_id is not None:
        request = db.session.get(EnterpriseRequest, data.request_id)
        if (
            request is None
            or request.is_deleted
            or request.enterprise_id != enterprise.id
            or request.category != RequestCategory.FINANCING
        ):
            errors["request_id"] = [_("Not a financing request of this firm.")]
    return errors

"""Tracking an approved package's items: granted, then disbursed, then reviewed, in that order."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _

from crm.audit import diff, record_change, snapshot
from crm.errors import ConflictError, ForbiddenError, InvalidInputError, StaleEditError
from crm.policies.services import CENT, can_track_items
from models import ItemState, PackageItem, PackageState, User, db

STEP_FIELDS = (
    "state",
    "granted_on",
    "disbursed_amount",
    "disbursed_on",
    "reviewed_on",
    "goal_met",
    "review_note",
)
STEP_OF_STATE = {
    ItemState.PLANNED: "grant",
    ItemState.GRANTED: "disburse",
    ItemState.DISBURSED: "review",
}
NEXT_STATE = {
    ItemState.PLANNED: ItemState.GRANTED,
    ItemState.GRANTED: ItemState.DISBURSED,
    ItemState.DISBURSED: ItemState.REVIEWED,
}


def grant_item(
    actor: User, item: PackageItem, granted_on: date, seen_version: int, now: datetime
) -> None:
    before = _start_step(actor, item, ItemState.GRANTED, seen_version)
    item.granted_on = granted_on
    _finish_step(actor, item, ItemState.GRANTED, before, now)


def disburse_item(
    actor: User,
    item: PackageItem,
    amount: Decimal | None,
    disbursed_on: date,
    seen_version: int,
    now: datetime,
) -> None:
    before = _start_step(actor, item, ItemState.DISBURSED, seen_version)
    errors: dict[str, list[str]] = {}
    if amount is None or not amount.is_finite() or amount <= 0:
        errors["disbursed_amount"] = [_("The amount must be more than zero.")]
    elif amount > item.amount:
        errors["disbursed_amount"] = [
            _("At most the item's amount of %(amount)s.", amount=f"{item.amount:,.2f}")
        ]
    if item.granted_on is not None and disbursed_on < item.granted_on:
        errors["disbursed_on"] = [_("Cannot be before the grant.")]
    if errors or amount is None:
        raise InvalidInputError(errors)
    item.disbursed_amount, item.disbursed_on = amount.quantize(CENT), disbursed_on
    _finish_step(actor, item, ItemState.DISBURSED, before, now)


def review_item(
    actor: User,
    item: PackageItem,
    goal_met: bool,
    note: str | None,
    reviewed_on: date,
    seen_version: int,
    now: datetime,
) -> None:
    before = _start_step(actor, item, ItemState.REVIEWED, seen_version)
    if item.disbursed_on is not None and reviewed_on < item.disbursed_on:
        raise InvalidInputError({"reviewed_on": [_("Cannot be before the disbursement.")]})
    item.reviewed_on, item.goal_met = reviewed_on, goal_met
    item.review_note = (note or "").strip() or None
    _finish_step(actor, item, ItemState.REVIEWED, before, now)


def _start_step(
    actor: User, item: PackageItem, step: ItemState, seen_version: int
) -> dict[str, Any]:
    package = item.package
    if not can_track_items(actor, package):
        raise ForbiddenError(_("Only the firm's account manager or an administrator tracks items."))
    if seen_version != package.version_id:
        raise StaleEditError(
            _("Someone else changed this package after you opened it. Reload to see it.")
        )
    if package.state != PackageState.APPROVED:
        raise ConflictError(_("Items are tracked only once the package is approved."))
    if NEXT_STATE.get(item.state) != step:
        raise ConflictError(_("Steps go in order: granted, then disbursed, then reviewed."))
    return snapshot(item, STEP_FIELDS)


def _finish_step(
    actor: User, item: PackageItem, step: ItemState, before: dict[str, Any], now: datetime
) -> None:
    item.state = step
    item.package.updated_at = now  # bumps the package's version: open step forms go stale
    db.session.flush()
    record_change(
        actor, step.value, "package_item", item.id, diff(before, snapshot(item, STEP_FIELDS))
    )

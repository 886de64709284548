"""Proposing, deciding and deleting a firm's policy package, within the acting user's scope."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import partial

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from crm import access, records
from crm.audit import record_change, record_created, snapshot
from crm.enterprises.services import get_enterprise
from crm.errors import (
    ConflictError,
    FieldErrors,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    StaleEditError,
)
from models import (
    AuditEntry,
    Enterprise,
    PackageItem,
    PackageState,
    PolicyInstrument,
    PolicyPackage,
    Role,
    User,
    db,
)
from models.policy import InstrumentUnit

TITLE_MAX_LENGTH = 200
# NUMERIC(16, 2): 14 digits before the point, whether yuan or a count.
MAX_AMOUNT = Decimal(10) ** 14
CENT = Decimal("0.01")
DECISIONS = {"approve": PackageState.APPROVED, "reject": PackageState.REJECTED}
ITEM_FIELDS = ("instrument_id", "amount", "conditions", "disburse_by", "review_on")


@dataclass
class ItemInput:
    instrument_id: int | None
    amount: Decimal | None
    conditions: str | None = None
    disburse_by: date | None = None
    review_on: date | None = None


@dataclass
class PackageInput:
    title: str
    rationale: str | None = None
    items: list[ItemInput] = field(default_factory=list)


def can_propose(user: User) -> bool:
    return user.role in {Role.ADMIN, Role.MANAGER}


def can_decide(user: User) -> bool:
    return user.role == Role.LEADER


def can_track_items(user: User, package: PolicyPackage) -> bool:
    return can_propose(user) and access.can_read_package(user, package)


def can_delete(user: User, package: PolicyPackage) -> bool:
    return user.role == Role.ADMIN or (
        package.proposed_by_id == user.id and access.can_read_package(user, package)
    )


def get_package(actor: User, package_id: int) -> PolicyPackage:
    """The package, or NotFoundError when it is missing, deleted or outside the actor's scope."""
    package = db.session.get(PolicyPackage, package_id)
    if package is None or package.is_deleted or not access.can_read_package(actor, package):
        raise NotFoundError(_("Not found."))
    return package


def proposable_enterprise(actor: User, enterprise_id: int) -> Enterprise:
    """The firm the actor may propose a package for: 403 for the role, 404 outside scope."""
    if not can_propose(actor):
        raise ForbiddenError(_("Your role cannot propose policy packages."))
    return get_enterprise(actor, enterprise_id)


def propose_package(
    actor: User, enterprise: Enterprise, data: PackageInput, now: datetime
) -> PolicyPackage:
    if not can_propose(actor):
        raise ForbiddenError(_("Your role cannot propose policy packages."))
    if not access.can_read_enterprise(actor, enterprise) or enterprise.is_deleted:
        raise NotFoundError(_("Not found."))
    title, items = _checked(enterprise, data)
    package = PolicyPackage(
        enterprise=enterprise,
        title=title,
        rationale=(data.rationale or "").strip() or None,
        proposed_by=actor,
        proposed_at=now,
        updated_at=now,
        items=items,
    )
    db.session.add(package)
    db.session.flush()
    record_created(
        actor,
        "package",
        package.id,
        {"enterprise_id": enterprise.id, "title": package.title, "state": package.state.value},
    )
    for item in package.items:
        record_created(actor, "package_item", item.id, snapshot(item, ITEM_FIELDS))
    return package


def decide_package(
    actor: User,
    package: PolicyPackage,
    decision: str,
    comment: str | None,
    seen_version: int,
    now: datetime,
) -> PolicyPackage:
    if not can_decide(actor):
        raise ForbiddenError(_("Only a district leader can decide on a package."))
    if seen_version != package.version_id:
        raise StaleEditError(
            _("Someone else changed this package after you opened it. Reload to see it.")
        )
    if package.state != PackageState.PROPOSED:
        raise ConflictError(_("This package has already been decided."))
    state = DECISIONS.get(decision)
    comment = (comment or "").strip() or None
    if state is None:
        raise InvalidInputError({"decision": [_("Choose approve or reject.")]})
    if state == PackageState.REJECTED and comment is None:
        raise InvalidInputError({"comment": [_("Say why the package is rejected.")]})
    package.state = state
    package.decided_by, package.decided_at = actor, now
    package.decision_comment = comment
    package.updated_at = now
    db.session.flush()
    record_change(
        actor,
        "decide",
        "package",
        package.id,
        {"state": [PackageState.PROPOSED.value, state.value], "decision_comment": [None, comment]},
    )
    return package


def delete_package(actor: User, package: PolicyPackage, now: datetime) -> None:
    if not can_delete(actor, package):
        raise ForbiddenError(_("Only the proposer or an administrator can delete a package."))
    records.soft_delete(actor, "package", package, now)


def _checked(enterprise: Enterprise, data: PackageInput) -> tuple[str, list[PackageItem]]:
    errors = FieldErrors()
    title = errors.text("title", data.title, TITLE_MAX_LENGTH, _("Give the package a title."))
    if not data.items:
        errors.add("items", _("Add at least one item from the catalogue."))
    used = committed_amounts(enterprise.id)
    items: list[PackageItem] = []
    for index, row in enumerate(data.items):
        prefix = f"items[{index}]."
        instrument = db.session.get(PolicyInstrument, row.instrument_id or 0)
        if instrument is None or not instrument.is_active:
            errors.add(
                prefix + "instrument_id", _("Choose an active instrument from the catalogue.")
            )
            continue
        amount = _amount(instrument, row.amount, partial(errors.add, prefix + "amount"))
        if row.disburse_by and row.review_on and row.review_on < row.disburse_by:
            errors.add(prefix + "review_on", _("The review cannot come before the disbursement."))
        if amount is None:
            continue
        total = used.get(instrument.id, Decimal(0)) + amount
        if instrument.ceiling is not None and total > instrument.ceiling:
            errors.add(prefix + "amount", _ceiling_message(instrument, used.get(instrument.id)))
        used[instrument.id] = total
        items.append(
            PackageItem(
                instrument=instrument,
                amount=amount,
                conditions=(row.conditions or "").strip() or None,
                disburse_by=row.disburse_by,
                review_on=row.review_on,
            )
        )
    errors.raise_if_any()
    return title, items


def committed_amounts(enterprise_id: int) -> dict[int, Decimal]:
    """Per instrument, what the firm's live proposed and approved packages already promise."""
    query = (
        select(PackageItem.instrument_id, func.sum(PackageItem.amount))
        .join(PolicyPackage, PackageItem.package_id == PolicyPackage.id)
        .where(
            PolicyPackage.enterprise_id == enterprise_id,
            PolicyPackage.deleted_at.is_(None),
            PolicyPackage.state.in_([PackageState.PROPOSED, PackageState.APPROVED]),
        )
        .group_by(PackageItem.instrument_id)
    )
    return {instrument_id: Decimal(total) for instrument_id, total in db.session.execute(query)}


def _amount(
    instrument: PolicyInstrument, value: Decimal | None, report: Callable[[str], None]
) -> Decimal | None:
    if value is None or not value.is_finite():
        report(_("Enter an amount."))
        return None
    if value <= 0:
        report(_("The amount must be more than zero."))
        return None
    if value >= MAX_AMOUNT:
        report(_("The amount is too large."))
        return None
    if instrument.unit == InstrumentUnit.COUNT and value != value.to_integral_value():
        report(_("This instrument is counted: enter a whole number."))
        return None
    if value != value.quantize(CENT):
        report(_("At most two decimal places."))
        return None
    return value.quantize(CENT)


def _ceiling_message(instrument: PolicyInstrument, used: Decimal | None) -> str:
    return _(
        "Over the ceiling of %(ceiling)s for %(instrument)s: this firm already has %(used)s"
        " in live packages.",
        ceiling=f"{instrument.ceiling:,.0f}",
        instrument=instrument.name_for(str(get_locale() or "en")),
        used=f"{used or 0:,.0f}",
    )


def history(package: PolicyPackage) -> list[AuditEntry]:
    """The package's audit entries and those of its items, newest first."""
    entries = records.history_of("package", package.id)
    for item in package.items:
        entries += records.history_of("package_item", item.id)
    return sorted(entries, key=lambda entry: (entry.at, entry.id), reverse=True)

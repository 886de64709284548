"""The policy catalogue: what each instrument is called, who runs it and its ceiling per firm."""

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.audit import diff, record_change, snapshot
from crm.errors import FieldErrors, ForbiddenError
from crm.policies.services import CENT, MAX_AMOUNT
from models import Department, PolicyInstrument, Role, User, db

NAME_MAX_LENGTH = {"name_zh": 80, "name_en": 120}
AUDITED = ("name_zh", "name_en", "department_id", "ceiling", "is_active")


@dataclass
class InstrumentInput:
    name_zh: str
    name_en: str
    department_id: int
    ceiling: Decimal | None
    is_active: bool


def can_edit_catalogue(user: User) -> bool:
    return user.role == Role.ADMIN


def catalogue() -> list[PolicyInstrument]:
    query = (
        select(PolicyInstrument)
        .options(selectinload(PolicyInstrument.department))
        .order_by(PolicyInstrument.position, PolicyInstrument.id)
    )
    return list(db.session.scalars(query))


def update_instrument(actor: User, instrument: PolicyInstrument, data: InstrumentInput) -> None:
    """Change an instrument; a lower ceiling binds new proposals only, never past ones."""
    if not can_edit_catalogue(actor):
        raise ForbiddenError(_("Only an administrator can edit the catalogue."))
    errors = FieldErrors()
    names = {
        name: errors.text(name, getattr(data, name), limit, _("This field is required."))
        for name, limit in NAME_MAX_LENGTH.items()
    }
    if db.session.get(Department, data.department_id) is None:
        errors.add("department_id", _("Choose a department from the list."))
    ceiling = data.ceiling
    if ceiling is not None and (not ceiling.is_finite() or ceiling <= 0 or ceiling >= MAX_AMOUNT):
        errors.add("ceiling", _("Leave empty for no ceiling, or enter an amount above zero."))
    errors.raise_if_any()
    before = snapshot(instrument, AUDITED)
    instrument.name_zh, instrument.name_en = names["name_zh"], names["name_en"]
    instrument.department_id = data.department_id
    instrument.ceiling = ceiling.quantize(CENT) if ceiling is not None else None
    instrument.is_active = data.is_active
    db.session.flush()
    if changes := diff(before, snapshot(instrument, AUDITED)):
        record_change(actor, "update", "policy_instrument", instrument.id, changes)

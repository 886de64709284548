"""Firms as plain dicts for the API, and JSON bodies parsed into service input."""

from dataclasses import fields
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _

from crm.enterprises.contacts import shown_contacts
from crm.enterprises.figures import FIGURE_FIELDS
from crm.enterprises.services import EnterpriseInput, input_from_enterprise
from models import Enterprise, User, YearlyFigures

REQUIRED_FIELDS = ("name", "uscc", "sub_district", "zone", "track")
FIELD_TYPES = {f.name: f.type for f in fields(EnterpriseInput)}


def figures_to_dict(row: YearlyFigures) -> dict[str, Any]:
    values = {name: getattr(row, name) for name in FIGURE_FIELDS}
    return {"year": row.year} | {
        k: float(v) if isinstance(v, Decimal) else v for k, v in values.items()
    }


def enterprise_to_dict(enterprise: Enterprise, details_for: User | None = None) -> dict[str, Any]:
    """The firm as the API lists it; with its figures and contacts (masked as `details_for` may
    see them) when a reader is given."""
    data = vars(input_from_enterprise(enterprise)).copy()
    data["founded_on"] = enterprise.founded_on.isoformat() if enterprise.founded_on else None
    if enterprise.registered_capital is not None:
        data["registered_capital"] = float(enterprise.registered_capital)
    data.update(
        id=enterprise.id,
        version_id=enterprise.version_id,
        updated_at=enterprise.updated_at.isoformat() + "Z",
    )
    if details_for is not None:
        data["yearly_figures"] = [figures_to_dict(row) for row in enterprise.yearly_figures]
        data["contacts"] = [c.as_dict() for c in shown_contacts(details_for, enterprise)]
    return data


def parse_enterprise_json(
    body: dict[str, Any], partial: bool
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Typed values of the known fields in `body`, and the errors of those that do not parse."""
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, raw in body.items():
        if name in {"id", "version_id", "updated_at"}:
            continue
        if name not in FIELD_TYPES:
            errors[name] = [_("Unknown field.")]
            continue
        try:
            values[name] = _parse_field(name, raw)
        except (ValueError, TypeError, InvalidOperation):
            errors[name] = [_("Invalid value.")]
    if not partial:
        for name in REQUIRED_FIELDS:
            if not values.get(name):
                errors.setdefault(name, []).append(_("This field is required."))
    return values, errors


def _parse_field(name: str, raw: Any) -> Any:
    if name == "founded_on":
        return date.fromisoformat(raw) if raw else None
    if name == "registered_capital":
        if raw is None or raw == "":
            return None
        if isinstance(raw, bool):
            raise TypeError(name)
        amount = Decimal(str(raw))
        if not amount.is_finite():  # Python's json accepts NaN and Infinity
            raise ValueError(name)
        return amount
    if name == "designations":
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            raise TypeError(name)
        return raw
    if name == "in_hundred_enterprises_plan":
        if not isinstance(raw, bool):
            raise TypeError(name)
        return raw
    if raw is None and name in {"address", "manager", "notes"}:
        return None
    if not isinstance(raw, str):
        raise TypeError(name)
    return raw

"""Packages as plain dicts for the API, and JSON bodies parsed into service input."""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _

from crm.api.ids import is_database_id
from crm.policies.services import ItemInput, PackageInput
from models import PackageItem, PolicyPackage

ITEM_KEYS = {"instrument_id", "amount", "conditions", "disburse_by", "review_on"}


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def item_to_dict(item: PackageItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "instrument_id": item.instrument_id,
        "instrument": item.instrument.slug,
        "unit": item.instrument.unit.value,
        "amount": float(item.amount),
        "conditions": item.conditions,
        "state": item.state.value,
        "disburse_by": _day(item.disburse_by),
        "review_on": _day(item.review_on),
        "granted_on": _day(item.granted_on),
        "disbursed_amount": _number(item.disbursed_amount),
        "disbursed_on": _day(item.disbursed_on),
        "reviewed_on": _day(item.reviewed_on),
        "goal_met": item.goal_met,
        "review_note": item.review_note,
    }


def package_to_dict(package: PolicyPackage) -> dict[str, Any]:
    return {
        "id": package.id,
        "enterprise_id": package.enterprise_id,
        "enterprise": package.enterprise.name,
        "title": package.title,
        "rationale": package.rationale,
        "state": package.state.value,
        "proposed_by": package.proposed_by.username,
        "proposed_at": package.proposed_at.isoformat() + "Z",
        "decided_by": package.decided_by.username if package.decided_by else None,
        "decided_at": package.decided_at.isoformat() + "Z" if package.decided_at else None,
        "decision_comment": package.decision_comment,
        "version_id": package.version_id,
        "items": [item_to_dict(item) for item in package.items],
    }


def parse_package_json(body: dict[str, Any]) -> tuple[PackageInput, dict[str, list[str]]]:
    """Typed input from a POST body, and the errors of the values that do not parse."""
    errors: dict[str, list[str]] = {}
    title = body.get("title")
    if not isinstance(title, str):
        errors["title"] = [_("This field is required.")]
    rationale = body.get("rationale")
    if rationale is not None and not isinstance(rationale, str):
        errors["rationale"] = [_("Invalid value.")]
    raw_items = body.get("items")
    items: list[ItemInput] = []
    if not isinstance(raw_items, list) or not raw_items:
        errors["items"] = [_("Add at least one item from the catalogue.")]
    else:
        for index, raw in enumerate(raw_items):
            items.append(_parse_item(raw, f"items[{index}].", errors))
    data = PackageInput(
        title=title if isinstance(title, str) else "",
        rationale=rationale if isinstance(rationale, str) else None,
        items=items,
    )
    return data, errors


def _parse_item(raw: Any, prefix: str, errors: dict[str, list[str]]) -> ItemInput:
    item = ItemInput(instrument_id=None, amount=None)
    if not isinstance(raw, dict):
        errors[prefix.rstrip(".")] = [_("Send an object per item.")]
        return item
    for key in raw.keys() - ITEM_KEYS:
        errors[prefix + key] = [_("Unknown field.")]
    instrument_id = raw.get("instrument_id")
    if not is_database_id(instrument_id):
        errors[prefix + "instrument_id"] = [_("Send the instrument's id.")]
    else:
        item.instrument_id = instrument_id
    try:
        item.amount = _amount(raw.get("amount"))
    except (TypeError, ValueError, InvalidOperation):
        errors[prefix + "amount"] = [_("Invalid value.")]
    conditions = raw.get("conditions")
    if conditions is not None and not isinstance(conditions, str):
        errors[prefix + "conditions"] = [_("Invalid value.")]
    item.conditions = conditions if isinstance(conditions, str) else None
    for name in ("disburse_by", "review_on"):
        try:
            setattr(item, name, _date(raw.get(name)))
        except (TypeError, ValueError):
            errors[prefix + name] = [_("A date as YYYY-MM-DD.")]
    return item


def _amount(raw: Any) -> Decimal | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise TypeError(raw)
    amount = Decimal(str(raw))
    if not amount.is_finite():  # Python's json accepts NaN and Infinity
        raise ValueError(raw)
    return amount


def _date(raw: Any) -> date | None:
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise TypeError(raw)
    return date.fromisoformat(raw)

"""Requests as plain dicts for the API, and JSON bodies parsed into service input."""

from datetime import date
from typing import Any

from flask_babel import gettext as _

from crm.api.ids import is_database_id
from crm.requests.workflow import is_overdue
from models import EnterpriseRequest, RequestEvent

CREATE_FIELDS: dict[str, type] = {
    "enterprise_id": int,
    "visit_id": int,
    "category": str,
    "description": str,
    "urgency": str,
    "department": str,
    "due_on": date,
    "raised_on": date,
}
REQUIRED_ON_CREATE = ("enterprise_id", "category", "description")
STEP_FIELDS: dict[str, type] = {
    "action": str,
    "note": str,
    "answer": str,
    "satisfaction": int,
    "department": str,
    "reason": str,
    "version_id": int,
}


def event_to_dict(event: RequestEvent, slugs: dict[int, str]) -> dict[str, Any]:
    return {
        "action": event.action,
        "from_state": event.from_state.value if event.from_state else None,
        "to_state": event.to_state.value,
        "actor": event.actor.username,
        "at": event.at.isoformat() + "Z",
        "note": event.note,
        "from_department": slugs.get(event.from_department_id or 0),
        "to_department": slugs.get(event.to_department_id or 0),
    }


def request_to_dict(
    item: EnterpriseRequest, today: date, slugs: dict[int, str] | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": item.id,
        "version_id": item.version_id,
        "enterprise_id": item.enterprise_id,
        "enterprise_name": item.enterprise.name,
        "visit_id": item.visit_id,
        "category": item.category.value,
        "description": item.description,
        "urgency": item.urgency.value,
        "department": item.department.slug,
        "state": item.state.value,
        "raised_on": item.raised_on.isoformat(),
        "due_on": item.due_on.isoformat(),
        "is_overdue": is_overdue(item, today),
        "answer": item.answer,
        "rejection_reason": item.rejection_reason,
        "satisfaction": item.satisfaction,
        "created_by": item.created_by.username,
        "updated_at": item.updated_at.isoformat() + "Z",
    }
    if slugs is not None:
        data["events"] = [event_to_dict(event, slugs) for event in item.events]
    return data


def parse_body(
    body: dict[str, Any], kinds: dict[str, type], required: tuple[str, ...] = ()
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Typed values of the known fields in `body`, and the errors of those that do not parse."""
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, raw in body.items():
        if name not in kinds:
            errors[name] = [_("Unknown field.")]
        elif raw is None:
            continue
        elif kinds[name] is date:
            try:
                values[name] = date.fromisoformat(raw) if isinstance(raw, str) else None
            except ValueError:
                values[name] = None
            if values[name] is None:
                errors[name] = [_("A date as YYYY-MM-DD.")]
        elif kinds[name] is int and not is_database_id(raw):  # both int fields are ids
            errors[name] = [_("A whole number.")]
        elif kinds[name] is str and not isinstance(raw, str):
            errors[name] = [_("Text.")]
        else:
            values[name] = raw
    for name in required:
        if values.get(name) in (None, ""):
            errors.setdefault(name, []).append(_("This field is required."))
    return values, errors

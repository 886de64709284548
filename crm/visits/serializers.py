"""Visits as plain dicts for the API, and JSON bodies parsed into service input."""

from datetime import date
from typing import Any

from flask_babel import gettext as _

from crm.visits.services import FlagAnswer, FollowUpInput, VisitInput
from models import Visit
from models.visit import FINDING_AREAS

TEXT_FIELDS = ("kind", "summary", "people_met")


def visit_to_dict(visit: Visit) -> dict[str, Any]:
    return {
        "id": visit.id,
        "enterprise_id": visit.enterprise_id,
        "enterprise_name": visit.enterprise.name,
        "visited_on": visit.visited_on.isoformat(),
        "kind": visit.kind.value,
        "summary": visit.summary,
        "people_met": visit.people_met,
        "findings": {area: getattr(visit, f"findings_{area}") for area in FINDING_AREAS},
        "red_flags_asked": visit.red_flags_asked,
        "red_flags": [
            {
                "flag": row.flag.value,
                "move_out_reason": row.move_out_reason.value if row.move_out_reason else None,
                "note": row.note,
            }
            for row in visit.red_flags
        ],
        "participants": sorted(user.username for user in visit.participants),
        "follow_ups": [
            {
                "id": action.id,
                "description": action.description,
                "owner": action.owner.username,
                "due_on": action.due_on.isoformat(),
                "done_at": action.done_at.isoformat() + "Z" if action.done_at else None,
            }
            for action in visit.follow_ups
        ],
        "next_visit_on": visit.next_visit_on.isoformat() if visit.next_visit_on else None,
        "created_by": visit.created_by.username,
        "created_at": visit.created_at.isoformat() + "Z",
        "version_id": visit.version_id,
    }


def recent_to_dict(visit: Visit) -> dict[str, Any]:
    return {
        "id": visit.id,
        "visited_on": visit.visited_on.isoformat(),
        "kind": visit.kind.value,
        "created_by": visit.created_by.username,
        "created_by_name": visit.created_by.display_name,
    }


def parse_visit_json(body: dict[str, Any]) -> tuple[VisitInput | None, dict[str, list[str]]]:
    """The service input, or the errors of the fields whose JSON type or format is wrong."""
    errors: dict[str, list[str]] = {}

    def parsed(name: str, parse: Any, default: Any = None) -> Any:
        if body.get(name) is None:
            return default
        try:
            return parse(body[name])
        except (ValueError, TypeError):
            errors[name] = [_("Invalid value.")]
            return default

    values: dict[str, Any] = {name: parsed(name, _text, "") for name in TEXT_FIELDS}
    values["visited_on"] = parsed("visited_on", _date)
    values["next_visit_on"] = parsed("next_visit_on", _date)
    values["findings"] = parsed("findings", _findings, {})
    values["participants"] = parsed("participants", _usernames, [])
    values["follow_ups"] = parsed("follow_ups", _follow_ups, [])
    flags = parsed("red_flags", _flags, None)
    reason = parsed("move_out_reason", _text)
    values["red_flags_asked"] = flags is not None
    values["red_flags"] = {
        flag: FlagAnswer(raised, reason if flag == "move_out" else None)
        for flag, raised in (flags or {}).items()
    }
    if errors:
        return None, errors
    return VisitInput(**values), errors


def _text(raw: Any) -> str:
    if not isinstance(raw, str):
        raise TypeError(raw)
    return raw


def _date(raw: Any) -> date:
    return date.fromisoformat(_text(raw))


def _findings(raw: Any) -> dict[str, str | None]:
    if not isinstance(raw, dict) or set(raw) - set(FINDING_AREAS):
        raise TypeError(raw)
    return {area: None if text is None else _text(text) for area, text in raw.items()}


def _usernames(raw: Any) -> list[str]:
    if not isinstance(raw, list):
        raise TypeError(raw)
    return [_text(item) for item in raw]


def _flags(raw: Any) -> dict[str, bool]:
    if not isinstance(raw, dict) or not all(isinstance(v, bool) for v in raw.values()):
        raise TypeError(raw)
    return {str(flag): raised for flag, raised in raw.items()}


def _follow_ups(raw: Any) -> list[FollowUpInput]:
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        raise TypeError(raw)
    return [
        FollowUpInput(
            description=_text(item.get("description") or ""),
            owner=_text(item["owner"]) if item.get("owner") else None,
            due_on=_date(item["due_on"]) if item.get("due_on") else None,
        )
        for item in raw
    ]

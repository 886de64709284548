"""record_change(): every write of a service leaves an audit entry in the same transaction."""

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from crm.clock import utcnow
from models import AuditEntry, User, db


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return sorted(_plain(item) for item in value)
    return value


def snapshot(record: object, fields: tuple[str, ...]) -> dict[str, Any]:
    return {field: _plain(getattr(record, field)) for field in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        field: [before.get(field), value]
        for field, value in after.items()
        if before.get(field) != value
    }


def record_change(
    actor: User | None,
    action: str,
    entity_type: str,
    entity_id: int,
    changes: dict[str, list[Any]] | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        at=utcnow(),
        actor_id=actor.id if actor is not None else None,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        changes=changes or {},
    )
    db.session.add(entry)
    return entry


def record_created(
    actor: User | None, entity_type: str, entity_id: int, values: dict[str, Any]
) -> AuditEntry:
    """A new record's first values, the None ones too (which diff({}, values) would drop)."""
    changes = {field: [None, value] for field, value in values.items()}
    return record_change(actor, "create", entity_type, entity_id, changes)


EXPORT_ACTION = "export"
EXPORT_RECORD_ID = 0  # an export is of a list, not of one record


def record_export(
    actor: User, export: str, details: dict[str, Any], row_count: int, is_complete: bool
) -> AuditEntry:
    """An export left the system with personal data in it (PIPL): who, which list, with which
    filters and format, how many rows, and whether the download ran to its end."""
    values = {key: _json_safe(value) for key, value in details.items()}
    values |= {"rows": row_count, "complete": is_complete}
    return record_change(
        actor,
        EXPORT_ACTION,
        export,
        EXPORT_RECORD_ID,
        {key: [None, value] for key, value in values.items()},
    )


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    value = _plain(value)
    return (
        value if value is None or isinstance(value, str | int | float | bool | list) else str(value)
    )

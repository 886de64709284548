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

"""Soft deletion and restoring of records, and the audit history that every page shows."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Protocol

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from crm.audit import record_change
from crm.errors import ConflictError
from models import (
    AuditEntry,
    DiscoveryCandidate,
    DiscoveryEvent,
    Enterprise,
    EnterpriseRequest,
    NominationBatch,
    PolicyPackage,
    User,
    Visit,
    db,
)
from models.base import SoftDeleteMixin


class Deletable(Protocol):
    id: int
    deleted_at: datetime | None


# Audit entity names of the records that can be deleted (hidden) and restored.
DELETABLE: dict[str, type[SoftDeleteMixin]] = {
    "enterprise": Enterprise,
    "visit": Visit,
    "request": EnterpriseRequest,
    "package": PolicyPackage,
    "nomination_batch": NominationBatch,
    "discovery_candidate": DiscoveryCandidate,
    "discovery_event": DiscoveryEvent,
}
# Kinds whose records name themselves; the others are named by their firm.
SELF_NAMED = {
    "enterprise": "name",
    "nomination_batch": "title",
    "discovery_candidate": "name",
    "discovery_event": "name",
}
AUDIT_PAGE_SIZE = 50


def soft_delete(actor: User, entity_type: str, record: Deletable, now: datetime) -> None:
    if record.deleted_at is not None:
        raise ConflictError(_("This record is already deleted."))
    record.deleted_at = now
    db.session.flush()
    record_change(actor, "delete", entity_type, record.id, {"deleted_at": [None, now.isoformat()]})


def restore(actor: User, entity_type: str, record: Deletable) -> None:
    if record.deleted_at is None:
        raise ConflictError(_("This record is not deleted."))
    before = record.deleted_at.isoformat()
    record.deleted_at = None
    db.session.flush()
    record_change(actor, "restore", entity_type, record.id, {"deleted_at": [before, None]})


DELETED_SHOWN = 200  # per kind: a district's years of deletions would not fit one page


def deleted_records() -> dict[str, list[SoftDeleteMixin]]:
    """The hidden records by kind, newest deletion first, for the admin's restore page: at most
    DELETED_SHOWN of each, and one more when there are more (the page says so)."""
    found: dict[str, list[SoftDeleteMixin]] = {}
    for kind, model in DELETABLE.items():
        query = select(model).where(model.deleted_at.is_not(None))
        if kind not in SELF_NAMED:  # the page names these records by their firm
            query = query.options(selectinload(model.enterprise))  # type: ignore[attr-defined]
        newest = query.order_by(
            model.deleted_at.desc(),
            model.id.desc(),  # type: ignore[attr-defined]  # every deletable record has an id
        ).limit(DELETED_SHOWN + 1)
        found[kind] = list(db.session.scalars(newest))
    return found


def record_name(kind: str, record: SoftDeleteMixin) -> str:
    """What the restore page calls a deleted record: its own name or title, or its firm's."""
    if kind in SELF_NAMED:
        return str(getattr(record, SELF_NAMED[kind]))
    return str(record.enterprise.name)  # type: ignore[attr-defined]


HISTORY_SHOWN = 100  # a record's page lists its latest changes; the audit log has them all


def history_of(entity_type: str, entity_id: int) -> list[AuditEntry]:
    """The record's latest changes, newest first: HISTORY_SHOWN of them, and one more when there
    are more (the page says so)."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == entity_id)
        .options(selectinload(AuditEntry.actor))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(HISTORY_SHOWN + 1)
    )
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class AuditFilter:
    entity_type: str = ""
    entity_id: int | None = None
    actor: str = ""  # username
    action: str = ""
    since: datetime | None = None  # a day's midnight in `zone`, the reader's time zone
    until: datetime | None = None  # inclusive day: entries before the next midnight
    zone: tzinfo = UTC


def audit_query(filters: AuditFilter) -> Select[AuditEntry]:
    query = select(AuditEntry).options(selectinload(AuditEntry.actor))
    if filters.entity_type:
        query = query.where(AuditEntry.entity_type == filters.entity_type)
    if filters.entity_id is not None:
        query = query.where(AuditEntry.entity_id == filters.entity_id)
    if filters.actor:
        query = query.where(AuditEntry.actor.has(User.username == filters.actor))
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.since is not None:
        query = query.where(AuditEntry.at >= _stored(filters.since, filters.zone))
    if filters.until is not None:
        query = query.where(
            AuditEntry.at < _stored(filters.until + timedelta(days=1), filters.zone)
        )
    return query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def _stored(local: datetime, zone: tzinfo) -> datetime:
    """A wall-clock time of the reader's zone as the naive UTC the log stores."""
    return local.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


def audit_page(filters: AuditFilter, page: int) -> list[AuditEntry]:
    query = audit_query(filters).limit(AUDIT_PAGE_SIZE + 1).offset((page - 1) * AUDIT_PAGE_SIZE)
    return list(db.session.scalars(query))

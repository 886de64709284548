"""A leader's override of the model's view: a tier set by hand, or a firm put on watch."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from crm.audit import diff, record_change, snapshot
from crm.errors import FieldErrors, ForbiddenError, StaleEditError
from models import Enterprise, PipelineOverride, Role, Tier, User, db

FIELDS = ("tier", "watch", "reason")
MIN_REASON_LENGTH = 10  # a reason a colleague can act on, not "ok"
MAX_REASON_LENGTH = 2000


@dataclass(frozen=True)
class OverrideInput:
    tier: str  # "" keeps the firm's tier
    watch: bool
    reason: str


def can_override(user: User) -> bool:
    return user.role in {Role.LEADER, Role.ADMIN}


def current_override(enterprise_id: int) -> PipelineOverride | None:
    return db.session.scalar(
        select(PipelineOverride).where(
            PipelineOverride.enterprise_id == enterprise_id, PipelineOverride.deleted_at.is_(None)
        )
    )


def set_override(
    actor: User,
    enterprise: Enterprise,
    data: OverrideInput,
    seen_version: int | None,
    now: datetime,
) -> PipelineOverride:
    """Record the leader's view; a tier chosen here also becomes the firm's tier.

    Scoring never writes the tier, so no rescore undoes it; only another decision does.
    """
    if not can_override(actor):
        raise ForbiddenError(_("Only district leaders can override the model's view."))
    tier = _checked(data)
    override = current_override(enterprise.id)
    if override is not None and seen_version is not None and override.version_id != seen_version:
        raise StaleEditError(_("Someone else changed this override; reload and try again."))
    before = snapshot(override, FIELDS) if override is not None else {}
    if override is None:
        override = PipelineOverride(enterprise=enterprise, reason="", decided_by=actor)
        db.session.add(override)
    override.tier, override.watch, override.reason = tier, data.watch, data.reason.strip()
    override.decided_by, override.decided_at = actor, now
    if tier is not None and enterprise.tier != tier:
        record_change(
            actor,
            "update",
            "enterprise",
            enterprise.id,
            {"tier": [enterprise.tier.value, tier.value]},
        )
        enterprise.tier = tier
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError) as error:  # IntegrityError: another leader's new one
        raise StaleEditError(
            _("Someone else changed this override; reload and try again.")
        ) from error
    record_change(
        actor,
        "update" if before else "create",
        "pipeline_override",
        override.id,
        diff(before, snapshot(override, FIELDS))
        | ({} if before else {"enterprise_id": [None, enterprise.id]}),
    )
    return override


def withdraw_override(
    actor: User, override: PipelineOverride, seen_version: int, now: datetime
) -> None:
    """The firm keeps its tier; the override stops being shown and leaves the watch list."""
    if not can_override(actor):
        raise ForbiddenError(_("Only district leaders can override the model's view."))
    if override.version_id != seen_version:
        raise StaleEditError(_("Someone else changed this override; reload and try again."))
    override.deleted_at = now
    record_change(actor, "delete", "pipeline_override", override.id)


def _checked(data: OverrideInput) -> Tier | None:
    errors = FieldErrors()
    reason = data.reason.strip()
    if len(reason) < MIN_REASON_LENGTH:
        errors.add(
            "reason", _("Write a reason of at least %(count)s characters.", count=MIN_REASON_LENGTH)
        )
    elif len(reason) > MAX_REASON_LENGTH:
        errors.add("reason", _("At most %(count)s characters.", count=MAX_REASON_LENGTH))
    tier: Tier | None = None
    if data.tier:
        try:
            tier = Tier(data.tier)
        except ValueError:
            errors.add("tier", _("Not a tier."))
    if tier is None and not data.watch and "tier" not in errors:
        errors.add("tier", _("Choose a tier, put the firm on watch, or both."))
    errors.raise_if_any()
    return tier

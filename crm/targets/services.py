"""Admins keep the target table: add, edit, archive and restore targets, each change audited."""

import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from crm.audit import diff, record_change, snapshot
from crm.clock import utcnow
from crm.dashboard.facts import SUMMABLE_FIGURES
from crm.dashboard.filters import PLAN_START
from crm.dashboard.snapshots import forget_dashboard
from crm.errors import InvalidInputError, StaleEditError
from crm.reference import by_slug
from models import Department, Designation, Role, Target, TargetMeasure, Tier, User, db

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
AUDITED = (
    "key",
    "title_zh",
    "title_en",
    "goal",
    "deadline",
    "owner_id",
    "measure",
    "tier_at_least",
    "designations",
    "figure",
    "is_per_year",
    "since_year",
)


def can_edit_targets(user: User) -> bool:
    return user.role == Role.ADMIN


@dataclass
class TargetInput:
    title_zh: str
    title_en: str
    goal: int | None
    deadline: date | None
    measure: str
    owner: str = ""  # department slug
    tier_at_least: str = ""
    designations: list[str] = field(default_factory=list)
    figure: str = ""
    is_per_year: bool = False
    since_year: int | None = None
    key: str = ""  # set once, when the target is added


def all_targets() -> list[Target]:
    """Live targets first, in order, then the archived ones."""
    return list(
        db.session.scalars(
            select(Target).order_by(Target.deleted_at.is_not(None), Target.position, Target.id)
        )
    )


def create_target(actor: User, data: TargetInput) -> Target:
    errors = _problems(data)
    key = data.key.strip().lower()
    if not KEY_PATTERN.match(key):
        errors["key"] = [
            _("2-40 lower-case letters, digits or underscores, starting with a letter.")
        ]
    elif db.session.scalar(select(Target.id).where(Target.key == key)) is not None:
        errors["key"] = [_("This key is taken.")]
    if errors:
        raise InvalidInputError(errors)
    now = utcnow()
    target = Target(key=key, created_at=now, updated_at=now, position=len(all_targets()))
    _apply(target, data)
    db.session.add(target)
    db.session.flush()
    record_change(actor, "create", "target", target.id, diff({}, snapshot(target, AUDITED)))
    forget_dashboard()  # the admin who set it looks at the dashboard next
    return target


def update_target(actor: User, target: Target, data: TargetInput, seen_version: int) -> None:
    if seen_version != target.version_id:
        raise StaleEditError(_("Someone else saved this target after you opened it."))
    if errors := _problems(data):
        raise InvalidInputError(errors)
    before = snapshot(target, AUDITED)
    _apply(target, data)
    target.updated_at = utcnow()
    db.session.flush()
    if changes := diff(before, snapshot(target, AUDITED)):
        record_change(actor, "update", "target", target.id, changes)
        forget_dashboard()


def archive_target(actor: User, target: Target) -> None:
    """Archived targets leave the dashboard and the API; nothing is deleted."""
    if target.deleted_at is None:
        target.deleted_at = utcnow()
        record_change(actor, "delete", "target", target.id)
        forget_dashboard()


def restore_target(actor: User, target: Target) -> None:
    if target.deleted_at is not None:
        target.deleted_at = None
        record_change(actor, "restore", "target", target.id)
        forget_dashboard()


def _apply(target: Target, data: TargetInput) -> None:
    measure = TargetMeasure(data.measure)
    target.title_zh, target.title_en = data.title_zh.strip(), data.title_en.strip()
    target.goal = data.goal or 0
    target.deadline = data.deadline or PLAN_START
    target.owner = by_slug(Department, data.owner)
    target.measure = measure
    counting_firms = measure == TargetMeasure.FIRMS
    target.tier_at_least = (data.tier_at_least or None) if counting_firms else None
    target.designations = sorted(set(data.designations)) if counting_firms else []
    target.figure = None if counting_firms else data.figure
    target.is_per_year = False if counting_firms else data.is_per_year
    target.since_year = None if counting_firms or data.is_per_year else data.since_year


def _problems(data: TargetInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {
        name: [_("Enter a title.")]
        for name in ("title_zh", "title_en")
        if not getattr(data, name).strip()
    }
    if data.goal is None or data.goal < 1:
        errors["goal"] = [_("A whole number of 1 or more.")]
    if data.deadline is None or data.deadline < PLAN_START:
        errors["deadline"] = [_("A date on or after %(day)s.", day=PLAN_START.isoformat())]
    if data.owner and by_slug(Department, data.owner) is None:
        errors["owner"] = [_("No such department.")]
    if data.measure not in {m.value for m in TargetMeasure}:
        errors["measure"] = [_("Choose what the target counts.")]
    elif data.measure == TargetMeasure.FIRMS:
        if data.tier_at_least and data.tier_at_least not in {t.value for t in Tier}:
            errors["tier_at_least"] = [_("Not a tier.")]
        if set(data.designations) - {d.value for d in Designation}:
            errors["designations"] = [_("Not a designation.")]
        if not (data.tier_at_least or data.designations):
            errors["tier_at_least"] = [_("Choose a tier, designations, or both.")]
    else:
        if data.figure not in SUMMABLE_FIGURES:
            errors["figure"] = [_("Choose the yearly figure to sum.")]
        if not data.is_per_year and (data.since_year is None or data.since_year < 2000):
            errors["since_year"] = [_("The first year counted, e.g. 2025.")]
    return errors

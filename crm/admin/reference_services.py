"""Admins keep the reference data's names current; slugs never change once used."""

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from crm.audit import diff, record_change, snapshot
from crm.errors import InvalidInputError, StaleEditError
from models import Department, IndustryTrack, SubDistrict, User, Zone, db
from models.reference import ReferenceMixin

# The kinds an admin may edit, by the name used in URLs. Sub-districts and zones are fixed by the
# district's administrative map, so only their names can change; tracks and departments can grow.
REFERENCE_KINDS: dict[str, type[ReferenceMixin]] = {
    "sub_districts": SubDistrict,
    "zones": Zone,
    "tracks": IndustryTrack,
    "departments": Department,
}
EXTENSIBLE_KINDS = ("tracks", "departments")
SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
NAME_FIELDS = ("name_zh", "name_en")


@dataclass
class ReferenceInput:
    name_zh: str
    name_en: str
    slug: str = ""


def rows_of(kind: str) -> list[ReferenceMixin]:
    model = REFERENCE_KINDS[kind]
    return list(db.session.scalars(select(model).order_by(model.position)))


def rename_reference(
    actor: User, kind: str, row: ReferenceMixin, data: ReferenceInput, seen_version: int
) -> None:
    if seen_version != row.version_id:
        raise StaleEditError(_("Someone else saved this name after you opened it."))
    errors = _name_problems(data)
    if errors:
        raise InvalidInputError(errors)
    before = snapshot(row, NAME_FIELDS)
    row.name_zh, row.name_en = data.name_zh.strip(), data.name_en.strip()
    db.session.flush()
    if changes := diff(before, snapshot(row, NAME_FIELDS)):
        record_change(actor, "update", kind, row.id, changes)


def add_reference(actor: User, kind: str, data: ReferenceInput) -> ReferenceMixin:
    model = REFERENCE_KINDS[kind]
    errors = _name_problems(data)
    slug = data.slug.strip().lower()
    if kind not in EXTENSIBLE_KINDS:
        errors["slug"] = [_("This list is fixed by the district's administrative map.")]
    elif not SLUG_PATTERN.match(slug):
        errors["slug"] = [
            _("2-40 lower-case letters, digits or underscores, starting with a letter.")
        ]
    elif db.session.scalar(select(model.id).where(model.slug == slug)) is not None:
        errors["slug"] = [_("This slug is taken.")]
    if errors:
        raise InvalidInputError(errors)
    position = len(rows_of(kind))
    row = model(slug=slug, name_zh=data.name_zh.strip(), name_en=data.name_en.strip())  # type: ignore[call-arg]
    row.position = position
    db.session.add(row)
    db.session.flush()
    record_change(actor, "create", kind, row.id, diff({}, snapshot(row, ("slug", *NAME_FIELDS))))
    return row


def _name_problems(data: ReferenceInput) -> dict[str, list[str]]:
    return {name: [_("Enter a name.")] for name in NAME_FIELDS if not getattr(data, name).strip()}

"""Reference data: loaded from seed_data/ (idempotent) and looked up by slug."""

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from sqlalchemy import select

from crm.clock import utcnow
from crm.config import PROJECT_ROOT
from models import (
    CategoryRoute,
    Department,
    IndustryTrack,
    InstrumentUnit,
    PolicyInstrument,
    RequestCategory,
    SubDistrict,
    Target,
    TargetMeasure,
    Zone,
    db,
)
from models.reference import ReferenceMixin

SEED_DATA = PROJECT_ROOT / "seed_data"
REFERENCE_FILES: dict[type[ReferenceMixin], str] = {
    SubDistrict: "sub_districts.csv",
    Zone: "zones.csv",
    IndustryTrack: "industry_tracks.csv",
    Department: "departments.csv",
}

R = TypeVar("R", bound=ReferenceMixin)


def read_seed_csv(name: str, folder: Path = SEED_DATA) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_reference_data(folder: Path = SEED_DATA) -> int:
    """Insert the rows that are missing, by slug; returns how many were added.

    Existing rows are left alone: admins may have renamed them or changed a route since.
    """
    added = 0
    for model, file_name in REFERENCE_FILES.items():
        existing = set(db.session.scalars(select(model.slug)))
        for position, values in enumerate(read_seed_csv(file_name, folder)):
            if values["slug"] not in existing:
                db.session.add(
                    model(  # type: ignore[call-arg]
                        slug=values["slug"],
                        name_zh=values["name_zh"],
                        name_en=values["name_en"],
                        position=position,
                    )
                )
                added += 1
    db.session.flush()
    return (
        added
        + _load_policy_catalogue(folder)
        + _load_category_routes(folder)
        + _load_targets(folder)
    )


def _load_policy_catalogue(folder: Path) -> int:
    existing = set(db.session.scalars(select(PolicyInstrument.slug)))
    departments = {row.slug: row for row in all_of(Department)}
    rows = [
        PolicyInstrument(
            slug=values["slug"],
            name_zh=values["name_zh"],
            name_en=values["name_en"],
            department=departments[values["department"]],
            unit=InstrumentUnit(values["unit"]),
            ceiling=Decimal(values["ceiling"]) if values["ceiling"] else None,
            position=position,
        )
        for position, values in enumerate(read_seed_csv("policy_instruments.csv", folder))
        if values["slug"] not in existing
    ]
    db.session.add_all(rows)
    db.session.flush()
    return len(rows)


def _load_category_routes(folder: Path) -> int:
    existing = set(db.session.scalars(select(CategoryRoute.category)))
    departments = {row.slug: row for row in all_of(Department)}
    rows = [
        CategoryRoute(
            category=RequestCategory(values["category"]),
            department=departments[values["department"]],
            due_days=int(values["due_days"]),
        )
        for values in read_seed_csv("category_routes.csv", folder)
        if RequestCategory(values["category"]) not in existing
    ]
    db.session.add_all(rows)
    db.session.flush()
    return len(rows)


def _load_targets(folder: Path) -> int:
    """The action plan's targets; an archived one stays archived (its key is still taken)."""
    existing = set(db.session.scalars(select(Target.key)))
    departments = {row.slug: row for row in all_of(Department)}
    now = utcnow()
    rows = [
        Target(
            key=values["key"],
            title_zh=values["title_zh"],
            title_en=values["title_en"],
            goal=int(values["goal"]),
            deadline=date.fromisoformat(values["deadline"]),
            owner=departments.get(values["owner"]),
            measure=TargetMeasure(values["measure"]),
            tier_at_least=values["tier_at_least"] or None,
            designations=values["designations"].split(),
            figure=values["figure"] or None,
            is_per_year=values["is_per_year"] == "1",
            since_year=int(values["since_year"]) if values["since_year"] else None,
            position=position,
            created_at=now,
            updated_at=now,
        )
        for position, values in enumerate(read_seed_csv("targets.csv", folder))
        if values["key"] not in existing
    ]
    db.session.add_all(rows)
    db.session.flush()
    return len(rows)


def all_of(model: type[R]) -> list[R]:
    return list(db.session.scalars(select(model).order_by(model.position)))


def by_slug(model: type[R], slug: str | None) -> R | None:
    if not slug:
        return None
    return db.session.scalar(select(model).where(model.slug == slug))

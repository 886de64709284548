"""Reference data: loaded from seed_data/ (idempotent) and looked up by slug."""

import csv
from pathlib import Path
from typing import TypeVar

from sqlalchemy import select

from crm.config import PROJECT_ROOT
from models import Department, IndustryTrack, SubDistrict, Zone, db
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
    """Insert missing rows and refresh names; slugs are stable keys. Returns rows added."""
    added = 0
    for model, file_name in REFERENCE_FILES.items():
        existing = {row.slug: row for row in db.session.scalars(select(model))}
        for position, values in enumerate(read_seed_csv(file_name, folder)):
            row = existing.get(values["slug"])
            if row is None:
                row = model(slug=values["slug"])  # type: ignore[call-arg]
                db.session.add(row)
                added += 1
            row.name_zh, row.name_en, row.position = values["name_zh"], values["name_en"], position
    db.session.flush()
    return added


def all_of(model: type[R]) -> list[R]:
    return list(db.session.scalars(select(model).order_by(model.position)))


def by_slug(model: type[R], slug: str | None) -> R | None:
    if not slug:
        return None
    return db.session.scalar(select(model).where(model.slug == slug))

"""A benchmark reservoir: synthetic firms written with Core bulk inserts, and a Core facts loader.

The demo generator builds ORM objects one by one: right for a demo of a few hundred firms, far too
slow for 100,000. These inserts write the same tables the CRM reads, from the scoring tests'
synthetic firms, so the database holds the histories the training benchmark learns from.
"""

import random
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from itertools import islice
from typing import Any

from sqlalchemy import Table, insert, select

from benchmarks import synthetic
from crm.pipeline.firm_facts import FIGURES
from crm.reference import load_reference_data
from models import (
    Designation,
    EnterpriseStatus,
    IndustryTrack,
    Role,
    SubDistrict,
    User,
    VisitKind,
    Zone,
    db,
)
from scoring.facts import FirmFacts, YearFacts
from scoring.features import existed_before
from scoring.labels import holds_milestone

SEED = 0
FIRMS_PER_BATCH = 5_000
COUNTED_FIGURES = frozenset({"employees", "patents", "pct_applications"})  # integer columns


def table(model: type[Any]) -> Table:
    return model.__table__  # type: ignore[no-any-return]


def scorable_firms(count: int, as_of: date) -> Iterator[FirmFacts]:
    """The first `count` synthetic firms `rescore` scores on `as_of`: founded before it and not
    yet at a milestone, so that `count` firms are scored, not merely stored."""
    rng = random.Random(SEED)  # noqa: S311 - reproducible benchmark data, not a secret
    firm_id = 0
    while count:
        firm_id += 1
        firm = synthetic.firm(rng, firm_id)
        if existed_before(firm, as_of) and not holds_milestone(firm, as_of):
            count -= 1
            yield firm


def fill_reservoir(firm_count: int, as_of: date, written_at: datetime) -> dict[str, int]:
    """Empty the database, then write `firm_count` scorable firms; returns rows per table."""
    db.drop_all()  # a scratch database may hold the tables of an earlier run
    db.create_all()
    load_reference_data()
    context = _places()
    author = db.session.execute(
        insert(table(User)).returning(table(User).c.id),
        {
            "username": "bench",
            "display_name": "Benchmark",
            "password_hash": "!",  # no login: the account only signs the visits
            "role": Role.ADMIN,
            "created_at": written_at,
        },
    ).scalar_one()
    counts: dict[str, int] = defaultdict(int)
    firms = scorable_firms(firm_count, as_of)
    while batch := list(islice(firms, FIRMS_PER_BATCH)):
        for name, rows in _rows(batch, context, author, written_at).items():
            db.session.execute(insert(db.metadata.tables[name]), rows)
            counts[name] += len(rows)
    db.session.commit()
    return dict(counts)


def _places() -> dict[str, Any]:
    """Ids of the synthetic firms' zones and tracks (added, so that a model trained on them meets
    no unknown category), and of one sub-district for every firm."""
    for model, slugs in ((Zone, synthetic.ZONES), (IndustryTrack, synthetic.TRACKS)):
        known = set(db.session.scalars(select(model.slug)))
        rows = [{"slug": s, "name_zh": s, "name_en": s} for s in slugs if s not in known]
        if rows:
            db.session.execute(insert(table(model)), rows)
    return {
        "zones": dict(db.session.execute(select(Zone.slug, Zone.id)).tuples().all()),
        "tracks": dict(
            db.session.execute(select(IndustryTrack.slug, IndustryTrack.id)).tuples().all()
        ),
        "sub_district": db.session.scalars(select(SubDistrict.id)).first(),
    }


def _rows(
    firms: Sequence[FirmFacts], context: dict[str, Any], author: int, written_at: datetime
) -> dict[str, list[dict[str, Any]]]:
    """Rows per table name for a batch of firms; a firm's id is its enterprise id."""
    stamps = {"created_at": written_at, "updated_at": written_at}
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for firm in firms:
        firm_id = firm.firm_id
        rows["enterprises"].append(_enterprise(firm, context) | stamps)
        rows["yearly_figures"] += [_figures(firm_id, year) for year in firm.yearly]
        rows["funding_events"] += [
            {"enterprise_id": firm_id, "closed_on": fact.on, "stage": fact.stage}
            | {"amount": round(fact.amount, 2)}
            for fact in firm.fundings
        ]
        rows["enterprise_designations"] += [
            {"enterprise_id": firm_id, "designation": Designation(fact.designation)}
            | {"awarded_on": fact.on}
            for fact in firm.designations
        ]
        rows["visits"] += [
            {"enterprise_id": firm_id, "visited_on": day, "kind": VisitKind.ON_SITE}
            | {"summary": "", "created_by_id": author}
            | stamps
            for day in firm.visits
        ]
    return rows


def _enterprise(firm: FirmFacts, context: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": firm.firm_id,
        "name": f"Benchmark firm {firm.firm_id}",
        "uscc": f"91310106{firm.firm_id:010d}",  # 18 characters, unique like a real USCC
        "sub_district_id": context["sub_district"],
        "zone_id": context["zones"][firm.zone],
        "track_id": context["tracks"][firm.track],
        "founded_on": firm.founded_on,
        "status": EnterpriseStatus.ACTIVE,
    }


def _figures(firm_id: int, year: YearFacts) -> dict[str, Any]:
    row: dict[str, Any] = {"enterprise_id": firm_id, "year": year.year}
    for name in FIGURES:
        value = getattr(year, name)
        if value is not None:
            value = round(value) if name in COUNTED_FIGURES else round(value, 2)
        row[name] = value
    return row

"""A checked import kept beside its upload: one JSON line per firm, read back a line at a time.

Confirming applies the plan instead of checking the file again, unless a firm it touches changed
since (a new version, or a new firm holding one of its new codes): then the file is checked again.
"""

import json
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, tuple_

from crm.enterprises.importing import LOOKUP_CHUNK, PlannedFirm, in_batches
from models import Enterprise, db

DECIMAL_TAG, DATE_TAG = "$decimal", "$date"  # JSON has neither: values keep their exact type


def _encoded(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {DECIMAL_TAG: str(value)}
    if isinstance(value, date):
        return {DATE_TAG: value.isoformat()}
    return value


def _decoded(value: Any) -> Any:
    if isinstance(value, dict) and DECIMAL_TAG in value:
        return Decimal(value[DECIMAL_TAG])
    if isinstance(value, dict) and DATE_TAG in value:
        return date.fromisoformat(value[DATE_TAG])
    return value


def write_plan(path: Path, plan: Iterable[PlannedFirm]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for firm in plan:
            line = {
                "uscc": firm.uscc,
                "lines": firm.lines,
                "values": {key: _encoded(value) for key, value in firm.values.items()},
                "figures": {
                    str(year): [row, {key: _encoded(v) for key, v in amounts.items()}]
                    for year, (row, amounts) in firm.figures.items()
                },
                "existing_id": firm.existing_id,
                "existing_version": firm.existing_version,
            }
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")


def read_plan(path: Path) -> Iterator[PlannedFirm]:
    with path.open(encoding="utf-8") as handle:
        for text in handle:
            data = json.loads(text)
            yield PlannedFirm(
                uscc=data["uscc"],
                lines=data["lines"],
                values={key: _decoded(value) for key, value in data["values"].items()},
                figures={
                    int(year): (row, {key: _decoded(v) for key, v in amounts.items()})
                    for year, (row, amounts) in data["figures"].items()
                },
                existing_id=data["existing_id"],
                existing_version=data["existing_version"],
            )


def stale_firms(plan: Iterable[PlannedFirm]) -> bool:
    """Whether any firm of the plan changed since its check: one query per chunk of firms."""
    for batch in in_batches(plan, LOOKUP_CHUNK):
        checked = {
            (firm.existing_id, firm.existing_version)
            for firm in batch
            if firm.existing_id is not None
        }
        new_codes = [firm.uscc for firm in batch if firm.existing_id is None]
        if checked:
            unchanged = db.session.scalar(
                select(func.count())
                .select_from(Enterprise)
                .where(
                    tuple_(Enterprise.id, Enterprise.version_id).in_(checked),
                    Enterprise.deleted_at.is_(None),
                )
            )
            if unchanged != len(checked):
                return True
        if new_codes and db.session.scalar(
            select(Enterprise.id).where(Enterprise.uscc.in_(new_codes)).limit(1)
        ):
            return True
    return False

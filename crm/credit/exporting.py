"""A batch as the bank asks for it: its columns, headers and order, the figures as sent."""

from collections.abc import Iterator
from typing import Any

from crm.credit.fields import FIELDS, cell_value
from crm.credit.queries import nomination_query
from crm.export_audit import RowTally
from crm.spreadsheets.tables import SheetColumn, batched, export_table
from crm.spreadsheets.xlsx import SHEET_NAME_FORBIDDEN, SHEET_NAME_LENGTH
from models import NominationBatch, User


def sheet_name(title: str) -> str:
    """The batch's title as Excel allows a sheet's name: 31 characters, none of []:*?/\\."""
    cleaned = SHEET_NAME_FORBIDDEN.sub(" ", title).strip("' ")[:SHEET_NAME_LENGTH].strip()
    return cleaned or "batch"


def batch_columns(batch: NominationBatch) -> list[tuple[str, SheetColumn]]:
    """The bank's format as (field key, column), skipping keys no longer in the registry."""
    return [
        (key, SheetColumn(header, FIELDS[key].kind, 16))
        for key, header in batch.bank.nomination_columns
        if key in FIELDS
    ]


def export_batch(
    user: User,
    batch: NominationBatch,
    locale: str,
    file_format: str,
    tally: RowTally | None = None,
) -> Iterator[bytes]:
    keyed_columns = batch_columns(batch)
    rows = _rows(user, batch, [key for key, _column in keyed_columns])
    columns = [column for _key, column in keyed_columns]
    return export_table(locale, file_format, sheet_name(batch.title), lambda: columns, rows, tally)


def _rows(user: User, batch: NominationBatch, keys: list[str]) -> Iterator[list[Any]]:
    kinds = [FIELDS[key].kind for key in keys]
    for nomination in batched(nomination_query(user, batch.id)):
        figures = nomination.figures or {}
        yield [cell_value(kind, figures.get(key)) for key, kind in zip(keys, kinds, strict=True)]

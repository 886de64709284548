"""A batch as the bank asks for it: its columns, headers and order, the figures as sent."""

from collections.abc import Iterator
from typing import Any

from flask_babel import force_locale

from crm.credit.fields import FIELDS, cell_value
from crm.credit.queries import nomination_query
from crm.export_audit import RowTally
from crm.spreadsheets.tables import SheetColumn, table_chunks
from crm.spreadsheets.xlsx import SHEET_NAME_FORBIDDEN
from models import NominationBatch, User, db

BATCH_SIZE = 500
SHEET_NAME_LENGTH = 31  # Excel's limit on a sheet's name


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
    with force_locale(locale):
        columns = batch_columns(batch)
        rows = _rows(user, batch, [key for key, _column in columns])
        if tally is not None:
            rows = tally.counted(rows)
        sheet = sheet_name(batch.title)
        yield from table_chunks(file_format, sheet, [column for _key, column in columns], rows)


def _rows(user: User, batch: NominationBatch, keys: list[str]) -> Iterator[list[Any]]:
    kinds = [FIELDS[key].kind for key in keys]
    query = nomination_query(user, batch.id).execution_options(yield_per=BATCH_SIZE)
    with db.session.scalars(query) as result:
        for nomination in result:
            figures = nomination.figures or {}
            yield [
                cell_value(kind, figures.get(key)) for key, kind in zip(keys, kinds, strict=True)
            ]

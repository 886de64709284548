"""Lists as CSV or XLSX files: typed columns, cells.py's text rule, one batch of rows in memory.

Every list export writes through here (the reservoir, pipeline, visits, requests, packages): it
yields plain rows in its own order, already translated, and picks a kind per column.
"""

import codecs
import csv
import io
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import force_locale, to_user_timezone
from sqlalchemy import Select

from crm.export_audit import Row, RowTally
from crm.spreadsheets.cells import csv_text, sheet_text
from crm.spreadsheets.xlsx import XlsxColumn, write_xlsx
from models import db

FORMATS = ("csv", "xlsx")
# Bare media types: Werkzeug adds "; charset=utf-8" to every text/* mimetype itself, so naming
# the charset here sent it twice.
MEDIA_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Kinds of column: "text" was typed by people (a CSV cell could start like a formula), "label"
# is ours; the others are numbers or dates with the format below.
NUMBER_FORMATS = {
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "money": "#,##0.00",
    "percent": "0.00",
    "count": "0",
}
# Several values in one cell (participants, red flags), as each language lists them.
LIST_JOINERS = {"zh": "、", "en": "; "}
CSV_ROWS_PER_CHUNK = 1_000
ORM_ROWS_PER_BATCH = 500  # each batch with the firms, people and labels its query loads
FILE_CHUNK_BYTES = 64 * 1024  # of an XLSX file streamed from its temporary file


@dataclass(frozen=True)
class SheetColumn:
    header: str
    kind: str = "text"
    width: int = 14  # characters, at least: a longer header widens its column


def list_joiner(locale: str) -> str:
    return LIST_JOINERS["zh" if locale.startswith("zh") else "en"]


def local_time(moment: datetime | None) -> datetime | None:
    """A stored UTC time on the user's clock (the configured time zone), to the minute."""
    if moment is None:
        return None
    return to_user_timezone(moment).replace(tzinfo=None, second=0, microsecond=0)


def batched(query: Select[Row]) -> Iterator[Row]:
    """The query's ORM rows, read in batches: the session holds them weakly, so memory stays at
    one batch; a download cancelled half-way closes the cursor as it leaves the block."""
    with db.session.scalars(query.execution_options(yield_per=ORM_ROWS_PER_BATCH)) as result:
        yield from result


def export_table(
    locale: str,
    file_format: str,
    sheet_name: str,
    columns: Callable[[], Sequence[SheetColumn]],
    rows: Iterable[list[Any]],
    tally: RowTally | None = None,
) -> Iterator[bytes]:
    """A list export's file in `locale`: the sheet name (a lazy string), the headers and the
    rows are all worded as the file is written; `tally` counts the rows sent."""
    with force_locale(locale):
        counted = rows if tally is None else tally.counted(rows)
        yield from table_chunks(file_format, str(sheet_name), columns(), counted)


def table_chunks(
    file_format: str, sheet_name: str, columns: Sequence[SheetColumn], rows: Iterable[list[Any]]
) -> Iterator[bytes]:
    if file_format == "csv":
        return csv_chunks(columns, rows)
    return xlsx_chunks(sheet_name, columns, rows)


def csv_chunks(columns: Sequence[SheetColumn], rows: Iterable[list[Any]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.header for column in columns])
    # The byte-order mark is how Excel tells UTF-8 from the local code page: Chinese stays legible.
    yield codecs.BOM_UTF8
    cells = [_csv_text if column.kind == "text" else _csv_value for column in columns]
    for count, row in enumerate(rows, start=1):
        writer.writerow([cell(value) for cell, value in zip(cells, row, strict=True)])
        if count % CSV_ROWS_PER_CHUNK == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> bytes:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.encode("utf-8")


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    return sheet_text(str(value))


def _csv_text(value: object) -> str:
    return "" if value is None else csv_text(str(value))


def xlsx_chunks(
    sheet_name: str, columns: Sequence[SheetColumn], rows: Iterable[list[Any]]
) -> Iterator[bytes]:
    """One sheet with a bold, frozen header; strings are inline text, never formulas."""
    formats = [
        XlsxColumn(
            width=max(column.width, display_width(column.header) + 2),
            number_format=NUMBER_FORMATS.get(column.kind),
        )
        for column in columns
    ]
    headers = [column.header for column in columns]
    # A zip is only whole at its end: build it in a temporary file, not in memory, then stream.
    with tempfile.TemporaryFile() as spool:
        write_xlsx(spool, sheet_name, rows, header=headers, columns=formats)
        spool.seek(0)
        while chunk := spool.read(FILE_CHUNK_BYTES):
            yield chunk


def display_width(text: str) -> int:
    """Columns of a monospace grid: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)

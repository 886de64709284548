"""Reading an uploaded CSV or XLSX file into rows, streamed and bounded before anything is kept.

A file is read a row at a time: the header row is found among the top rows (header_row.py),
blank rows are skipped, titles, totals and notes are set aside with the reason, the rows kept
are counted and the file refused at the limit, and every row is cut to the columns its header
names (at most MAX_COLUMNS), so no cell far to the right can make a row of 16,384 cells. XLSX
numbers keep their number format (a NumberCell), so 15.2% is not read as 0.152.
"""

import csv
import io
import warnings
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any
from xml.etree.ElementTree import ParseError

import openpyxl
from flask_babel import gettext as _
from openpyxl.utils.exceptions import InvalidFileException

from crm.enterprises.cells import NumberCell
from crm.enterprises.header_row import (
    HEADER_SEARCH_ROWS,
    MIN_HEADER_MATCHES,
    RowKind,
    TableLayout,
    filled,
    header_matches,
    note_reason,
    row_number_reason,
    title_reason,
    totals_reason,
)
from crm.enterprises.workbook_limits import WorkbookLimits, WorkbookTooLargeError, check_workbook
from crm.errors import DomainError

HEADER_LINE = 1  # where the header is when nothing stands above it; see Sheet.header_line
GENERAL_FORMAT = "General"
# One web request checks the whole file; `flask crm import` takes the whole reservoir.
MAX_ROWS = 10_000
TEMPLATE_COLUMNS = 25  # len(columns.COLUMNS): a test checks they agree
# Twice the template: unknown headers are reported one by one, further right is not a template.
MAX_COLUMNS = 2 * TEMPLATE_COLUMNS
# The csv module's own cap on a cell; a line may not be longer either (a 20 MB line of commas
# would otherwise become millions of cells at once).
MAX_CELL_CHARACTERS = csv.field_size_limit()
UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")
ZIP_MARK = b"PK\x03\x04"
XLSX_FAILURES = (
    zipfile.BadZipFile,
    zlib.error,
    InvalidFileException,
    ParseError,
    KeyError,
    IndexError,
    OSError,
    EOFError,
    ValueError,
    TypeError,
    AttributeError,
)


class ImportFileError(DomainError):
    """The file as a whole cannot be read."""


@dataclass(frozen=True)
class SkippedRow:
    """A line of the file that holds no firm (a title, a totals row, a note), and why it was
    passed over: `reason` is a translated sentence for the preview."""

    line: int
    reason: str


@dataclass(frozen=True)
class Sheet:
    """The table found in a file: its header row, the rows below it, and the lines passed over.

    `header_line` is the header's line as the user sees it (1 when the file starts with it);
    report header problems on it rather than on HEADER_LINE."""

    headers: Sequence[object]
    rows: list[tuple[int, Sequence[object]]]  # (line as the user sees it, cells); none empty
    header_line: int = HEADER_LINE
    skipped: list[SkippedRow] = field(default_factory=list)


def read_sheet(file_name: str, content: bytes, max_rows: int | None = MAX_ROWS) -> Sheet:
    suffix = file_name.rsplit(".", 1)[-1].lower()
    if suffix == "csv":
        return _csv_sheet(content, max_rows)
    if suffix == "xlsx":
        try:
            check_workbook(content, WorkbookLimits.for_rows(max_rows, TEMPLATE_COLUMNS))
            with warnings.catch_warnings():
                # openpyxl warns about parts it skips (data validation, odd styles): none hold data.
                warnings.simplefilter("ignore", UserWarning)
                return _xlsx_sheet(content, max_rows)
        except WorkbookTooLargeError as too_large:
            raise ImportFileError(too_large.message) from None
        except XLSX_FAILURES:
            raise ImportFileError(_("This is not a readable XLSX file.")) from None
    raise ImportFileError(_("Upload a .csv or .xlsx file."))


@dataclass(frozen=True)
class _Header:
    line: int
    cells: Sequence[object]
    width: int
    titles: list[SkippedRow]  # the non-empty rows above it
    # Rows below it already read while looking for it, and the line read last.
    following: list[tuple[int, Sequence[object]]]
    last_line: int


def _find_header(lines: Iterator[tuple[int, Sequence[object]]]) -> _Header:
    """The first of the top non-empty rows naming two known columns; failing that, the first
    non-empty row, so the importer names what its headers lack."""
    above: list[tuple[int, Sequence[object]]] = []
    for line, cells in lines:
        if not any(map(filled, cells)):
            continue
        if header_matches(cells) >= MIN_HEADER_MATCHES:
            titles = [SkippedRow(title_line, title_reason()) for title_line, _cells in above]
            return _Header(line, cells, _header_width(cells), titles, [], line)
        above.append((line, cells))
        if len(above) == HEADER_SEARCH_ROWS:
            break
    if not above:
        raise ImportFileError(_("This file is empty: it needs a row of column headers."))
    (line, cells), following = above[0], above[1:]
    return _Header(line, cells, _header_width(cells), [], following, above[-1][0])


def _table(
    header: _Header, lines: Iterable[tuple[int, Sequence[object]]], max_rows: int | None
) -> Sheet:
    layout = TableLayout.of(header.cells)
    rows: list[tuple[int, Sequence[object]]] = []
    skipped = list(header.titles)
    # Rows that hold no firm only if nothing but notes follows them: held until a firm does.
    held: list[tuple[int, Sequence[object], RowKind]] = []
    for line, cells in lines:
        kind, text = layout.kind(cells)
        if kind == RowKind.EMPTY or line <= header.line:
            continue
        if kind == RowKind.TOTALS:
            skipped.append(SkippedRow(line, totals_reason(text)))
        elif kind == RowKind.ROW_NUMBER_ONLY:
            skipped.append(SkippedRow(line, row_number_reason()))
        elif kind in (RowKind.NOTE, RowKind.LONE_CELL):
            held.append((line, cells, kind))
        else:
            for held_line, held_cells, held_kind in held:
                if held_kind == RowKind.NOTE:
                    skipped.append(SkippedRow(held_line, note_reason(below_the_table=False)))
                else:  # one filled cell among firms: a firm row the importer reports on
                    rows.append((held_line, held_cells))
            held.clear()
            rows.append((line, cells))
        _check_size(len(rows) + len(held), len(skipped), max_rows)
    skipped += [SkippedRow(line, note_reason(below_the_table=True)) for line, _c, _k in held]
    _check_size(len(rows), len(skipped), max_rows)
    skipped.sort(key=lambda row: row.line)
    return Sheet(header.cells, rows, header_line=header.line, skipped=skipped)


def _check_size(rows: int, skipped: int, max_rows: int | None) -> None:
    if max_rows is None:
        return
    if rows > max_rows:
        raise ImportFileError(_("At most %(count)d rows per file.", count=max_rows))
    # A form numbered down to row 500 skips hundreds; as many as the firms it may hold is plenty.
    if skipped > max_rows:
        raise ImportFileError(
            _(
                "More than %(count)d rows of this file hold no firm (totals, notes, empty "
                "numbered rows). Remove them, or upload the sheet that holds the firms.",
                count=max_rows,
            )
        )


def _header_width(header: Sequence[object]) -> int:
    width = max((position + 1 for position, cell in enumerate(header) if filled(cell)), default=0)
    if width > MAX_COLUMNS:
        raise ImportFileError(
            _("The header row has headers beyond column %(count)d.", count=MAX_COLUMNS)
        )
    return width


def _csv_sheet(content: bytes, max_rows: int | None) -> Sheet:
    reader = csv.reader(_bounded_lines(_csv_text(content)))
    try:
        lines = enumerate(reader, start=1)
        header = _find_header(lines)
        width = max(header.width, 1)
        rows = chain(header.following, lines)
        return _table(header, ((line, cells[:width]) for line, cells in rows), max_rows)
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise _line_too_long(reader.line_num) from None
        raise ImportFileError(_("This CSV file is damaged: %(reason)s", reason=error)) from None


def _csv_text(content: bytes) -> str:
    start = content[:4096]
    if content.startswith(UTF16_MARKS) or start.count(0) > len(start) // 4:  # UTF-16, or binary
        raise ImportFileError(_("This file is not UTF-8 text. Save it as “CSV UTF-8”."))
    if content.startswith(ZIP_MARK):
        raise ImportFileError(_("This file is a workbook: keep its .xlsx name."))
    # Excel on a Chinese Windows saves "CSV" in the ANSI code page (GBK, extended by GB18030).
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("Save the file as “CSV UTF-8” and upload it again."))


def _bounded_lines(text: str) -> Iterator[str]:
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if len(line) > MAX_CELL_CHARACTERS:
            raise _line_too_long(number)
        yield line


def _line_too_long(line: int) -> ImportFileError:
    return ImportFileError(
        _(
            "Line %(line)d is longer than %(count)d characters.",
            line=line,
            count=MAX_CELL_CHARACTERS,
        )
    )


def _xlsx_sheet(content: bytes, max_rows: int | None) -> Sheet:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        # Writers may store a wrong size (cutting rows) or a forged one (A1:XFD1048576).
        sheet.reset_dimensions()
        # The top rows are read to their last cell (at most HEADER_SEARCH_ROWS rows of 16,384).
        top = sheet.iter_rows()
        header = _find_header((line, _values(row)) for line, row in enumerate(top, start=1))
        top.close()  # lets go of its read of the sheet
        width = max(header.width, 1)
        following = ((line, cells[:width]) for line, cells in header.following)
        rest = sheet.iter_rows(min_row=header.last_line + 1, max_col=width)
        below = ((line, _values(row)) for line, row in enumerate(rest, start=header.last_line + 1))
        return _table(header, chain(following, below), max_rows)
    finally:
        workbook.close()


def _values(row: Sequence[Any]) -> tuple[object, ...]:
    return tuple(_value(cell) for cell in row)


def _value(cell: Any) -> object:
    """A cell's value; a number keeps its format, which may make 0.152 read 15.2%."""
    value = cell.value
    if isinstance(value, int | float) and not isinstance(value, bool):
        number_format = getattr(cell, "number_format", None) or GENERAL_FORMAT
        if number_format != GENERAL_FORMAT:
            return NumberCell(value, number_format)
    return value

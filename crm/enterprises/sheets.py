"""Reading an uploaded CSV or XLSX file into rows, streamed and bounded before anything is kept.

A file is read a row at a time: blank rows are skipped, the rows kept are counted and the file
refused at the limit, and every row is cut to the columns its header names (at most
MAX_COLUMNS), so no cell far to the right can make a row of 16,384 cells.
"""

import csv
import io
import warnings
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

import openpyxl
from flask_babel import gettext as _
from openpyxl.utils.exceptions import InvalidFileException

from crm.enterprises.workbook_limits import WorkbookLimits, WorkbookTooLargeError, check_workbook
from crm.errors import DomainError

HEADER_LINE = 1
# One web request checks the whole file; `flask crm import` takes the whole reservoir.
MAX_ROWS = 10_000
TEMPLATE_COLUMNS = 25  # len(columns.COLUMNS), which imports this module (a test checks)
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
        return _kept_rows(_csv_rows(content), max_rows)
    if suffix == "xlsx":
        try:
            check_workbook(content, WorkbookLimits.for_rows(max_rows, TEMPLATE_COLUMNS))
            with warnings.catch_warnings():
                # openpyxl warns about parts it skips (data validation, odd styles): none hold data.
                warnings.simplefilter("ignore", UserWarning)
                return _kept_rows(_xlsx_rows(content), max_rows)
        except WorkbookTooLargeError as too_large:
            raise ImportFileError(too_large.message) from None
        except XLSX_FAILURES:
            raise ImportFileError(_("This is not a readable XLSX file.")) from None
    raise ImportFileError(_("Upload a .csv or .xlsx file."))


def filled(cell: object) -> bool:
    return cell is not None and str(cell).strip() != ""


def _kept_rows(lines: Iterable[tuple[int, Sequence[object]]], max_rows: int | None) -> Sheet:
    rows: list[tuple[int, Sequence[object]]] = []
    for line, cells in lines:
        if not any(map(filled, cells)):
            continue
        if not rows and line != HEADER_LINE:
            break
        if max_rows is not None and len(rows) > max_rows:  # the header and max_rows rows
            raise ImportFileError(_("At most %(count)d rows per file.", count=max_rows))
        rows.append((line, cells))
    if not rows:
        raise ImportFileError(_("The first line must hold the column headers."))
    return Sheet(headers=rows[0][1], rows=rows[1:])


def _header_width(header: Sequence[object]) -> int:
    width = max((position + 1 for position, cell in enumerate(header) if filled(cell)), default=0)
    if width > MAX_COLUMNS:
        raise ImportFileError(
            _("The first line has headers beyond column %(count)d.", count=MAX_COLUMNS)
        )
    return width


def _csv_rows(content: bytes) -> Iterator[tuple[int, Sequence[object]]]:
    reader = csv.reader(_bounded_lines(_csv_text(content)))
    width = MAX_COLUMNS
    try:
        for line, cells in enumerate(reader, start=1):
            if line == HEADER_LINE:
                width = _header_width(cells)
            yield line, cells[:width]
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


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, Sequence[object]]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        # Writers may store a wrong size (cutting rows) or a forged one (A1:XFD1048576).
        sheet.reset_dimensions()
        # The header row alone is read to its last cell: one row, at most 16,384 cells.
        first = sheet.iter_rows(max_row=HEADER_LINE, values_only=True)
        header = next(first, ())
        first.close()  # lets go of its read of the sheet
        width = _header_width(header)
        yield HEADER_LINE, header[:width]
        rows = sheet.iter_rows(min_row=HEADER_LINE + 1, max_col=max(width, 1), values_only=True)
        yield from enumerate(rows, start=HEADER_LINE + 1)
    finally:
        workbook.close()

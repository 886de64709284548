"""Exporting the filtered reservoir to CSV or XLSX, in the layout that imports back unchanged."""

import csv
import io
import unicodedata
from datetime import date
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from crm.enterprises.columns import (
    COLUMNS,
    DESIGNATION_JOINERS,
    DESIGNATION_SEPARATORS,
    YES_NO,
    Column,
    escape_formula,
    language,
)
from crm.enterprises.figures import FIGURE_FIELDS
from crm.enterprises.queries import ReservoirFilter, reservoir_query, with_list_columns
from crm.labels import label
from models import Enterprise, User, db

FORMATS = ("csv", "xlsx")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
NUMBER_FORMATS = {"date": "yyyy-mm-dd", "money": "#,##0.00", "percent": "0.00", "count": "0"}


def export_reservoir(user: User, filters: ReservoirFilter, locale: str, file_format: str) -> bytes:
    """The firms of the user's filtered list, one row each with its latest year's figures."""
    query = with_list_columns(reservoir_query(user, filters))
    with force_locale(locale):
        rows = [row_values(enterprise, locale) for enterprise in db.session.scalars(query)]
        if file_format == "csv":
            return csv_bytes(locale, rows)
        return xlsx_bytes(locale, rows)


def import_template(locale: str) -> bytes:
    """An empty sheet with the headers, for filling in by hand."""
    with force_locale(locale):
        return xlsx_bytes(locale, [])


def row_values(enterprise: Enterprise, locale: str) -> list[Any]:
    """Typed cells of one firm; labels come out in the active Babel locale."""
    yes, no = YES_NO[language(locale)]
    values: dict[str, Any] = {
        "uscc": enterprise.uscc,
        "name": enterprise.name,
        "sub_district": enterprise.sub_district.name_for(locale),
        "zone": enterprise.zone.name_for(locale),
        "track": enterprise.track.name_for(locale),
        "address": enterprise.address,
        "founded_on": enterprise.founded_on,
        "registered_capital": enterprise.registered_capital,
        "tier": label(enterprise.tier),
        "designations": _designations(enterprise, locale),
        "in_hundred_enterprises_plan": yes if enterprise.in_hundred_enterprises_plan else no,
        "manager": enterprise.manager.username if enterprise.manager else None,
        "status": label(enterprise.status),
        "notes": enterprise.notes,
    }
    if (latest := enterprise.latest_figures) is not None:
        values["year"] = latest.year
        values |= {name: getattr(latest, name) for name in FIGURE_FIELDS}
    return [values.get(column.key) for column in COLUMNS]


def _designations(enterprise: Enterprise, locale: str) -> str:
    words = []
    for designation in enterprise.designations:
        text = label(designation)
        # A label holding a separator would split apart on import; the plain value never does.
        words.append(designation.value if DESIGNATION_SEPARATORS.search(text) else text)
    return DESIGNATION_JOINERS[language(locale)].join(words)


def csv_bytes(locale: str, rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.header(locale) for column in COLUMNS])
    for row in rows:
        writer.writerow(
            [_csv_cell(value, column) for value, column in zip(row, COLUMNS, strict=True)]
        )
    # The byte-order mark is how Excel tells UTF-8 from the local code page: Chinese stays legible.
    return buffer.getvalue().encode("utf-8-sig")


def _csv_cell(value: object, column: Column) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if column.kind == "text":  # typed by people, so it could start like a formula
        return escape_formula(str(value))
    return str(value)


def xlsx_bytes(locale: str, rows: list[list[Any]]) -> bytes:
    workbook = Workbook(write_only=True)  # streams rows out: thousands of firms stay light
    sheet = workbook.create_sheet(_("Firms"))
    sheet.freeze_panes = "A2"
    for position, column in enumerate(COLUMNS, start=1):
        width = max(column.width, _display_width(column.header(locale)) + 2)
        sheet.column_dimensions[get_column_letter(position)].width = width
    bold = Font(bold=True)
    sheet.append([_styled(sheet, column.header(locale), font=bold) for column in COLUMNS])
    for row in rows:
        sheet.append(
            [_xlsx_cell(sheet, value, column) for value, column in zip(row, COLUMNS, strict=True)]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: object, column: Column) -> object:
    if isinstance(value, str):
        return _styled(sheet, ILLEGAL_CHARACTERS_RE.sub("", value))  # XML forbids control chars
    if value is not None and column.kind in NUMBER_FORMATS:
        return _styled(sheet, value, number_format=NUMBER_FORMATS[column.kind])
    return value


def _styled(sheet: WriteOnlyWorksheet, value: object, **style: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # openpyxl would store it as a formula; it is a name or a note
    return cell


def _display_width(text: str) -> int:
    """Columns of a monospace grid: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)

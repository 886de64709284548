"""The dashboard as an XLSX workbook: one sheet per section, titled and dated."""

import re
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from crm.dashboard.report import Cell, FirmLink, Section
from crm.enterprises.file_format import escape_formula

TITLE_ROWS = 3  # title, scope line, blank


def _cell(value: Cell) -> str | int | float | None:
    if isinstance(value, FirmLink | str):
        # A firm named "=HYPERLINK(...)" stays text, and XML forbids control characters.
        return _text(str(value))
    return value


def _text(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", escape_formula(text))


def _sheet_name(section: Section, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    name = re.sub(r"[\[\]:*?/\\]", " ", section.title).strip()[:31] or section.key[:31]
    return name if name not in taken else section.key[:31]


def workbook_of(title: str, scope: str, sections: list[Section]) -> BytesIO:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for section in sections:
        sheet = workbook.create_sheet(_sheet_name(section, set(workbook.sheetnames)))
        sheet.append([_text(title)])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([_text(f"{section.title} · {scope}")])
        sheet.append([])
        for table in section.tables:
            sheet.append([_text(table.title)])
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
            sheet.append([_text(column) for column in table.columns])
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
            for row in table.rows:
                sheet.append([_cell(value) for value in row])
                for index in table.percent_columns:
                    sheet.cell(row=sheet.max_row, column=index + 1).number_format = "0.0%"
            if table.note:
                sheet.append([_text(table.note)])
                sheet.cell(row=sheet.max_row, column=1).font = Font(italic=True)
            sheet.append([])
        for column in range(1, sheet.max_column + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 16
        sheet.column_dimensions["A"].width = 36
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer

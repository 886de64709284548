"""The dashboard as an XLSX workbook: one sheet per section, titled and dated."""

from collections.abc import Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from crm.dashboard.report import Cell, FirmLink, Section
from crm.spreadsheets.cells import sheet_text
from crm.spreadsheets.xlsx import SHEET_NAME_FORBIDDEN


def _append(sheet: Worksheet, values: Sequence[Cell]) -> None:
    """A row by crm.spreadsheets.cells' rule: text stays text, a firm named "=HYPERLINK(...)"
    too (openpyxl reads a string starting with "=" as a formula unless told otherwise)."""
    sheet.append([sheet_text(str(v)) if isinstance(v, FirmLink | str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def _sheet_name(section: Section, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    name = SHEET_NAME_FORBIDDEN.sub(" ", section.title).strip()[:31] or section.key[:31]
    return name if name not in taken else section.key[:31]


def workbook_of(title: str, scope: str, sections: list[Section]) -> BytesIO:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for section in sections:
        sheet = workbook.create_sheet(_sheet_name(section, set(workbook.sheetnames)))
        _append(sheet, [title])
        sheet["A1"].font = Font(bold=True, size=14)
        _append(sheet, [f"{section.title} · {scope}"])
        sheet.append([])
        for table in section.tables:
            _append(sheet, [table.title])
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
            _append(sheet, table.columns)
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
            for row in table.rows:
                _append(sheet, row)
                for index in table.percent_columns:
                    sheet.cell(row=sheet.max_row, column=index + 1).number_format = "0.0%"
            if table.note:
                _append(sheet, [table.note])
                sheet.cell(row=sheet.max_row, column=1).font = Font(italic=True)
            sheet.append([])
        for column in range(1, sheet.max_column + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 16
        sheet.column_dimensions["A"].width = 36
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer

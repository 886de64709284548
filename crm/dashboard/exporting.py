"""The dashboard as an XLSX workbook: one sheet per section, titled and dated."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from crm.dashboard.report import Cell, FirmLink, Section

TITLE_ROWS = 3  # title, scope line, blank


def _cell(value: Cell) -> str | int | float | None:
    return str(value) if isinstance(value, FirmLink) else value


def workbook_of(title: str, scope: str, sections: list[Section]) -> BytesIO:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for section in sections:
        sheet = workbook.create_sheet(section.title[:31])  # Excel's limit on sheet names
        sheet.append([title])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([f"{section.title} · {scope}"])
        sheet.append([])
        for table in section.tables:
            sheet.append([table.title])
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
            sheet.append(table.columns)
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
            for row in table.rows:
                sheet.append([_cell(value) for value in row])
                for index in table.percent_columns:
                    sheet.cell(row=sheet.max_row, column=index + 1).number_format = "0.0%"
            if table.note:
                sheet.append([table.note])
                sheet.cell(row=sheet.max_row, column=1).font = Font(italic=True)
            sheet.append([])
        for column in range(1, sheet.max_column + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 16
        sheet.column_dimensions["A"].width = 36
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer

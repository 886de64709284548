"""The streaming XLSX writer on its own: what openpyxl reads back from its files."""

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest

from crm.spreadsheets.xlsx import XlsxColumn, write_xlsx


def written(rows, **options) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(buffer, options.pop("sheet_name", "Sheet"), rows, **options)
    return buffer.getvalue()


def test_cells_keep_their_values_types_and_formats():
    columns = [
        XlsxColumn(width=20),
        XlsxColumn(number_format="#,##0.00"),
        XlsxColumn(number_format="yyyy-mm-dd"),
        XlsxColumn(),
    ]
    rows = [
        ["名称 & <b>", Decimal("2500.50"), date(2016, 7, 1), 7],
        [None, 1.5, datetime(2026, 3, 2, 12, 0), True],
    ]

    content = written(rows, header=["Name", "Money", "Day", "Count"], columns=columns)

    sheet = openpyxl.load_workbook(io.BytesIO(content))["Sheet"]
    assert list(sheet.iter_rows(values_only=True)) == [
        ("Name", "Money", "Day", "Count"),
        ("名称 & <b>", 2500.5, datetime(2016, 7, 1), 7),
        (None, 1.5, datetime(2026, 3, 2, 12, 0), True),
    ]
    assert [sheet.cell(2, n).number_format for n in (1, 2, 3, 4)] == [
        "General",
        "#,##0.00",
        "yyyy-mm-dd",
        "General",
    ]
    assert [cell.font.b for cell in sheet[1]] == [True] * 4
    assert not any(cell.font.b for cell in sheet[2])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 20


def test_strings_are_text_never_formulas_and_lose_what_xml_forbids():
    rows = [['=HYPERLINK("http://x")', "+1", "a\x00b\x07c\x1b", "line\r\nnext", "  padded  "]]

    content = written(rows)

    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert [cell.data_type for cell in sheet[1]] == ["s"] * 5
    assert [cell.value for cell in sheet[1]] == [
        '=HYPERLINK("http://x")',
        "+1",
        "abc",
        "line\r\nnext",
        "  padded  ",
    ]
    assert sheet.freeze_panes is None


def test_a_sheet_without_rows_is_a_valid_workbook():
    sheet = openpyxl.load_workbook(io.BytesIO(written([], sheet_name="空"))).active

    assert sheet.title == "空"
    assert list(sheet.iter_rows(values_only=True)) == []


def test_numbers_excel_cannot_hold_and_values_it_has_no_cell_for():
    sheet = openpyxl.load_workbook(io.BytesIO(written([[float("nan"), float("inf"), 1]]))).active
    assert list(sheet.iter_rows(values_only=True)) == [(None, None, 1)]

    with pytest.raises(TypeError, match="object"):
        written([[object()]])


@pytest.mark.parametrize("name", ["", "a" * 32, "Q1/Q2", "[x]"])
def test_sheet_names_excel_refuses_are_refused(name):
    with pytest.raises(ValueError, match="sheet name"):
        written([], sheet_name=name)

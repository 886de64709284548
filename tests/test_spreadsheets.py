"""Every spreadsheet we write applies crm.spreadsheets.cells' one rule to a hostile text cell."""

import io
from collections.abc import Callable

import openpyxl
import pytest

from crm.dashboard.exporting import workbook_of
from crm.dashboard.report import FirmLink, Section, Table
from crm.enterprises.exporting import export_reservoir
from crm.enterprises.queries import ReservoirFilter
from crm.spreadsheets.cells import csv_text, unescape_formula
from crm.spreadsheets.tables import SheetColumn, table_chunks
from crm.visits.exporting import export_visits
from crm.visits.queries import VisitFilter
from tests.factories import EnterpriseFactory, UserFactory
from tests.spreadsheets import csv_rows, xlsx_rows
from tests.visits.helpers import logged, on_site

HOSTILE = '=HYPERLINK("http://evil")\x00\x07\ufffe'
SHOWN = '=HYPERLINK("http://evil")'  # what XML 1.0 may hold: the control characters go
# As a stored name: PostgreSQL cannot hold a NUL (the input checks refuse one before it gets there).
STORED_HOSTILE = HOSTILE.replace("\x00", "")


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+86 转账", "'+86 转账"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\r=1", "'\r=1"),
        ("a\x00b\x0bc", "abc"),
        ("\x00=1", "'=1"),
        ("plain", "plain"),
    ],
)
def test_csv_text_quotes_formula_starts_and_drops_what_xml_forbids(text, written):
    assert csv_text(text) == written
    assert unescape_formula(written) == written.removeprefix("'")


def list_export(file_format: str) -> Callable[[], bytes]:
    columns = [SheetColumn("Name"), SheetColumn("Label", "label")]
    return lambda: b"".join(table_chunks(file_format, "Sheet", columns, [[HOSTILE, HOSTILE]]))


def test_the_list_writer_keeps_text_text_in_csv_and_xlsx(app):
    [as_csv] = csv_rows(list_export("csv")())
    [as_xlsx] = xlsx_rows(list_export("xlsx")())

    assert as_csv == {"Name": "'" + SHOWN, "Label": SHOWN}  # only typed text is quoted
    assert as_xlsx == {"Name": SHOWN, "Label": SHOWN}  # inline strings never run


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_reservoir_and_visit_exports_write_a_hostile_name_by_the_rule(manager, file_format):
    admin = UserFactory(role="admin")
    firm = EnterpriseFactory(name=STORED_HOSTILE, manager=manager)
    logged(manager, firm, on_site())
    expected = "'" + SHOWN if file_format == "csv" else SHOWN
    read = csv_rows if file_format == "csv" else xlsx_rows

    reservoir = read(export_reservoir(admin, ReservoirFilter(), "en", file_format))
    visits = read(b"".join(export_visits(manager, VisitFilter(), "en", file_format)))

    assert [row["Registered name"] for row in reservoir] == [expected]
    assert [row["Firm"] for row in visits] == [expected]


def test_the_dashboard_workbook_writes_hostile_text_as_text(app):
    table = Table("moves", HOSTILE, [HOSTILE], [[FirmLink(1, HOSTILE)], [HOSTILE]], note=HOSTILE)

    content = workbook_of(HOSTILE, HOSTILE, [Section("moves", "Moves", [table])]).getvalue()

    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert {cell.value for cell in cells} == {SHOWN, f"Moves · {SHOWN}"}
    assert {cell.data_type for cell in cells} == {"s"}

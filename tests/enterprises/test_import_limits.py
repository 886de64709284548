"""Crafted spreadsheets (issue 14): each is refused in clear words, or read within bounds."""

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from crm.enterprises.file_format import COLUMNS
from crm.enterprises.importing import import_sheet
from crm.enterprises.sheets import MAX_COLUMNS, TEMPLATE_COLUMNS, ImportFileError, read_sheet
from models import AuditEntry, Enterprise, ImportIssue, db
from tests.enterprises.import_steps import upload
from tests.enterprises.test_importing import NOW, csv_file
from tests.factories import valid_uscc
from tests.helpers import log_in, row_count

ROOT = Path(__file__).resolve().parents[2]
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
BOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def workbook(
    sheet_rows: str, extra_parts: dict[str, str | bytes] | None = None, sheets: int = 1
) -> bytes:
    """An XLSX file written part by part, so each part can say what a real writer never would."""
    sheet_list = "".join(
        f'<sheet name="S{n}" sheetId="{n}" r:id="rId{n}"/>' for n in range(1, sheets + 1)
    )
    sheet_relations = "".join(
        f'<Relationship Id="rId{n}" Type="{OFFICE}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, sheets + 1)
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{SHEET_TYPE}"/>'
        for n in range(1, sheets + 1)
    )
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": f'<Types xmlns="{CONTENT_TYPES}">'
        '<Default Extension="rels" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{BOOK_TYPE}"/>{overrides}</Types>',
        "_rels/.rels": f'<Relationships xmlns="{RELATIONS}"><Relationship Id="rId1" '
        f'Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}"><sheets>{sheet_list}'
        "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{RELATIONS}">{sheet_relations}'
        "</Relationships>",
    }
    for n in range(1, sheets + 1):
        parts[f"xl/worksheets/sheet{n}.xml"] = (
            f'<worksheet xmlns="{MAIN}"><dimension ref="A1:XFD1048576"/>'
            f"<sheetData>{sheet_rows if n == 1 else ''}</sheetData></worksheet>"
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in (parts | (extra_parts or {})).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def text_cell(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def header_row(*headers: str) -> str:
    cells = "".join(text_cell(f"{chr(65 + i)}1", header) for i, header in enumerate(headers))
    return f'<row r="1">{cells}</row>'


def far_right_rows(count: int) -> str:
    """A code in column A and a cell at XFD, the last column Excel has, on every row."""
    return "".join(
        f'<row r="{line}">{text_cell(f"A{line}", valid_uscc(700000 + line))}'
        f'<c r="XFD{line}"><v>1</v></c></row>'
        for line in range(2, count + 2)
    )


def refusal(content: bytes, file_name: str = "firms.xlsx", max_rows: int | None = 100) -> str:
    with pytest.raises(ImportFileError) as refused:
        read_sheet(file_name, content, max_rows=max_rows)
    return refused.value.message


def test_the_template_has_as_many_columns_as_the_reader_bounds_rows_by():
    assert len(COLUMNS) == TEMPLATE_COLUMNS


def test_a_cell_far_to_the_right_is_cut_off_at_the_last_header(app):
    content = workbook(header_row("uscc", "name") + far_right_rows(3))

    sheet = read_sheet("firms.xlsx", content)

    assert [len(cells) for _line, cells in sheet.rows] == [2, 2, 2]
    assert [line for line, _cells in sheet.rows] == [2, 3, 4]


def test_more_rows_than_the_limit_are_refused(app):
    content = workbook(header_row("uscc") + far_right_rows(101))

    assert refusal(content, max_rows=100) == "At most 100 rows per file."


def test_headers_far_beyond_the_template_are_refused(app):
    content = workbook('<row r="1">' + text_cell("XFD1", "uscc") + "</row>")

    assert str(MAX_COLUMNS) in refusal(content)


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("zip bomb", {"xl/padding.xml": b" " * 4 * 1024 * 1024}, "unpacks to far more"),
        ("too many parts", {f"xl/media/{n}.bin": b"x" for n in range(600)}, "too many parts"),
        (
            "a million styles",
            {
                "xl/styles.xml": f'<styleSheet xmlns="{MAIN}"><cellXfs>'
                + "<xf/>" * 60_000
                + "</cellXfs></styleSheet>"
            },
            "too many cell texts or styles",
        ),
        (
            "too many shared strings",
            {
                "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}">'
                + "<si><t>a</t></si>" * 30_000
                + "</sst>"
            },
            "too many cell texts or styles",
        ),
    ],
)
def test_a_workbook_with_a_bomb_in_another_part_is_refused_before_it_is_opened(
    app, name, content, words
):
    crafted = workbook(header_row("uscc"), content)

    assert words in refusal(crafted, max_rows=1_000)


def test_a_workbook_of_too_many_sheets_is_refused(app):
    assert "sheets" in refusal(workbook(header_row("uscc"), sheets=70))


def test_a_worksheet_that_unpacks_past_its_budget_is_refused(app):
    content = workbook(header_row("uscc") + far_right_rows(50_000))

    assert "unpacks to more than" in refusal(content, max_rows=1_000)


@pytest.mark.parametrize(
    ("file_name", "content", "words"),
    [
        ("firms.xlsx", b"PK\x03\x04 not really", "not a readable XLSX"),
        ("firms.xlsx", workbook(header_row("uscc"))[:-30], "not a readable XLSX"),
        ("firms.csv", b"uscc," + b"x" * 200_000 + b"\n", "Line 1 is longer than"),
        (
            "firms.csv",
            b'uscc\n"' + b"x" * 100 + b"\n" * 2_000 + b'"\n' + b"y" * 140_000,
            "longer than",
        ),
        ("firms.csv", "uscc,name\n".encode("utf-16"), "not UTF-8 text"),
        ("firms.csv", workbook(header_row("uscc")), "keep its .xlsx name"),
        ("firms.csv", b"\n\n,\n", "needs a row of column headers"),
        ("firms.txt", b"uscc\n", "Upload a .csv or .xlsx file"),
    ],
)
def test_an_unreadable_file_is_refused_in_clear_words(app, file_name, content, words):
    assert words in refusal(content, file_name)


def test_a_nul_or_control_character_in_a_cell_is_an_error_on_its_row_and_column(admin):
    content = csv_file(
        "uscc,name,address",
        f"{valid_uscc(800001)},上海\x00科技有限公司,大宁路1号",
        f"{valid_uscc(800002)},上海科技有限公司,大宁路\x1b2号",
    )

    report = import_sheet(admin, read_sheet("firms.csv", content), NOW, dry_run=False)

    assert [(error.line, error.column) for error in report.errors] == [(2, "name"), (3, "address")]
    assert "U+0000" in report.errors[0].message
    assert row_count(Enterprise) == 0


def test_a_control_character_in_a_workbook_cell_makes_the_file_unreadable(app):
    # XML 1.0 has no way to write one, and openpyxl keeps "_x0000_" as those seven characters.
    cells = text_cell("A2", valid_uscc(800003)) + text_cell("B2", "上海&#x1B;科技")
    content = workbook(header_row("uscc", "name") + f'<row r="2">{cells}</row>')

    assert "not a readable XLSX" in refusal(content)


def test_a_crafted_upload_is_refused_on_its_page_and_writes_nothing(client, admin):
    log_in(client, admin)
    content = workbook(header_row("uscc"), {"xl/padding.xml": b" " * 4 * 1024 * 1024})
    tables = (Enterprise, AuditEntry, ImportIssue)
    before = [row_count(table) for table in tables]

    response = upload(client, content, "firms\x00.xlsx")

    assert 'data-testid="import-failed"' in response.text
    assert "unpacks to far more" in response.text
    assert [row_count(t) for t in tables] == before


MEMORY_PROBE = """
import io, sys, zipfile
from crm import create_app
from crm.enterprises.sheets import ImportFileError, read_sheet
from tests.enterprises.test_import_limits import far_right_rows, header_row, workbook

def peak_mebibytes():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) // 1024

settings = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "BABEL_DEFAULT_LOCALE": "en"}
app = create_app(settings | {"SECRET_KEY": "x" * 40})
crafted = workbook(header_row("uscc", "name") + far_right_rows(int(sys.argv[1])))
with app.test_request_context():
    before = peak_mebibytes()
    try:
        read_sheet("bomb.xlsx", crafted)
        outcome = "read"
    except ImportFileError as refused:
        outcome = refused.message
    print(len(crafted), peak_mebibytes() - before, outcome)
"""


@pytest.mark.parametrize(("rows", "outcome"), [(6_000, "read"), (10_001, "At most")])
def test_a_small_file_of_cells_at_column_xfd_leaves_the_worker_memory_where_it_was(rows, outcome):
    # Its own process, so the peak (VmHWM) is this file's alone; before the fix 6,000 such rows
    # (about 40 KB of zip) took 750 MB.
    result = subprocess.run(  # noqa: S603 -- our own interpreter and script
        [sys.executable, "-c", MEMORY_PROBE, str(rows)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )

    size_bytes, grown_mebibytes, said = result.stdout.split(maxsplit=2)
    assert int(size_bytes) < 200_000
    assert int(grown_mebibytes) < 100
    assert said.startswith(outcome)


def test_a_file_name_and_codes_with_nul_are_kept_for_the_quality_page_without_it(client, admin):
    log_in(client, admin)
    content = csv_file("uscc,name", "9131\x00BAD,上海\x00科技有限公司")

    response = upload(client, content, "bad\x00.csv")

    assert 'data-testid="import-refused"' in response.text
    assert "U+0000" in response.text
    issues = db.session.scalars(select(ImportIssue)).all()
    assert [(issue.file_name, "\x00" in issue.uscc) for issue in issues] == [("bad.csv", False)]
    assert row_count(Enterprise) == 0

import io
from datetime import datetime

import openpyxl
import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl.worksheet.worksheet import Worksheet

from crm.enterprises.file_format import COLUMNS, HEADER_KEYS, word
from crm.enterprises.import_template import LISTS_SHEET, VALIDATED_ROWS, template_bytes
from crm.enterprises.importing import import_sheet
from crm.enterprises.sheets import read_sheet
from crm.reference import all_of
from models import Designation, Enterprise, EnterpriseStatus, SubDistrict, Tier, db
from tests.factories import valid_uscc
from tests.helpers import log_in

NOW = datetime(2026, 3, 2, 9, 0)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def letter_of(key: str) -> str:
    position = next(n for n, column in enumerate(COLUMNS, start=1) if column.key == key)
    return openpyxl.utils.get_column_letter(position)


def validations_by_column(sheet: Worksheet) -> dict[str, str]:
    """Each validated column's letter and the formula its drop-down reads."""
    found = {}
    for validation in sheet.data_validations.dataValidation:
        for cells in validation.sqref.ranges:
            found[cells.coord.split(":")[0].rstrip("0123456789")] = validation.formula1
    return found


def list_in(workbook: openpyxl.Workbook, formula: str) -> list[str]:
    sheet_name, cells = formula.rsplit("!", 1)
    assert sheet_name.strip("'") == LISTS_SHEET
    return [row[0].value for row in workbook[LISTS_SHEET][cells.replace("$", "")]]


@pytest.fixture
def template_zh(app) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(template_bytes("zh_CN")))


def test_the_data_sheet_comes_first_with_the_headers_the_importer_knows(app):
    for locale, header_of in (("zh_CN", "header_zh"), ("en", "header_en")):
        workbook = openpyxl.load_workbook(io.BytesIO(template_bytes(locale)))

        data = workbook.worksheets[0]
        headers = [cell.value for cell in data[1]]
        assert headers == [getattr(column, header_of) for column in COLUMNS]
        assert all(word(header) in HEADER_KEYS for header in headers)
        assert workbook.active is data
        assert data.max_row > 1  # the prepared rows hold formats only:
        assert all(cell.value is None for row in data.iter_rows(min_row=2) for cell in row)


def test_the_code_and_text_columns_are_text_formatted_down_the_sheet(template_zh):
    data = template_zh.worksheets[0]

    for key in ("uscc", "name", "address", "manager", "notes"):
        letter = letter_of(key)
        assert data[f"{letter}2"].number_format == "@"
        assert data[f"{letter}1001"].number_format == "@"
        assert data.column_dimensions[letter].number_format == "@"  # rows beyond, in Excel
    assert data[f"{letter_of('founded_on')}2"].number_format == "yyyy-mm-dd"
    # A percentage format is what made Excel store 15.2 % as 0.152.
    assert data[f"{letter_of('revenue_growth_pct')}2"].number_format == "0.00"


def test_drop_downs_read_the_hidden_lists_in_the_templates_language(template_zh):
    data, lists = template_zh.worksheets[0], template_zh[LISTS_SHEET]
    formulas = validations_by_column(data)

    assert lists.sheet_state == "hidden"
    assert list_in(template_zh, formulas[letter_of("sub_district")]) == [
        row.name_zh for row in all_of(SubDistrict)
    ]
    assert "人工智能" in list_in(template_zh, formulas[letter_of("track")])
    with force_locale("zh_CN"):
        tiers = [_(str(label)) for label in ("Reservoir", "Tech-based")]
    assert list_in(template_zh, formulas[letter_of("tier")])[:2] == tiers
    assert len(list_in(template_zh, formulas[letter_of("tier")])) == len(Tier)
    assert len(list_in(template_zh, formulas[letter_of("status")])) == len(EnterpriseStatus)
    assert len(list_in(template_zh, formulas[letter_of("designations")])) == len(Designation)
    assert list_in(template_zh, formulas[letter_of("in_hundred_enterprises_plan")]) == ["是", "否"]
    assert set(formulas) == {
        letter_of(key)
        for key in ("sub_district", "zone", "track", "tier", "status", "designations")
    } | {letter_of("in_hundred_enterprises_plan")}


def test_drop_downs_cover_every_row_an_import_may_hold_and_designations_accept_several(
    template_zh,
):
    data = template_zh.worksheets[0]
    by_letter = {
        str(validation.sqref): validation for validation in data.data_validations.dataValidation
    }

    zone = by_letter[f"{letter_of('zone')}2:{letter_of('zone')}{VALIDATED_ROWS + 1}"]
    designations = by_letter[
        f"{letter_of('designations')}2:{letter_of('designations')}{VALIDATED_ROWS + 1}"
    ]
    assert (zone.type, zone.showErrorMessage) == ("list", True)
    assert designations.showErrorMessage is False  # "A、B" is not on the list, and allowed
    assert "、" in designations.prompt


def test_required_columns_are_marked_by_colour_and_a_comment(template_zh):
    data = template_zh.worksheets[0]

    required = {
        cell.value for cell in data[1] if cell.font.color and cell.font.color.rgb.endswith("9C0006")
    }

    assert required == {"统一社会信用代码", "企业名称", "所属街道", "功能区", "产业赛道"}
    assert data[f"{letter_of('uscc')}1"].comment is not None
    assert data[f"{letter_of('notes')}1"].font.color is None or not data[
        f"{letter_of('notes')}1"
    ].font.color.rgb.endswith("9C0006")


@pytest.mark.parametrize(("locale", "headers"), [("zh_CN", "header_zh"), ("en", "header_en")])
def test_the_instructions_sheet_explains_every_column_with_an_example_row(app, locale, headers):
    workbook = openpyxl.load_workbook(io.BytesIO(template_bytes(locale)))

    instructions = workbook.worksheets[1]
    text = [
        [cell for cell in row if cell is not None]
        for row in instructions.iter_rows(values_only=True)
    ]
    flat = "\n".join(str(cell) for row in text for cell in row)
    with force_locale(locale):
        assert instructions.title == _("Instructions")
        assert _("How to fill in the import template") in flat
    expected_headers = [getattr(column, headers) for column in COLUMNS]
    assert expected_headers in text  # the example's header row
    example = text[text.index(expected_headers) + 1]
    assert example[0].startswith("91310106")
    assert "万元" in flat  # the unit, in either language
    assert "9.13101E+17" in flat  # why the code must stay text
    for header in expected_headers:  # every column has its own line
        assert any(row and row[0] == header for row in text[text.index(expected_headers) + 2 :])


def test_a_filled_in_template_imports_through_the_importer_without_its_example(admin):
    workbook = openpyxl.load_workbook(io.BytesIO(template_bytes("zh_CN")))
    data = workbook.worksheets[0]
    filled = {
        "uscc": valid_uscc(901),
        "name": "上海模板填写科技有限公司",
        "sub_district": "大宁路街道",
        "zone": "大宁功能区",
        "track": "人工智能",
        "founded_on": "2020-06-01",
        "registered_capital": 1200,
        "designations": "瞪羚企业、高新技术企业",
        "in_hundred_enterprises_plan": "是",
        "year": 2025,
        "revenue": 800,
    }
    for key, value in filled.items():
        data[f"{letter_of(key)}2"] = value
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = import_sheet(admin, read_sheet("模板.xlsx", buffer.getvalue()), NOW, dry_run=False)

    assert report.errors == []
    assert (report.firms_to_create, report.figure_rows) == (1, 1)
    [firm] = db.session.scalars(db.select(Enterprise)).all()
    assert firm.name == "上海模板填写科技有限公司"
    assert firm.in_hundred_enterprises_plan is True
    assert set(firm.designations) == {Designation.GAZELLE, Designation.HIGH_TECH}


def test_the_template_download_is_the_workbook_in_the_users_language(client, manager):
    log_in(client, manager)
    client.post("/language/en")

    response = client.get("/enterprises/import/template.xlsx")

    assert response.headers["Content-Type"] == XLSX
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    assert [sheet.title for sheet in workbook.worksheets] == ["Firms", "Instructions", LISTS_SHEET]

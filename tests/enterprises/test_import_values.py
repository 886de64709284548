"""Cells as offices write them: Excel's number formats, units, dates, codes and people's names."""

import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import select

from crm.enterprises.cells import CellError, NumberCell, exact_decimal
from crm.enterprises.file_format import CellReader
from crm.enterprises.importing import import_sheet
from crm.enterprises.sheets import read_sheet
from models import Enterprise, YearlyFigures, db
from tests.factories import UserFactory, valid_uscc

NOW = datetime(2026, 3, 2, 9, 0)
CODE = valid_uscc(700001)
FIRM_HEADERS = ("统一社会信用代码", "企业名称", "所属街道", "功能区", "产业赛道")
FIRM_CELLS = (CODE, "上海格式科技有限公司", "大宁路街道", "大宁功能区", "人工智能")


def xlsx(headers: tuple[str, ...], *rows: tuple[object, ...], formats: dict[str, str]) -> bytes:
    """A workbook as Excel stores it: values, and number formats on the cells named in
    `formats` (such as {"F2": "0.0%"})."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for cell, number_format in formats.items():
        sheet[cell].number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read(key: str, cell: object) -> tuple[object, str | None]:
    return CellReader().read_noted(key, cell)


def refusal(key: str, cell: object) -> str:
    with pytest.raises(CellError) as refused:
        CellReader().read(key, cell)
    return str(refused.value)


def test_a_percent_formatted_growth_cell_is_stored_as_the_percent_figure_excel_shows(admin):
    content = xlsx(
        (*FIRM_HEADERS, "年度", "营收增长率（%）", "营业收入（万元）"),
        (*FIRM_CELLS, 2025, 0.152, 1234.56),
        formats={"G2": "0.0%", "H2": "#,##0.00"},
    )

    report = import_sheet(admin, read_sheet("firms.xlsx", content), NOW, dry_run=False)

    assert report.errors == []
    figures = db.session.scalar(select(YearlyFigures))
    assert figures is not None
    assert (figures.revenue_growth_pct, figures.revenue) == (Decimal("15.20"), Decimal("1234.56"))


def test_a_percent_formatted_cell_is_read_with_its_format_and_noted(app):
    content = xlsx(("营收增长率（%）",), (0.152,), (-0.035,), formats={"A2": "0.0%", "A3": "0%"})

    sheet = read_sheet("firms.xlsx", content)

    cells = [cells[0] for _line, cells in sheet.rows]
    assert cells == [NumberCell(0.152, "0.0%"), NumberCell(-0.035, "0%")]
    assert read("revenue_growth_pct", cells[0]) == (Decimal("15.20"), "15.2% → 15.20")
    assert read("revenue_growth_pct", cells[1]) == (Decimal("-3.50"), "-3.5% → -3.50")


def test_a_percent_formatted_cell_in_a_money_or_count_column_is_refused(admin):
    content = xlsx(
        (*FIRM_HEADERS, "年度", "营业收入（万元）", "从业人数"),
        (*FIRM_CELLS, 2025, 0.152, 0.5),
        formats={"G2": "0.00%", "H2": "0%"},
    )

    report = import_sheet(admin, read_sheet("firms.xlsx", content), NOW, dry_run=False)

    messages = {error.column: error.message for error in report.errors}
    assert "15.2%" in messages["营业收入（万元）"]
    assert "formatted as a percentage" in messages["营业收入（万元）"]
    assert "50%" in messages["从业人数"]
    assert db.session.scalar(select(Enterprise)) is None


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        (1234.56, Decimal("1234.56")),  # its binary expansion is 1234.5599999999999454...
        (0.1 + 0.2, Decimal("0.3")),  # a formula's noise past Excel's 15 digits
        (1e-05, Decimal("0.00001")),
        (43586, Decimal(43586)),
    ],
)
def test_a_stored_float_becomes_the_decimal_a_person_typed(stored, expected):
    assert exact_decimal(stored) == expected


def test_more_decimals_than_the_column_keeps_is_an_error_naming_the_value(app):
    content = xlsx(
        ("营业收入（万元）", "营收增长率（%）"), (12.345, 0.15234), formats={"B2": "0.0%"}
    )
    [(_line, (revenue, growth))] = read_sheet("firms.xlsx", content).rows

    assert "12.345 has more than 2 decimals" in refusal("revenue", revenue)
    assert "15.234% has more than 2 decimals" in refusal("revenue_growth_pct", growth)
    assert "“12.345” is" not in refusal("revenue", "12.345")  # text is named as written too
    assert "12.345" in refusal("revenue", "12.345")


@pytest.mark.parametrize(
    ("written", "stored", "note"),
    [
        ("1200", Decimal("1200.00"), None),
        ("1,200.5", Decimal("1200.50"), None),
        ("800万元", Decimal("800.00"), None),
        ("800 万", Decimal("800.00"), None),
        ("3.5亿元", Decimal("35000.00"), "3.5亿元 → 35,000.00"),
        ("2亿", Decimal("20000.00"), "2亿 → 20,000.00"),
        ("12,000,000元", Decimal("1200.00"), "12,000,000元 → 1,200.00"),
        ("１，２００．５", Decimal("1200.50"), "１，２００．５ → 1,200.50"),
        ("-35.5", Decimal("-35.50"), None),
    ],
)
def test_amounts_as_people_write_them_are_converted_to_10000_yuan(app, written, stored, note):
    assert read("revenue", written) == (stored, note)


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("12,345元", "1.2345 in 10,000 yuan"),  # finer than the hundred yuan kept
        ("1,2345", "is not a number"),  # a misplaced group: 12345 or 1.2345?
        ("15%", "is not an amount"),
        ("1.2E+14", "is not a number"),
        ("about 5", "is not a number"),
        ("3美元", "is not a number"),
        ("¥5,000,000", "yuan or 10,000 yuan"),  # a bare sign names no unit: never guessed
        ("￥1,200", "yuan or 10,000 yuan"),
    ],
)
def test_amounts_that_cannot_be_read_exactly_are_refused_with_the_value(app, written, words):
    message = refusal("revenue", written)

    assert written in message
    assert words in message


@pytest.mark.parametrize(
    ("number_format", "stored", "expected"),
    [
        ('#,##0"元"', 35_000_000, Decimal("3500.00")),
        ('0.00"亿元"', 3.5, Decimal("35000.00")),
        ('0.00"万元"', 1200, Decimal("1200.00")),
    ],
)
def test_a_unit_in_an_amounts_number_format_is_converted(app, number_format, stored, expected):
    value, _note = read("registered_capital", NumberCell(stored, number_format))

    assert value == expected


@pytest.mark.parametrize("number_format", ["#,##0,", '0!.0000"万"', '"$"#,##0.00'])
def test_a_format_that_shows_another_number_or_currency_is_refused(app, number_format):
    message = refusal("registered_capital", NumberCell(12_345_678, number_format))

    assert "12345678" in message
    assert number_format in message


@pytest.mark.parametrize(
    "number_format", ['"¥"#,##0.00', "[$¥-804]#,##0.00;[Red]-[$¥-804]#,##0.00"]
)
def test_a_yuan_currency_format_names_no_unit_and_is_refused(app, number_format):
    message = refusal("registered_capital", NumberCell(5_000_000, number_format))

    assert "¥5000000" in message
    assert "yuan or 10,000 yuan" in message


def test_a_percent_cell_written_as_text_with_its_sign_is_read(app):
    assert read("revenue_growth_pct", "15.2%") == (Decimal("15.20"), None)
    assert read("revenue_growth_pct", "１５．２％") == (Decimal("15.20"), "１５．２％ → 15.20")
    assert "3亿元" in refusal("revenue_growth_pct", "3亿元")


@pytest.mark.parametrize(
    ("written", "note"),
    [
        ("2019-05-01", None),
        ("2019-5-1", "2019-5-1 → 2019-05-01"),
        ("2019/05/01", "2019/05/01 → 2019-05-01"),
        ("2019.5.1", "2019.5.1 → 2019-05-01"),
        ("2019年5月1日", "2019年5月1日 → 2019-05-01"),
        ("20190501", "20190501 → 2019-05-01"),
        ("43586", "43586 → 2019-05-01"),  # Excel's day number, as a CSV keeps it
        ("2019-05-01 00:00:00", "2019-05-01 00:00:00 → 2019-05-01"),
        (43586, "43586 → 2019-05-01"),
        (NumberCell(43586, "0"), "43586 → 2019-05-01"),
        (datetime(2019, 5, 1), None),
    ],
)
def test_dates_as_people_write_them_are_read(app, written, note):
    assert read("founded_on", written) == (date(2019, 5, 1), note)


def test_an_xlsx_date_cell_and_a_serial_number_read_as_dates(app):
    content = xlsx(
        ("成立日期",),
        (date(2019, 5, 1),),
        (43586,),
        formats={"A2": 'yyyy"年"m"月"d"日"'},
    )

    cells = [cells[0] for _line, cells in read_sheet("firms.xlsx", content).rows]

    assert [CellReader().read("founded_on", cell) for cell in cells] == [date(2019, 5, 1)] * 2


@pytest.mark.parametrize("written", ["2019", "5/1/2019", "2020-02-30", "1234567", "明年"])
def test_a_date_that_cannot_be_read_lists_the_accepted_formats(app, written):
    message = refusal("founded_on", written)

    assert f"“{written}” is not a date" in message
    for form in ("2019-05-01", "2019/5/1", "2019.5.1", "2019年5月1日", "20190501", "43586"):
        assert form in message


def test_a_credit_code_excel_turned_into_a_number_says_so_and_how_to_avoid_it(app):
    content = xlsx(("统一社会信用代码",), (9.13101e17,), formats={})
    [(_line, (cell,))] = read_sheet("firms.xlsx", content).rows

    for written in (cell, "9.13101E+17", "913101000000000000"):
        message = refusal("uscc", written)
        assert "9.13101E+17" in message or written in message
        assert "Excel turned into a number" in message
        assert "Format the column as text" in message
        assert "template" in message


def test_a_credit_code_with_full_width_characters_and_spaces_is_folded(app):
    full_width = "".join(chr(ord(char) + 0xFEE0) for char in CODE)

    assert read("uscc", full_width) == (CODE, f"{full_width} → {CODE}")
    assert read("uscc", f" {CODE[:4]} {CODE[4:]}\u200b ") == (CODE, None)
    assert read("uscc", CODE.lower()) == (CODE, None)


def test_numbers_with_full_width_digits_and_unit_words_are_counts(app):
    assert read("employees", "１２０") == (120, "１２０ → 120")
    assert read("employees", "120人") == (120, None)
    assert read("year", "2025年") == (2025, None)
    assert "12.5" in refusal("employees", "12.5")


def test_a_manager_named_by_person_becomes_their_login(app):
    UserFactory(username="zhangwei", display_name="张伟", role="manager")

    assert read("manager", "张伟") == ("zhangwei", "张伟 → zhangwei")
    assert read("manager", "zhangwei") == ("zhangwei", None)
    assert read("manager", "李四") == ("李四", None)  # the service says no one has that name


def test_a_name_shared_by_two_managers_is_refused_listing_their_logins(app):
    UserFactory(username="wangfang1", display_name="王芳", role="manager")
    UserFactory(username="wangfang2", display_name="王芳", role="manager")
    UserFactory(username="wangfang3", display_name="王芳", role="manager", is_active_account=False)

    message = refusal("manager", "王芳")

    assert "王芳" in message
    assert "wangfang1, wangfang2" in message
    assert "wangfang3" not in message


def test_a_manager_importing_names_only_the_managers_of_their_own_sub_district(app):
    own = UserFactory(username="liuyang1", display_name="刘洋", sub_district_slug="daninglu")
    UserFactory(username="liuyang2", display_name="刘洋", sub_district_slug="jingansi")

    value = CellReader(own).read("manager", "刘洋")

    assert value == "liuyang1"


@pytest.mark.parametrize(
    ("key", "written"),
    [
        ("revenue", "十二万"),
        ("employees", "twelve"),
        ("founded_on", "去年"),
        ("in_hundred_enterprises_plan", "maybe"),
        ("revenue_growth_pct", "高"),
        ("sub_district", "无此街道"),
    ],
)
def test_every_refusal_names_the_value_it_refused(app, key, written):
    assert written in refusal(key, written)

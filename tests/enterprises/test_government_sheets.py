"""Sheets as district offices make them: a title above the table, totals and notes below it."""

from datetime import datetime

import pytest
from sqlalchemy import select

from crm.enterprises.file_format import IGNORED_HEADER_WORDS, word
from crm.enterprises.importing import import_sheet
from crm.enterprises.sheets import HEADER_LINE, ImportFileError, SkippedRow, read_sheet
from models import Enterprise, db
from tests.factories import valid_uscc
from tests.spreadsheets import csv_file, office_workbook

NOW = datetime(2026, 3, 2, 9, 0)
FIRST, SECOND = valid_uscc(710001), valid_uscc(710002)
HEADERS = [
    "序号",
    "统一社会信用代码",
    "企业名称",
    "所属街道",
    "功能区",
    "产业赛道",
    "注册资本（万元）",
]
FIRST_ROW = [1, FIRST, "上海甲科技有限公司", "大宁路街道", "大宁功能区", "人工智能", 1200]
SECOND_ROW = [2, SECOND, "上海乙科技有限公司", "大宁路街道", "大宁功能区", "人工智能", 800]


def lines_of(rows: list[tuple[int, object]]) -> list[int]:
    return [line for line, _cells in rows]


def test_an_office_workbook_has_its_header_found_and_its_title_totals_and_notes_set_aside(app):
    content = office_workbook(
        [
            ["2025年大宁路街道重点企业名单"],
            [],
            ["单位：万元", None, None, None, None, None, "填报日期：2025年12月"],
            HEADERS,
            FIRST_ROW,
            SECOND_ROW,
            ["合计", None, None, None, None, None, 2000],
            [],
            ["注：注册资本以营业执照为准。"],
            ["填表人：张伟", None, "审核人：李娜", None, "联系电话：021-12345678"],
        ],
        merge_title=True,
    )

    sheet = read_sheet("名单.xlsx", content)

    assert sheet.header_line == 4
    assert list(sheet.headers) == HEADERS
    assert lines_of(sheet.rows) == [5, 6]
    assert sheet.skipped == [
        SkippedRow(1, "Title above the table"),
        SkippedRow(3, "Title above the table"),
        SkippedRow(7, "Totals row (合计)"),
        SkippedRow(9, "Note below the table"),
        SkippedRow(10, "Note below the table"),
    ]


def test_an_office_csv_with_a_totals_word_after_an_empty_row_number_is_read_the_same(app):
    content = csv_file(
        "重点企业名单,,,,,,",
        ",,,,,,",
        ",".join(HEADERS),
        ",".join(map(str, FIRST_ROW)),
        ",总计：,,,,,1200",
        "Note: figures are those of 2025.",
    )

    sheet = read_sheet("名单.csv", content)

    assert sheet.header_line == 3
    assert lines_of(sheet.rows) == [4]
    assert [(row.line, row.reason) for row in sheet.skipped] == [
        (1, "Title above the table"),
        (5, "Totals row (总计：)"),
        (6, "Note below the table"),
    ]


def test_a_file_whose_first_line_is_the_header_keeps_header_line_one(app):
    content = csv_file("uscc,name", f"{FIRST},上海甲科技有限公司")

    sheet = read_sheet("firms.csv", content)

    assert (sheet.header_line, HEADER_LINE, sheet.skipped) == (1, 1, [])
    assert lines_of(sheet.rows) == [2]


def test_a_line_naming_one_column_above_the_header_is_a_title_not_the_header(app):
    content = csv_file("年度,2025", "uscc,name,year", f"{FIRST},上海甲科技有限公司,2025")

    sheet = read_sheet("firms.csv", content)

    assert sheet.header_line == 2
    assert sheet.skipped == [SkippedRow(1, "Title above the table")]


def test_a_row_with_one_filled_cell_among_firms_stays_a_row_for_the_importer_to_report(app):
    content = csv_file(
        "uscc,name,sub_district",
        f"{FIRST},上海甲科技有限公司,大宁路街道",
        ",上海无码科技有限公司,",  # a firm whose code was forgotten
        f"{SECOND},上海乙科技有限公司,大宁路街道",
        "说明：以上企业均在库",
        f"{valid_uscc(710003)},上海丙科技有限公司,大宁路街道",
        "2025年12月",
    )

    sheet = read_sheet("firms.csv", content)

    assert lines_of(sheet.rows) == [2, 3, 4, 6]
    assert sheet.skipped == [
        SkippedRow(5, "Note inside the table"),
        SkippedRow(7, "Note below the table"),
    ]


def test_rows_holding_only_a_row_number_are_skipped_wherever_they_are(app):
    content = csv_file(
        "No.,uscc,name",
        f"1,{FIRST},上海甲科技有限公司",
        "2,,",
        f"3,{SECOND},上海乙科技有限公司",
        "4,,",
        "5,,",
    )

    sheet = read_sheet("firms.csv", content)

    assert lines_of(sheet.rows) == [2, 4]
    assert [row.line for row in sheet.skipped] == [3, 5, 6]
    assert {row.reason for row in sheet.skipped} == {"Only a row number"}


@pytest.mark.parametrize("header", ["序号", "编号", "No.", "no", "#", "序 号", "ＮＯ．"])
def test_a_row_number_column_is_recognised_by_its_usual_names(header):
    assert word(header) in IGNORED_HEADER_WORDS


def test_without_a_row_naming_two_columns_the_first_row_is_the_header(app):
    content = csv_file("", "编号,名称", "1,甲")

    sheet = read_sheet("firms.csv", content)

    assert (sheet.header_line, list(sheet.headers), lines_of(sheet.rows)) == (
        2,
        ["编号", "名称"],
        [3],
    )


def test_more_rows_without_a_firm_than_a_file_may_hold_is_refused_as_the_wrong_sheet(app):
    numbers = [f"{n},," for n in range(2, 8)]
    content = csv_file("序号,uscc,name", f"1,{FIRST},上海甲科技有限公司", *numbers)

    with pytest.raises(ImportFileError, match="More than 5 rows of this file hold no firm"):
        read_sheet("firms.csv", content, max_rows=5)


def test_a_form_numbered_far_below_its_firms_is_read(app):
    numbers = [f"{n},," for n in range(2, 502)]
    content = csv_file("序号,uscc,name", f"1,{FIRST},上海甲科技有限公司", *numbers)

    sheet = read_sheet("firms.csv", content)

    assert (lines_of(sheet.rows), len(sheet.skipped)) == ([2], 500)


def test_an_office_workbook_imports_its_firms_and_nothing_of_its_title_numbers_or_totals(admin):
    content = office_workbook(
        [
            ["2025年重点企业名单"],
            HEADERS,
            FIRST_ROW,
            SECOND_ROW,
            [None, "合计", None, None, None, None, 2000],
            ["制表：大宁路街道经济发展办公室"],
        ],
        merge_title=True,
    )

    report = import_sheet(admin, read_sheet("名单.xlsx", content), NOW, dry_run=False)

    assert report.errors == []
    assert report.firms_to_create == 2
    assert [row.line for row in report.skipped_rows] == [1, 5, 6]  # said so in the preview
    names = db.session.scalars(select(Enterprise.name).order_by(Enterprise.uscc)).all()
    assert names == ["上海甲科技有限公司", "上海乙科技有限公司"]

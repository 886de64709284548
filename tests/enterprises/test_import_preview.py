"""The import preview: what a file would do, what it passed over, and what needs a second look."""

import csv
import io
import re

from sqlalchemy import select

from crm.enterprises.import_report import (
    CHANGES_SHOWN,
    CONVERSIONS_SHOWN,
    FieldChange,
    FirmChange,
    ImportReport,
    report_to_json,
)
from models import Enterprise, ImportJob, ImportJobState, Tier, db
from tests.enterprises.import_steps import confirm, confirm_url, upload
from tests.factories import EnterpriseFactory, ImportJobFactory, valid_uscc
from tests.spreadsheets import office_workbook

FIRST, SECOND, KNOWN = valid_uscc(940001), valid_uscc(940002), valid_uscc(940003)
HEADERS = [
    "序号",
    "统一社会信用代码",
    "企业名称",
    "所属街道",
    "功能区",
    "产业赛道",
    "注册资本（万元）",
    "联系人",
]


def table_rows(html: str, testid: str) -> list[list[str]]:
    table = re.search(rf'data-testid="{testid}">(.*?)</table>', html, re.DOTALL)
    assert table is not None, html
    body = table.group(1).split("</thead>")[1]
    return [
        [re.sub(r"<[^>]+>", " ", cell).split()[0] if cell.strip() else "" for cell in cells]
        for cells in (
            re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.DOTALL)
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.DOTALL)
        )
    ]


def test_a_government_sheet_is_previewed_with_what_was_passed_over_and_converted(logged_in):
    content = office_workbook(
        [
            ["2025年大宁路街道重点企业名单"],
            HEADERS,
            [
                1,
                FIRST,
                "上海甲科技有限公司",
                "大宁路街道",
                "大宁功能区",
                "人工智能",
                "3.5亿元",
                "张伟",
            ],
            [2, SECOND, "上海乙科技有限公司", "大宁路街道", "大宁功能区", "人工智能", 800, "李娜"],
            ["合计", None, None, None, None, None, 35800],
        ]
    )

    preview = upload(logged_in, content, "名单.xlsx")

    assert 'data-testid="firms-to-create">2<' in preview.text
    assert confirm_url(preview.text)
    assert [row[0] for row in table_rows(preview.text, "skipped-rows")] == ["1", "5"]
    conversions = table_rows(preview.text, "conversions")
    assert conversions[0][:2] == ["3", "注册资本（万元）"]
    assert "3.5亿元" in preview.text
    unknown = re.search(r'data-testid="unknown-columns">(.*?)</div>', preview.text, re.DOTALL)
    assert unknown is not None
    assert "联系人" in unknown.group(1)
    assert "序号" not in unknown.group(1)
    assert "序号" in preview.text.split('data-testid="ignored-columns">')[1].split("</p>")[0]


def test_a_refused_file_counts_its_one_problem_in_the_singular_and_shows_no_firm_counts(
    logged_in,
):
    content = f"uscc,name,sub_district,zone,track\n{FIRST},上海甲科技有限公司,nowhere,daning,ai\n"

    preview = upload(logged_in, content)

    assert "1 problem found." in preview.text
    assert "problems found" not in preview.text
    assert 'data-testid="firms-to-create"' not in preview.text
    assert "/confirm" not in preview.text


def test_a_rename_shows_both_names_and_each_changed_field_in_words_and_must_be_ticked(
    logged_in,
):
    firm = EnterpriseFactory(uscc=KNOWN, name="上海旧名科技有限公司", tier=Tier.RESERVOIR)
    db.session.commit()
    content = (
        "uscc,name,sub_district,zone,track,tier\n"
        f"{KNOWN},上海新名科技有限公司,daninglu,shibei,ai,candidate\n"
    )

    preview = upload(logged_in, content)
    refused = logged_in.post(confirm_url(preview.text), data={})

    changes = preview.text.split('data-testid="changes"')[1].split("</table>")[0]
    assert "上海旧名科技有限公司" in changes
    assert "Registered name:</span> 上海旧名科技有限公司 → <strong>上海新名科技有限公司" in changes
    assert "Functional zone:</span> Daning Zone → <strong>Shibei Zone" in changes
    assert "Reservoir → <strong>Unicorn / hidden-champion candidate" in changes
    assert "shibei" not in changes  # labels, never codes
    assert "<strong>candidate" not in changes
    assert 'data-testid="renames"' in preview.text
    assert refused.status_code == 422
    assert "Tick this box once you have checked the new names above." in refused.text
    assert db.session.scalar(select(ImportJob.state)) == ImportJobState.CHECKED
    db.session.refresh(firm)
    assert firm.name == "上海旧名科技有限公司"

    done = confirm(logged_in, preview, accept_renames="y")

    assert 'data-testid="import-done"' in done.text
    db.session.refresh(firm)
    assert (firm.name, firm.zone.slug) == ("上海新名科技有限公司", "shibei")
    download = logged_in.get(confirm_url(preview.text).replace("/confirm", "/changes.csv"))
    rows = list(csv.reader(io.StringIO(download.data.decode("utf-8-sig"))))
    assert rows[0] == ["Line", "Credit code", "Firm", "New name", "Column", "Before", "After"]
    zone = ["2", KNOWN, "上海旧名科技有限公司", "上海新名科技有限公司", "Functional zone"]
    assert [*zone, "Daning Zone", "Shibei Zone"] in rows


def test_long_lists_of_changes_and_conversions_show_their_first_items_and_count_the_rest(
    logged_in, manager
):
    report = ImportReport(rows=80, firms_to_update=60)
    for line in range(2, 62):
        change = FirmChange(line, valid_uscc(line), f"上海{line}科技有限公司", None, [])
        report.note_change(
            FirmChange(**(change.__dict__ | {"fields": [FieldChange("A", "1", "2")]}))
        )
    for line in range(2, 2 + CONVERSIONS_SHOWN + 5):
        report.note_conversion(line, "注册资本（万元）", "3.5亿元 → 35,000.00")
    job = ImportJobFactory(
        owner=manager,
        file_name="big.csv",
        locale="en",
        state=ImportJobState.CHECKED,
        rows_total=80,
        report=report_to_json(report),
    )
    db.session.commit()

    page = logged_in.get(f"/enterprises/import/jobs/{job.id}")

    assert len(table_rows(page.text, "changes")) == CHANGES_SHOWN
    assert "And 10 more firms change." in page.text
    assert 'data-testid="changes-download"' in page.text
    assert len(table_rows(page.text, "conversions")) == CONVERSIONS_SHOWN
    assert "And 5 more conversions." in page.text
    assert "Changes to 60 firms in the reservoir" in page.text


def test_an_import_that_changes_nothing_lists_no_changes(logged_in):
    EnterpriseFactory(uscc=KNOWN, name="上海不变科技有限公司")
    db.session.commit()

    preview = upload(logged_in, f"uscc,name\n{KNOWN},上海不变科技有限公司\n")

    assert 'data-testid="firms-unchanged">1<' in preview.text
    assert 'data-testid="changes"' not in preview.text
    assert db.session.scalar(select(Enterprise.name)) == "上海不变科技有限公司"

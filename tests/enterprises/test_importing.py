import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import select

from crm.enterprises.importing import ImportReport, import_sheet
from crm.enterprises.sheets import ImportFileError, read_sheet
from crm.errors import ForbiddenError
from models import AuditEntry, Designation, Enterprise, Tier, User, db
from tests.enterprises.import_steps import row_counts
from tests.factories import EnterpriseFactory, UserFactory, YearlyFiguresFactory, valid_uscc
from tests.spreadsheets import csv_file

NOW = datetime(2026, 3, 2, 9, 0)
NEW = valid_uscc(900001)
OLD = valid_uscc(900002)
OTHER = valid_uscc(900003)
BAD_CHECK = NEW[:17] + ("0" if NEW[17] != "0" else "1")
ZH_HEADER = "统一社会信用代码,企业名称,所属街道,功能区,产业赛道,年度,营业收入（万元）,从业人数"


def run(user: User, name: str, content: bytes, dry_run: bool = False) -> ImportReport:
    return import_sheet(user, read_sheet(name, content), NOW, dry_run=dry_run)


def firm(uscc: str) -> Enterprise | None:
    return db.session.scalar(select(Enterprise).where(Enterprise.uscc == uscc))


def test_a_good_csv_adds_new_firms_and_updates_existing_ones_over_several_years(admin):
    existing = EnterpriseFactory(uscc=OLD, name="上海旧名科技有限公司")
    YearlyFiguresFactory(enterprise=existing, year=2024, revenue=Decimal("800"))
    content = csv_file(
        ZH_HEADER,
        f"{NEW},上海新芯科技有限公司,大宁路街道,大宁功能区,人工智能,2024,1200,30",
        f"{NEW},上海新芯科技有限公司,大宁路街道,大宁功能区,人工智能,2025,1500,42",
        f"{OLD},上海新名科技有限公司,大宁路街道,大宁功能区,人工智能,2025,1000,90",
    )

    report = run(admin, "firms.csv", content)

    assert report.errors == []
    assert (report.rows, report.firms_to_create, report.firms_to_update) == (3, 1, 1)
    assert report.figure_rows == 3
    added = firm(NEW)
    assert added is not None
    assert (added.sub_district.slug, added.zone.slug, added.track.slug) == (
        "daninglu",
        "daning",
        "ai",
    )
    assert [(f.year, f.revenue, f.employees) for f in added.yearly_figures] == [
        (2024, Decimal("1200.00"), 30),
        (2025, Decimal("1500.00"), 42),
    ]
    assert added.yearly_figures[1].revenue_growth_pct == Decimal("25.00")
    assert existing.name == "上海新名科技有限公司"
    assert [f.year for f in existing.yearly_figures] == [2024, 2025]
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "import")) is not None


def test_a_good_xlsx_with_english_headers_and_labels_is_imported(admin):
    manager = UserFactory(username="li.na", role="manager")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    cells = {
        "Unified social credit code": NEW,
        "Registered name": "Shanghai Daning Quantum Ltd",
        "Sub-district": "Daning Road Sub-district",
        "Functional zone": "Daning Zone",
        "Industry track": "Quantum information",
        "Founded on": datetime(2019, 5, 6),
        "Cultivation tier": "Tech-based",
        "Designations": "Gazelle; unicorn",
        "Hundred Enterprises Plan": "yes",
        "Account manager": "li.na",
        "Year": 2025,
        "Revenue (10,000 yuan)": 2300.5,
    }
    sheet.append(list(cells))
    sheet.append(list(cells.values()))
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = run(admin, "firms.xlsx", buffer.getvalue())

    assert report.errors == []
    added = firm(NEW)
    assert added is not None
    assert (added.track.slug, added.founded_on, added.tier) == (
        "quantum",
        date(2019, 5, 6),
        Tier.TECH_BASED,
    )
    assert added.designations == [Designation.GAZELLE, Designation.UNICORN]
    assert added.in_hundred_enterprises_plan is True
    assert added.manager == manager
    assert added.yearly_figures[0].revenue == Decimal("2300.50")


def test_headers_may_be_keys_or_either_language_in_any_case_and_spacing(admin):
    content = csv_file(
        " USCC , name ,所属街道, FUNCTIONAL  ZONE ,Industry Track,year,营业收入(万元)",
        f"{NEW},上海混合表头科技有限公司,daninglu,daning,ai,2025,10",
    )

    report = run(admin, "firms.csv", content)

    assert report.errors == []
    assert firm(NEW) is not None


def test_a_gb18030_csv_saved_by_a_chinese_excel_is_read(admin):
    text = f"{ZH_HEADER}\n{NEW},上海静安镕铖科技有限公司,大宁路街道,大宁功能区,人工智能,2025,88,5\n"

    report = run(admin, "firms.csv", text.encode("gb18030"))

    assert report.errors == []
    added = firm(NEW)
    assert added is not None
    assert added.name == "上海静安镕铖科技有限公司"


def test_a_bad_file_reports_every_bad_row_with_its_line_and_writes_nothing(admin):
    EnterpriseFactory(uscc=OLD)
    content = csv_file(
        ZH_HEADER,
        f"{OLD},上海正常科技有限公司,大宁路街道,大宁功能区,人工智能,2025,100,10",
        f"{BAD_CHECK},上海校验科技有限公司,大宁路街道,大宁功能区,人工智能,2025,100,10",
        f"{OTHER},上海无街道科技有限公司,火星街道,大宁功能区,人工智能,2025,100,10",
        f"{OTHER},上海无街道科技有限公司,火星街道,大宁功能区,人工智能,2024,-5,10",
        f"{NEW},上海甲科技有限公司,大宁路街道,大宁功能区,人工智能,2024,100,10",
        f"{NEW},上海乙科技有限公司,大宁路街道,大宁功能区,人工智能,2025,100,10",
    )
    before = row_counts()

    report = run(admin, "firms.csv", content)

    assert [(e.line, e.column) for e in report.errors] == [
        (3, "统一社会信用代码"),
        (4, "所属街道"),
        (5, "所属街道"),
        (5, "营业收入（万元）"),
        (7, "企业名称"),
    ]
    assert "check character" in report.errors[0].message
    assert "火星街道" in report.errors[1].message
    assert "negative" in report.errors[3].message
    assert "line 6" in report.errors[4].message
    assert report.applied is False
    assert row_counts() == before


def test_a_rule_only_the_service_knows_rolls_back_the_firms_already_saved(admin):
    content = csv_file(
        "uscc,name,sub_district,zone,track,manager",
        f"{NEW},上海先存科技有限公司,daninglu,daning,ai,",
        f"{OTHER},上海后错科技有限公司,daninglu,daning,ai,nobody",
    )
    before = row_counts()

    report = run(admin, "firms.csv", content)

    assert [(e.line, e.column) for e in report.errors] == [(3, "manager")]
    assert firm(NEW) is None
    assert row_counts() == before


def test_a_manager_gets_row_errors_for_firms_of_another_sub_district(manager):
    EnterpriseFactory(uscc=OLD, name="上海保密科技有限公司", sub_district_slug="jingansi")
    content = csv_file(
        "uscc,name,sub_district,zone,track",
        f"{NEW},上海越界科技有限公司,jingansi,nanxi,ai",
        f"{OLD},上海改名科技有限公司,daninglu,daning,ai",
        f"{OTHER},上海本街道科技有限公司,daninglu,daning,ai",
    )
    before = row_counts()

    report = run(manager, "firms.csv", content)

    assert [(e.line, e.column) for e in report.errors] == [(2, "sub_district"), (3, "uscc")]
    assert "outside your sub-district" in report.errors[1].message
    assert all("保密" not in e.message and "jingansi" not in e.message for e in report.errors)
    assert row_counts() == before


def test_leaders_may_not_import(leader):
    sheet = read_sheet("firms.csv", csv_file("uscc,name", f"{NEW},上海某科技有限公司"))

    with pytest.raises(ForbiddenError):
        import_sheet(leader, sheet, NOW, dry_run=True)


def test_a_dry_run_reports_what_would_change_and_writes_nothing(admin):
    EnterpriseFactory(uscc=OLD)
    content = csv_file(
        "uscc,name,sub_district,zone,track,year,revenue",
        f"{NEW},上海预演科技有限公司,daninglu,daning,ai,2025,10",
        f"{OLD},上海预演二科技有限公司,daninglu,daning,ai,2025,20",
    )
    before = row_counts()

    report = run(admin, "firms.csv", content, dry_run=True)

    assert (report.firms_to_create, report.firms_to_update, report.figure_rows) == (1, 1, 2)
    assert [(row.line, row.is_new) for row in report.sample] == [(2, True), (3, False)]
    assert report.applied is False
    assert row_counts() == before


def test_columns_left_out_of_the_file_keep_their_values(admin):
    existing = EnterpriseFactory(uscc=OLD, address="共和新路 1 号", tier=Tier.CANDIDATE)
    YearlyFiguresFactory(enterprise=existing, year=2025, revenue=Decimal("500"), employees=80)
    content = csv_file("uscc,name,year,employees", f"{OLD},上海只改名科技有限公司,2025,95")

    report = run(admin, "firms.csv", content)

    assert report.errors == []
    assert (existing.name, existing.address, existing.tier) == (
        "上海只改名科技有限公司",
        "共和新路 1 号",
        Tier.CANDIDATE,
    )
    assert (existing.yearly_figures[0].revenue, existing.yearly_figures[0].employees) == (
        Decimal("500.00"),
        95,
    )


def test_unknown_columns_are_ignored_with_a_warning_and_figures_without_a_year_refused(admin):
    content = csv_file("uscc,name,colour,revenue", f"{NEW},上海某科技有限公司,red,10")

    report = run(admin, "firms.csv", content)

    assert report.unknown_columns == ["colour"]
    assert [(e.line, e.column) for e in report.errors[:1]] == [(1, "Year")]


def test_a_file_that_is_not_a_spreadsheet_is_refused(app):
    with pytest.raises(ImportFileError):
        read_sheet("firms.xlsx", b"not a zip file")


DATE_FORMS = (
    "Write 2019-05-01, 2019/5/1, 2019.5.1, 2019年5月1日 or 20190501; "
    "a date cell or an Excel date number (43586) works too."
)
MONEY_FORMS = "Write it in 10,000 yuan (1200 or 1,200.50), or with a unit: 3.5亿元, 800万元."
KEPT_DECIMALS = (
    "and this column keeps 2. Round it in the file (for example with ROUND) and upload it again."
)


def test_cells_that_cannot_be_stored_are_reported_not_truncated(admin):
    content = csv_file(
        "uscc,name,sub_district,zone,track,founded_on,year,revenue,employees",
        f"{NEW},{'长' * 201},daninglu,daning,ai,2020-02-30,2025,1e30,12.5",
        f"{OTHER},上海某科技有限公司,daninglu,daning,ai,2020/2/3,2025,99999999999999.999,",
    )

    report = run(admin, "firms.csv", content)

    assert [(e.line, e.column, e.message) for e in report.errors] == [
        (2, "name", "At most 200 characters."),
        (2, "founded_on", f"“2020-02-30” is not a date. {DATE_FORMS}"),
        (2, "revenue", f"“1e30” is not a number. {MONEY_FORMS}"),
        (2, "employees", "“12.5” is not a whole number. Write digits such as 12."),
        (3, "revenue", f"99999999999999.999 has more than 2 decimals, {KEPT_DECIMALS}"),
    ]

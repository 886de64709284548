import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest

from crm.enterprises.exporting import export_reservoir
from crm.enterprises.file_format import COLUMNS
from crm.enterprises.importing import import_sheet
from crm.enterprises.queries import ReservoirFilter
from crm.enterprises.services import input_from_enterprise
from crm.enterprises.sheets import read_sheet
from models import (
    Designation,
    Enterprise,
    EnterpriseStatus,
    IndustryTrack,
    Tier,
    db,
)
from tests.factories import (
    EnterpriseDesignationFactory,
    EnterpriseFactory,
    UserFactory,
    YearlyFiguresFactory,
    reference,
)
from tests.spreadsheets import csv_rows

NOW = datetime(2026, 3, 2, 9, 0)


def with_designations(firm: Enterprise, *designations: Designation) -> Enterprise:
    for designation in designations:
        EnterpriseDesignationFactory(enterprise=firm, designation=designation)
    return firm


def test_a_csv_export_lists_the_filtered_firms_with_their_latest_figures(admin):
    ai_firm = with_designations(EnterpriseFactory(name="上海智算甲有限公司"), Designation.GAZELLE)
    YearlyFiguresFactory(enterprise=ai_firm, year=2024, revenue=Decimal("100"))
    YearlyFiguresFactory(enterprise=ai_firm, year=2025, revenue=Decimal("150"))
    EnterpriseFactory(track=reference(IndustryTrack, "fintech"))

    rows = csv_rows(export_reservoir(admin, ReservoirFilter(track="ai"), "en", "csv"))

    assert [row["Registered name"] for row in rows] == ["上海智算甲有限公司"]
    assert rows[0]["Sub-district"] == "Daning Road Sub-district"
    assert rows[0]["Designations"] == "Gazelle"
    assert (rows[0]["Year"], rows[0]["Revenue (10,000 yuan)"]) == ("2025", "150.00")
    assert rows[0]["Founded on"] == "2018-03-01"


def test_an_xlsx_export_has_a_bold_frozen_header_in_the_users_language(admin):
    EnterpriseFactory(name="上海表格科技有限公司")

    content = export_reservoir(admin, ReservoirFilter(), "zh_CN", "xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header, first = list(sheet.iter_rows(values_only=True))
    assert header == tuple(column.header_zh for column in COLUMNS)
    assert (first[1], first[2], first[6]) == (
        "上海表格科技有限公司",
        "大宁路街道",
        datetime(2018, 3, 1),
    )
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b is True
    assert sheet.column_dimensions["B"].width >= 30


def test_a_managers_export_holds_only_their_sub_district(manager):
    EnterpriseFactory(name="上海大宁科技有限公司")
    EnterpriseFactory(name="上海静安寺科技有限公司", sub_district_slug="jingansi")

    rows = csv_rows(export_reservoir(manager, ReservoirFilter(), "zh_CN", "csv"))

    assert [row["企业名称"] for row in rows] == ["上海大宁科技有限公司"]


def snapshot() -> dict[str, tuple[object, ...]]:
    firms = db.session.scalars(db.select(Enterprise)).all()
    return {
        firm.uscc: (
            input_from_enterprise(firm),
            firm.version_id,
            [
                (f.year, f.revenue, f.revenue_growth_pct, f.patents, f.blockchain_scenarios)
                for f in firm.yearly_figures
            ],
        )
        for firm in firms
    }


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_exported_file_imports_back_unchanged(admin, locale, file_format):
    manager = UserFactory(username="wang.fang", role="manager")
    full = EnterpriseFactory(
        address="上海市静安区共和新路 3388 号",
        founded_on=date(2016, 7, 1),
        registered_capital=Decimal("2500.50"),
        tier=Tier.CANDIDATE,
        in_hundred_enterprises_plan=True,
        manager=manager,
        status=EnterpriseStatus.MOVED_OUT,
        notes="=HYPERLINK() 不是公式, 只是备注",
        track=reference(IndustryTrack, "information_security"),
    )
    with_designations(full, Designation.LITTLE_GIANT, Designation.SRDI_SME)
    YearlyFiguresFactory(enterprise=full, year=2024, revenue=Decimal("900"), patents=3)
    YearlyFiguresFactory(
        enterprise=full,
        year=2025,
        revenue=Decimal("810.25"),
        revenue_growth_pct=Decimal("-9.97"),
        blockchain_scenarios=4,
    )
    EnterpriseFactory(name="-上海极简科技有限公司", founded_on=None, registered_capital=None)
    before = snapshot()

    content = export_reservoir(admin, ReservoirFilter(), locale, file_format)
    report = import_sheet(admin, read_sheet(f"back.{file_format}", content), NOW, dry_run=False)

    assert report.errors == []
    assert (report.firms_to_create, report.firms_to_update, report.firms_unchanged) == (0, 0, 2)
    assert snapshot() == before


def test_xlsx_cells_are_typed_and_formatted_by_column(admin):
    firm = EnterpriseFactory(
        name="=1+2 上海公式科技有限公司",
        notes="备注\x07带控制字符\x1b",  # PostgreSQL refuses NUL itself
        founded_on=date(2016, 7, 1),
        registered_capital=Decimal("2500.50"),
    )
    YearlyFiguresFactory(
        enterprise=firm, year=2025, revenue=Decimal("810.25"), revenue_growth_pct=Decimal("-9.97")
    )
    EnterpriseFactory(name="上海无年报科技有限公司", founded_on=None, registered_capital=None)

    content = export_reservoir(admin, ReservoirFilter(), "en", "xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = {row[1].value: {c.column_letter: c for c in row} for row in sheet.iter_rows(min_row=2)}
    full, bare = cells["=1+2 上海公式科技有限公司"], cells["上海无年报科技有限公司"]
    assert full["B"].data_type == "s"  # text, not a formula
    assert full["N"].value == "备注带控制字符"
    assert (full["G"].value, full["G"].number_format) == (datetime(2016, 7, 1), "yyyy-mm-dd")
    assert (full["H"].value, full["H"].number_format) == (2500.5, "#,##0.00")
    assert (full["O"].value, full["O"].number_format) == (2025, "0")
    assert (full["P"].value, full["P"].number_format) == (810.25, "#,##0.00")
    assert (full["Q"].value, full["Q"].number_format) == (-9.97, "0.00")
    assert (bare["G"].value, bare["H"].value, bare["O"].value) == (None, None, None)


def test_an_empty_xlsx_export_is_a_workbook_with_the_header_only(admin):
    content = export_reservoir(admin, ReservoirFilter(track="fintech"), "zh_CN", "xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert list(sheet.iter_rows(values_only=True)) == [
        tuple(column.header_zh for column in COLUMNS)
    ]
    assert sheet.freeze_panes == "A2"

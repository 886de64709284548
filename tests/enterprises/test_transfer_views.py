import csv
import io
import re
from pathlib import Path

import openpyxl
from sqlalchemy import select

from models import Enterprise, YearlyFigures, db
from tests.enterprises.import_steps import confirm, confirm_url, upload
from tests.factories import EnterpriseFactory, UserFactory, valid_uscc
from tests.helpers import api_headers, log_in, row_count

NEW = valid_uscc(910001)
OTHER = valid_uscc(910002)
GOOD_CSV = (
    "uscc,name,sub_district,zone,track,year,revenue\n"
    f"{NEW},上海上传科技有限公司,daninglu,daning,ai,2024,100\n"
    f"{NEW},上海上传科技有限公司,daninglu,daning,ai,2025,130\n"
)
BLOCKCHAIN_CSV = (
    "统一社会信用代码,企业名称,所属街道,功能区,产业赛道,年度,区块链应用场景数\n"
    f"{NEW},上海链上科技有限公司,大宁路街道,大宁功能区,区块链,2024,3\n"
    f"{NEW},上海链上科技有限公司,大宁路街道,大宁功能区,区块链,2025,17\n"
)
BAD_CSV = (
    "uscc,name,sub_district,zone,track,year,revenue\n"
    f"{NEW},上海上传科技有限公司,daninglu,daning,ai,2025,-1\n"
    f"{OTHER},上海错街道科技有限公司,nowhere,daning,ai,2025,5\n"
)


def test_the_import_page_offers_an_upload_form_and_a_template(logged_in):
    page = logged_in.get("/enterprises/import")
    template = logged_in.get("/enterprises/import/template.xlsx")

    assert page.status_code == 200
    assert 'type="file"' in page.text
    assert "/enterprises/import/template.xlsx" in page.text
    assert template.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(template.data)).active
    assert next(sheet.iter_rows(values_only=True))[0] == "Unified social credit code"


def test_an_upload_is_previewed_and_written_only_on_confirm(logged_in):
    preview = upload(logged_in, GOOD_CSV)

    assert preview.status_code == 200
    assert 'data-testid="firms-to-create">1<' in preview.text
    assert 'data-testid="figure-rows">2<' in preview.text
    assert "上海上传科技有限公司" in preview.text
    assert row_count(Enterprise) == 0

    done = confirm(logged_in, preview)

    assert 'data-testid="import-done"' in done.text
    assert row_count(Enterprise) == 1
    assert row_count(YearlyFigures) == 2
    assert 'data-testid="firms-to-create">1<' in done.text
    assert "firm added" in done.text


def test_imported_blockchain_scenarios_show_on_the_page_in_the_api_and_in_the_export(
    logged_in, manager
):
    confirm(logged_in, upload(logged_in, BLOCKCHAIN_CSV))
    firm = db.session.scalar(select(Enterprise).where(Enterprise.uscc == NEW))
    assert firm is not None

    page = logged_in.get(f"/enterprises/{firm.id}")
    api = logged_in.get(f"/api/v1/enterprises/{firm.id}", headers=api_headers(logged_in, manager))
    export = logged_in.get("/enterprises/export?format=csv")

    assert "<td>17</td>" in page.text
    assert [(f["year"], f["blockchain_scenarios"]) for f in api.json["yearly_figures"]] == [
        (2024, 3),
        (2025, 17),
    ]
    rows = list(csv.DictReader(io.StringIO(export.data.decode("utf-8-sig"))))
    assert [(row["Year"], row["Blockchain application scenarios"]) for row in rows] == [
        ("2025", "17")
    ]


def test_a_negative_count_of_blockchain_scenarios_is_an_error_of_its_column(logged_in):
    content = BLOCKCHAIN_CSV.replace(",2025,17", ",2025,-2")

    preview = upload(logged_in, content)

    assert 'data-testid="import-refused"' in preview.text
    errors = re.findall(r"<tr><td>(\d+)</td><td>([^<]+)</td><td>([^<]+)</td>", preview.text)
    assert errors == [("3", "区块链应用场景数", "Cannot be negative.")]
    assert row_count(Enterprise) == 0


def test_the_uploaded_file_is_kept_under_a_random_name_until_confirmed(app, logged_in):
    folder = Path(app.config["CRM_UPLOAD_FOLDER"])

    preview = upload(logged_in, GOOD_CSV, name="../../secret.csv")
    stored = sorted(path.name for path in folder.iterdir())
    confirm(logged_in, preview)

    assert len(stored) == 3  # the file, its checked plan and its progress
    assert all("secret" not in name for name in stored)
    assert [name for name in stored if name.endswith(".csv")]
    assert list(folder.iterdir()) == []


def test_an_upload_with_bad_rows_lists_every_error_and_offers_no_confirm(logged_in):
    preview = upload(logged_in, BAD_CSV)

    assert 'data-testid="import-refused"' in preview.text
    errors = re.findall(r"<tr><td>(\d+)</td><td>(\w+)</td>", preview.text)
    assert errors == [("2", "revenue"), ("3", "sub_district")]
    assert "nowhere" in preview.text
    assert "/confirm" not in preview.text
    assert 'data-testid="firms-to-create"' not in preview.text
    assert row_count(Enterprise) == 0


def test_an_unreadable_file_is_shown_on_the_job_page(logged_in):
    page = upload(logged_in, "not really a workbook", name="firms.xlsx")

    assert page.status_code == 200
    assert 'data-testid="import-failed"' in page.text
    assert "not a readable XLSX file" in page.text


def test_another_users_import_is_not_found_and_cannot_be_confirmed(app, logged_in):
    preview = upload(logged_in, GOOD_CSV)
    job_page = confirm_url(preview.text).removesuffix("/confirm")
    colleague = UserFactory(role="manager")
    other_client = app.test_client()
    log_in(other_client, colleague)

    seen = other_client.get(job_page)
    status = other_client.get(job_page + "/status")
    refused = other_client.post(job_page + "/confirm", data={})

    assert (seen.status_code, status.status_code, refused.status_code) == (404, 404, 404)
    assert row_count(Enterprise) == 0


def test_leaders_may_neither_open_the_import_nor_confirm_one(client, leader):
    log_in(client, leader)

    assert client.get("/enterprises/import").status_code == 403
    assert client.post("/enterprises/import/jobs/1/confirm", data={}).status_code == 403


def test_the_export_downloads_the_filtered_list_as_a_dated_csv(logged_in):
    EnterpriseFactory(name="上海导出科技有限公司")
    EnterpriseFactory(name="上海别的科技有限公司", sub_district_slug="jingansi")

    response = logged_in.get("/enterprises/export?format=csv&q=导出")

    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert re.search(r"filename=reservoir-\d{4}-\d{2}-\d{2}\.csv", disposition)
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [row["Registered name"] for row in rows] == ["上海导出科技有限公司"]


def test_the_export_as_xlsx_is_a_workbook(logged_in):
    EnterpriseFactory(name="上海表格导出科技有限公司")

    response = logged_in.get("/enterprises/export?format=xlsx")

    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "上海表格导出科技有限公司"
    ]


def test_an_unknown_export_format_is_a_bad_request(logged_in):
    assert logged_in.get("/enterprises/export?format=pdf").status_code == 400

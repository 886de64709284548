from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from crm.enterprises.import_issues import found_issues, issue_file_name
from crm.enterprises.importing import import_sheet
from crm.enterprises.sheets import read_sheet
from models import AuditEntry, Enterprise, ImportIssue, ImportIssueKind, db
from tests.enterprises.import_steps import confirm, upload
from tests.factories import UserFactory, valid_uscc
from tests.helpers import row_count

GOOD = valid_uscc(930001)
OTHER = valid_uscc(930002)
INVALID = GOOD[:17] + ("0" if GOOD[17] != "0" else "1")  # a wrong check character
NOW = datetime(2026, 3, 2, 9, 0)
HEADER = "uscc,name,sub_district,zone,track,year,revenue"


def csv_text(*rows: str) -> str:
    return "\n".join((HEADER, *rows)) + "\n"


def row(code: str, name: str = "上海质量科技有限公司", year: int = 2025) -> str:
    return f"{code},{name},daninglu,daning,ai,{year},100"


def issues() -> list[ImportIssue]:
    return list(db.session.scalars(select(ImportIssue).order_by(ImportIssue.id)))


def test_an_invalid_code_writes_no_firm_but_records_the_issue(logged_in, manager):
    audit_before = row_count(AuditEntry)

    preview = upload(logged_in, csv_text(row(OTHER, "上海好码科技有限公司"), row(INVALID)))

    assert 'data-testid="import-refused"' in preview.text
    assert row_count(Enterprise) == 0
    assert row_count(AuditEntry) == audit_before
    [issue] = issues()
    assert (issue.kind, issue.uscc, issue.file_name, issue.line) == (
        ImportIssueKind.INVALID_USCC,
        INVALID,
        "firms.csv",
        3,
    )
    assert issue.firm_name == "上海质量科技有限公司"
    assert issue.found_by_id == manager.id
    assert issue.resolved_at is None


def test_importing_the_same_bad_file_again_updates_the_issue_instead_of_adding_one(logged_in):
    upload(logged_in, csv_text(row(INVALID)))
    first_found_at = issues()[0].found_at

    upload(logged_in, csv_text(row(OTHER), row(INVALID)))

    [issue] = issues()
    assert issue.line == 3
    assert issue.found_at >= first_found_at


def test_the_same_bad_code_in_another_file_is_a_separate_issue(logged_in):
    upload(logged_in, csv_text(row(INVALID)), name="march.csv")
    upload(logged_in, csv_text(row(INVALID)), name="april.csv")

    assert [issue.file_name for issue in issues()] == ["march.csv", "april.csv"]


def test_a_later_good_import_of_the_same_file_name_resolves_its_issues(logged_in):
    upload(logged_in, csv_text(row(INVALID)), name="firms.csv")
    upload(logged_in, csv_text(row(INVALID)), name="other.csv")

    preview = upload(logged_in, csv_text(row(GOOD)), name="firms.csv")
    assert issues()[0].resolved_at is None  # a preview imports nothing yet
    confirmed = confirm(logged_in, preview)

    assert 'data-testid="import-done"' in confirmed.text
    assert row_count(Enterprise) == 1
    resolved = {issue.file_name: issue.resolved_at is not None for issue in issues()}
    assert resolved == {"firms.csv": True, "other.csv": False}


def test_the_file_name_is_kept_without_the_folders_a_browser_may_send():
    assert issue_file_name("C:\\Users\\li\\Desktop\\firms.csv") == "firms.csv"
    assert issue_file_name("../../secret.csv") == "secret.csv"


def test_rows_of_one_code_that_disagree_are_a_duplicate_code_issue(logged_in):
    content = csv_text(row(GOOD, "上海甲公司"), row(OTHER), row(GOOD, "上海乙公司", 2024))

    preview = upload(logged_in, content)

    assert 'data-testid="import-refused"' in preview.text
    assert row_count(Enterprise) == 0
    assert [(i.kind, i.uscc, i.line, i.firm_name) for i in issues()] == [
        (ImportIssueKind.DUPLICATE_USCC, GOOD, 2, "上海甲公司")
    ]


def test_the_same_firm_year_twice_is_a_duplicate_code_issue(admin):
    sheet = read_sheet("firms.csv", csv_text(row(GOOD), row(GOOD)).encode("utf-8"))
    report = import_sheet(admin, sheet, NOW, dry_run=True)

    found = found_issues(sheet, report.errors)

    assert [(item.kind, item.uscc, item.line) for item in found] == [
        (ImportIssueKind.DUPLICATE_USCC, GOOD, 2)
    ]


def test_one_firm_on_several_rows_of_different_years_is_no_issue(logged_in):
    preview = upload(logged_in, csv_text(row(GOOD, year=2024), row(GOOD, year=2025)))

    assert 'data-testid="import-refused"' not in preview.text
    assert issues() == []


def test_an_import_rejected_for_other_reasons_records_no_issue(logged_in):
    unknown_sub_district = f"{GOOD},上海质量科技有限公司,nowhere,daning,ai,2025,100"

    preview = upload(logged_in, f"{HEADER}\n{unknown_sub_district}\n")

    assert 'data-testid="import-refused"' in preview.text
    assert issues() == []


@pytest.fixture
def bad_file(tmp_path: Path) -> Path:
    path = tmp_path / "bad.csv"
    path.write_text(csv_text(row(INVALID)), encoding="utf-8")
    return path


def test_the_cli_records_the_issue_of_a_rejected_file_and_resolves_it_on_success(
    app, admin, bad_file
):
    db.session.commit()
    runner = app.test_cli_runner()

    rejected = runner.invoke(args=["crm", "import", str(bad_file)])
    again = runner.invoke(args=["crm", "import", str(bad_file)])

    assert (rejected.exit_code, again.exit_code) == (1, 1)
    assert row_count(Enterprise) == 0
    [issue] = issues()
    assert (issue.kind, issue.uscc, issue.file_name, issue.found_by_id) == (
        ImportIssueKind.INVALID_USCC,
        INVALID,
        "bad.csv",
        admin.id,
    )

    bad_file.write_text(csv_text(row(GOOD)), encoding="utf-8")
    fixed = runner.invoke(args=["crm", "import", str(bad_file)])

    assert fixed.exit_code == 0, fixed.output
    assert row_count(Enterprise) == 1
    db.session.refresh(issue)
    assert issue.resolved_at is not None


def test_a_cli_dry_run_records_nothing(app, admin, bad_file):
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["crm", "import", str(bad_file), "--dry-run"])

    assert result.exit_code == 1
    assert issues() == []


def test_a_cli_import_as_a_user_who_may_not_import_records_nothing(app, bad_file):
    UserFactory(username="li.lei", role="leader")
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["crm", "import", str(bad_file), "--as", "li.lei"])

    assert result.exit_code == 1
    assert issues() == []


def test_a_bad_code_coming_back_after_a_good_import_reopens_its_issue(logged_in):
    upload(logged_in, csv_text(row(INVALID)))
    confirm(logged_in, upload(logged_in, csv_text(row(GOOD))))

    upload(logged_in, csv_text(row(INVALID)))

    [issue] = issues()
    assert issue.resolved_at is None

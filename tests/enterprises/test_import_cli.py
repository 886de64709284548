from pathlib import Path

import pytest
from sqlalchemy import select

from models import Enterprise, db
from tests.enterprises.import_steps import row_counts
from tests.factories import EnterpriseFactory, UserFactory, valid_uscc

FIRST = valid_uscc(920001)
SECOND = valid_uscc(920002)
HEADER = "统一社会信用代码,企业名称,所属街道,功能区,产业赛道,年度,营业收入（万元）"


def firms_file(path: Path, *lines: str, encoding: str = "utf-8") -> Path:
    path.write_text(f"{HEADER}\n" + "".join(f"{line}\n" for line in lines), encoding=encoding)
    return path


@pytest.fixture
def good_file(tmp_path: Path) -> Path:
    return firms_file(
        tmp_path / "firms.csv",
        f"{FIRST},上海命令行甲科技有限公司,大宁路街道,大宁功能区,人工智能,2024,100",
        f"{FIRST},上海命令行甲科技有限公司,大宁路街道,大宁功能区,人工智能,2025,120",
        f"{SECOND},上海命令行乙科技有限公司,静安寺街道,南西功能区,金融科技,2025,300",
        encoding="utf-8-sig",
    )


@pytest.fixture
def bad_file(tmp_path: Path) -> Path:
    return firms_file(
        tmp_path / "bad.csv",
        f"{FIRST},上海命令行甲科技有限公司,大宁路街道,大宁功能区,人工智能,2025,100",
        f"{SECOND},上海命令行乙科技有限公司,无此街道,南西功能区,金融科技,2025,300",
        f"{SECOND},上海命令行乙科技有限公司,无此街道,南西功能区,金融科技,1900,300",
    )


def test_a_good_file_is_imported_with_progress_and_a_summary(app, admin, good_file):
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["crm", "import", str(good_file)])

    assert result.exit_code == 0, result.output
    assert "Importing" in result.output
    assert "Done: 2 firms added, 0 updated, 0 unchanged, 3 rows of figures saved." in result.output
    assert row_counts()[:2] == (2, 3)


def test_a_bad_file_exits_with_1_and_lists_every_error_writing_nothing(app, admin, bad_file):
    db.session.commit()
    before = row_counts()

    result = app.test_cli_runner().invoke(args=["crm", "import", str(bad_file)])

    assert result.exit_code == 1
    assert "Line 3, 所属街道: Unknown value “无此街道”." in result.output
    assert "Line 4, 所属街道" in result.output
    assert "Line 4, 年度: Between 1980 and 2026." in result.output
    assert "3 problems found; nothing was written." in result.output
    assert row_counts() == before


def test_a_dry_run_checks_the_file_and_writes_nothing(app, admin, good_file):
    db.session.commit()
    before = row_counts()

    result = app.test_cli_runner().invoke(args=["crm", "import", str(good_file), "--dry-run"])

    assert result.exit_code == 0, result.output
    assert "No problems. If imported: 2 firms added" in result.output
    assert row_counts() == before


def test_importing_as_a_manager_refuses_firms_of_other_sub_districts(app, good_file):
    UserFactory(username="zhao.lei", role="manager", sub_district_slug="daninglu")
    db.session.commit()

    result = app.test_cli_runner().invoke(
        args=["crm", "import", str(good_file), "--as", "zhao.lei"]
    )

    assert result.exit_code == 1
    assert "Line 4, 所属街道: You can only manage firms of your own sub-district." in result.output
    assert row_counts()[0] == 0


def test_without_an_active_admin_the_command_asks_for_a_user(app, good_file):
    result = app.test_cli_runner().invoke(args=["crm", "import", str(good_file)])

    assert result.exit_code == 1
    assert "pass --as USERNAME" in result.output


def test_a_file_that_renames_a_firm_is_refused_without_accept_renames(app, admin, good_file):
    EnterpriseFactory(uscc=FIRST, name="上海命令行旧名科技有限公司")
    db.session.commit()
    runner = app.test_cli_runner()

    refused = runner.invoke(args=["crm", "import", str(good_file)])
    renamed_firms = db.session.scalars(select(Enterprise.name).order_by(Enterprise.id)).all()
    accepted = runner.invoke(args=["crm", "import", str(good_file), "--accept-renames"])

    assert refused.exit_code == 1
    assert "renamed “上海命令行旧名科技有限公司” → “上海命令行甲科技有限公司”" in refused.output
    assert "run again with --accept-renames" in refused.output
    assert renamed_firms == ["上海命令行旧名科技有限公司"]
    assert accepted.exit_code == 0, accepted.output
    assert "1 firm added, 1 updated" in accepted.output
    assert db.session.scalar(select(Enterprise.name).where(Enterprise.uscc == FIRST)) == (
        "上海命令行甲科技有限公司"
    )


def test_the_command_speaks_the_language_asked_for(app, admin, bad_file):
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["crm", "import", str(bad_file), "--lang", "zh_CN"])

    assert result.exit_code == 1
    assert "第 3 行，所属街道：" in result.output

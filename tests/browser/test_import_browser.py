"""An account manager imports a file in Chromium: the check and the import run as background
jobs, the page shows their progress and moves on by itself when each ends.

The scheduler's part runs in the test (tests/enterprises/import_steps.run_imports), between the
browser's steps: that makes each state visible for as long as the test looks at it, where a real
scheduler process would race the page. The database is a file, as in production: the live
server's threads and the test each use their own connection to it.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from crm import create_app
from crm.reference import load_reference_data
from models import Enterprise, ImportJob, ImportJobState, db
from tests.enterprises.import_steps import run_imports
from tests.factories import PASSWORD, EnterpriseFactory, UserFactory, valid_uscc
from tests.helpers import ARTIFACTS, log_in_page, settings_for

pytestmark = pytest.mark.browser

NEW, KNOWN = valid_uscc(950001), valid_uscc(950002)
CONTENT = (
    "统一社会信用代码,企业名称,所属街道,功能区,产业赛道,年度,营业收入（万元）\n"
    f"{NEW},上海浏览器科技有限公司,大宁路街道,大宁功能区,人工智能,2025,1200\n"
    f"{KNOWN},上海改名后科技有限公司,大宁路街道,大宁功能区,人工智能,2025,800\n"
)


@pytest.fixture
def csrf_app(tmp_path: Path) -> Iterator[Flask]:
    """The live server's app on a database file (the shared fixture keeps it in memory)."""
    settings = settings_for(tmp_path) | {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'imports.sqlite3'}",
        "WTF_CSRF_ENABLED": True,
    }
    app = create_app(settings)
    with app.app_context():
        db.create_all()
        load_reference_data()
        db.session.commit()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def zh_page(chromium) -> object:
    return chromium.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})


def progress_of(page: object) -> str:
    return page.get_attribute("[data-testid=import-progress] [role=progressbar]", "aria-valuenow")


def test_an_import_shows_its_progress_then_its_preview_then_its_result(
    csrf_app, live_server, zh_page, tmp_path
):
    UserFactory(username="mgr.daninglu", role="manager", sub_district_slug="daninglu")
    firm = EnterpriseFactory(uscc=KNOWN, name="上海改名前科技有限公司")
    db.session.commit()
    page, upload = zh_page, tmp_path / "名单.csv"
    upload.write_text(CONTENT, encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    log_in_page(page, live_server, "mgr.daninglu", PASSWORD)

    page.goto(f"{live_server}/enterprises/import")
    page.evaluate(
        "document.querySelector('form[data-disable-on-submit]')"
        ".addEventListener('submit', (event) => event.preventDefault())"
    )
    page.set_input_files("input[type=file]", str(upload))
    page.click("main form button[type=submit]")
    button_disabled_on_submit = page.is_disabled("main form button[type=submit]")
    page.reload()
    page.set_input_files("input[type=file]", str(upload))
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=import-progress]")
    waiting_at = progress_of(page)
    job = db.session.scalars(select(ImportJob)).one()
    job.state, job.rows_total = ImportJobState.CHECKING, 2
    db.session.commit()
    progress = Path(csrf_app.config["CRM_UPLOAD_FOLDER"]) / f"{job.stored_name}.progress"
    progress.write_text("2 4")  # half the work: what the running check writes as it goes
    page.wait_for_selector('[data-testid=import-progress] [role=progressbar][aria-valuenow="50"]')
    page.screenshot(path=str(ARTIFACTS / "import-progress.png"), full_page=True)
    job.state = ImportJobState.QUEUED
    db.session.commit()
    run_imports()
    page.wait_for_selector("[data-testid=confirm-import]")  # the page reloaded by itself
    page.screenshot(path=str(ARTIFACTS / "import-preview.png"), full_page=True)
    renamed = page.inner_text("[data-testid=changes]")
    page.check("input[name=accept_renames]")
    page.click("[data-testid=confirm-import]")
    page.wait_for_selector("[data-testid=import-progress]")
    run_imports()
    page.wait_for_selector("[data-testid=import-done]")
    page.screenshot(path=str(ARTIFACTS / "import-done.png"), full_page=True)

    assert button_disabled_on_submit
    assert waiting_at == "0"
    assert "上海改名前科技有限公司" in renamed
    assert "上海改名后科技有限公司" in renamed
    db.session.expire_all()
    assert db.session.get(Enterprise, firm.id).name == "上海改名后科技有限公司"
    assert db.session.scalar(select(Enterprise.id).where(Enterprise.uscc == NEW)) is not None

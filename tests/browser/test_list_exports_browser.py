"""The request and package lists download what they show, from a phone in Chinese, in Chromium."""

import pytest

from models import RequestState, Role, db
from tests.factories import PASSWORD, EnterpriseFactory, EnterpriseRequestFactory, UserFactory
from tests.helpers import ARTIFACTS, item, log_in_page, propose
from tests.spreadsheets import xlsx_rows

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
WIDER_THAN_THE_SCREEN = "document.documentElement.scrollWidth > window.innerWidth + 1"


@pytest.fixture
def district():
    """Requests and a package of a daninglu firm, and a request of a jingansi firm."""
    manager = UserFactory(username="mgr.export", role=Role.MANAGER, locale="zh_CN")
    firm = EnterpriseFactory(name="上海导出测试科技有限公司")
    other = EnterpriseFactory(name="上海静安寺导出科技有限公司", sub_district_slug="jingansi")
    EnterpriseRequestFactory(enterprise=firm, created_by=manager, description="需要贷款贴息")
    EnterpriseRequestFactory(enterprise=firm, created_by=manager, state=RequestState.REJECTED)
    EnterpriseRequestFactory(enterprise=other, description="另一街道的诉求")
    propose(manager, firm, item("talent_housing", "2"), title="人才安居支持")
    db.session.commit()
    return manager


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_manager_downloads_the_filtered_request_list_as_excel(
    live_server, chromium, district, viewport
):
    size = PHONE if viewport == "phone" else {"width": 1280, "height": 900}
    page = chromium.new_page(locale="zh-CN", viewport=size, is_mobile=viewport == "phone")
    log_in_page(page, live_server, "mgr.export", PASSWORD)
    page.goto(f"{live_server}/requests/?state=open")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"requests-export-{viewport}-zh.png"), full_page=True)
    fits = not page.evaluate(WIDER_THAN_THE_SCREEN)

    with page.expect_download() as download:
        page.click("[data-testid=export-xlsx]")
    rows = xlsx_rows(download.value.path().read_bytes())

    assert fits
    assert download.value.suggested_filename.startswith("requests-")
    assert download.value.suggested_filename.endswith(".xlsx")
    assert [row["诉求"] for row in rows] == ["需要贷款贴息"]  # open only, own sub-district only
    assert rows[0]["企业"] == "上海导出测试科技有限公司"


def test_the_package_list_filters_by_state_and_exports_it_as_csv(live_server, chromium, district):
    page = chromium.new_page(locale="zh-CN", viewport=PHONE, is_mobile=True)
    log_in_page(page, live_server, "mgr.export", PASSWORD)
    page.goto(f"{live_server}/packages/")
    page.select_option("select[name=state]", "proposed")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_load_state()
    page.screenshot(path=str(ARTIFACTS / "packages-export-phone-zh.png"), full_page=True)

    with page.expect_download() as download:
        page.click("[data-testid=export-csv]")
    content = download.value.path().read_bytes()

    assert "state=proposed" in page.url
    assert not page.evaluate(WIDER_THAN_THE_SCREEN)
    assert "人才安居支持" in content.decode("utf-8-sig")

"""A manager logs in, filters the reservoir and opens a firm, in a real headless Chromium."""

import os

import pytest

from models import IndustryTrack, db
from tests.factories import (
    PASSWORD,
    EnterpriseFactory,
    UserFactory,
    YearlyFiguresFactory,
    reference,
)
from tests.helpers import ARTIFACTS, log_in_page

pytestmark = pytest.mark.browser


def test_a_manager_filters_the_reservoir_and_opens_a_firm(live_server, browser_page):
    UserFactory(username="mgr.daninglu", role="manager", sub_district_slug="daninglu")
    chip_firm = EnterpriseFactory(
        name="上海芯量集成电路设计有限公司", track=reference(IndustryTrack, "integrated_circuits")
    )
    EnterpriseFactory(name="上海云启人工智能科技有限公司")
    EnterpriseFactory(name="上海南西数据科技有限公司", sub_district_slug="nanjingxilu")
    YearlyFiguresFactory(enterprise=chip_firm, year=2024, revenue=3200)
    YearlyFiguresFactory(enterprise=chip_firm, year=2025, revenue=4100)
    db.session.commit()
    page = browser_page

    log_in_page(page, live_server, "mgr.daninglu", PASSWORD)
    page.goto(f"{live_server}/enterprises/")
    listed_before = page.inner_text("[data-testid=result-count]")
    page.select_option("select[name=track]", "integrated_circuits")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url("**track=integrated_circuits**")
    listed_after = page.inner_text("table")
    page.click("text=上海芯量集成电路设计有限公司")
    page.wait_for_selector("h1")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "firm-page.png"), full_page=True)

    assert listed_before.startswith("2")  # the nanjingxilu firm is out of scope
    assert "上海芯量集成电路设计有限公司" in listed_after
    assert "上海云启人工智能科技有限公司" not in listed_after
    assert page.inner_text("h1") == "上海芯量集成电路设计有限公司"
    assert page.locator("#figures-chart").count() == 1
    assert page.evaluate("() => !!window.Chart")  # the vendored chart library loaded
    assert os.path.getsize(ARTIFACTS / "firm-page.png") > 10_000

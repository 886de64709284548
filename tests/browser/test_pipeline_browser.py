"""A leader opens the pipeline, filters it and reads a firm's reasons, in headless Chromium."""

import os

import pytest

from crm.pipeline.rescoring import rescore
from tests.factories import PASSWORD, UserFactory
from tests.helpers import ARTIFACTS, firm_with_figures, log_in_page
from tests.helpers import PIPELINE_AS_OF as AS_OF
from tests.helpers import PIPELINE_NOW as NOW

pytestmark = pytest.mark.browser


def test_a_leader_filters_the_pipeline_and_opens_a_firms_reasons(live_server, browser_page):
    from models import db

    UserFactory(username="leader.wang", role="leader")
    for number in range(6):
        firm_with_figures(number)
    far_firms = [firm_with_figures(number, sub_district="jiangninglu") for number in range(6, 9)]
    db.session.commit()
    rescore(AS_OF, NOW)
    db.session.commit()  # the live server reads through connections of its own
    page = browser_page

    log_in_page(page, live_server, "leader.wang", PASSWORD)
    page.goto(f"{live_server}/pipeline/")
    rows_before = page.locator("[data-testid=pipeline-row]").count()
    page.select_option("select[name=sub_district]", "jiangninglu")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url("**sub_district=jiangninglu**")
    rows = page.locator("[data-testid=pipeline-row]")
    rows_after = rows.count()
    first = rows.first
    first.locator("summary").click()
    reasons = first.locator(".reasons li")
    reasons.first.wait_for()
    reason_text = reasons.all_inner_texts()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "pipeline.png"), full_page=True)
    first.locator("td.firm-name a").click()
    page.wait_for_selector("[data-testid=score-card]")
    page.screenshot(path=str(ARTIFACTS / "firm-potential.png"), full_page=True)

    assert rows_before == 9
    assert rows_after == len(far_firms)
    assert any("% of" in text or "not reported" in text for text in reason_text)
    assert page.inner_text("h1") in {firm.name for firm in far_firms}
    assert "by rule-based index" in page.inner_text("[data-testid=score-card]")
    assert page.locator("#score-chart").count() == 1
    assert os.path.getsize(ARTIFACTS / "pipeline.png") > 10_000

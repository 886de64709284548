"""A manager opens a listing track from a firm's page, records a step and adds a blocker, which
reaches the department as a request; a leader reads the funnel. Real Chromium, CSRF on."""

import pytest

from models import EnterpriseRequest, ListingStage, ListingTrack, db
from tests.factories import PASSWORD, EnterpriseFactory, UserFactory
from tests.helpers import ARTIFACTS, log_in_page

pytestmark = pytest.mark.browser


def test_a_manager_walks_a_track_and_a_leader_sees_the_funnel(live_server, chromium, browser_page):
    UserFactory(username="mgr.daninglu", role="manager", sub_district_slug="daninglu")
    UserFactory(username="leader", role="leader")
    UserFactory(username="dept.ecology", role="department", department_slug="ecology")
    firm = EnterpriseFactory(name="上海大宁智算科技有限公司")
    db.session.commit()
    page = browser_page

    log_in_page(page, live_server, "mgr.daninglu", PASSWORD)
    page.goto(f"{live_server}/enterprises/{firm.id}")
    page.click("[data-testid=open-listing-track]")
    page.select_option("[name=board]", "star_market")
    page.select_option("[name=stage]", "shareholding_reform")
    page.fill("[name=stage_since]", "2026-03-02")
    page.fill("[name=sponsor]", "中信证券")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()

    advance = page.locator("[data-testid=advance-form]")
    advance.locator("[name=stage]").select_option("tutoring_filed")
    advance.locator("[name=on]").fill("2026-10-15")
    advance.locator("button[type=submit]").click()
    page.wait_for_load_state()

    blocker = page.locator("[data-testid=blocker-form]")
    blocker.locator("[name=description]").fill("募投项目环评批复尚未取得")
    blocker.locator("[name=department]").select_option("ecology")
    blocker.locator("[name=due_on]").fill("2027-01-15")
    blocker.locator("button[type=submit]").click()
    page.wait_for_load_state()
    page.screenshot(path=str(ARTIFACTS / "listing-track.png"), full_page=True)
    track_page = page.inner_text("main")

    staff = chromium.new_page(locale="en-US", viewport={"width": 1280, "height": 900})
    log_in_page(staff, live_server, "dept.ecology", PASSWORD)
    staff.goto(f"{live_server}/requests/")
    inbox = staff.inner_text("main")

    leader = chromium.new_page(locale="en-US", viewport={"width": 1280, "height": 900})
    log_in_page(leader, live_server, "leader", PASSWORD)
    leader.goto(f"{live_server}/listings/")
    leader.click("[data-testid=funnel-link]")
    leader.wait_for_load_state()
    leader.screenshot(path=str(ARTIFACTS / "listing-funnel.png"), full_page=True)
    funnel = leader.locator("[data-testid=funnel] tr[data-stage=tutoring_filed]").inner_text()

    db.session.expire_all()
    track = db.session.scalars(db.select(ListingTrack)).one()
    request = db.session.scalars(db.select(EnterpriseRequest)).one()
    assert track.stage == ListingStage.TUTORING_FILED
    assert [step.to_stage for step in track.steps] == [
        ListingStage.SHAREHOLDING_REFORM,
        ListingStage.TUTORING_FILED,
    ]
    assert request.department.slug == "ecology"
    assert "募投项目环评批复尚未取得" in track_page
    assert f"#{request.id}" in track_page
    assert "上海大宁智算科技有限公司" in inbox
    assert "1" in funnel
    assert "Forecast of listed firms" in leader.inner_text("main")

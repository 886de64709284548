"""A manager on a phone sees the reminder count, opens the inbox, follows a reminder to the
firm's visit form, comes back and marks it done. Real Chromium, CSRF on, a real scan."""

from datetime import timedelta

import pytest

from crm.clock import today
from models import Reminder, ReminderState, Tier, db
from tests.factories import PASSWORD, EnterpriseFactory, UserFactory, YearlyFiguresFactory
from tests.helpers import ARTIFACTS, log_in_page, log_visit, scan_on

pytestmark = pytest.mark.browser


def test_a_manager_follows_a_reminder_and_marks_it_done(live_server, phone_page):
    manager = UserFactory(username="mgr.daninglu", role="manager", sub_district_slug="daninglu")
    late = EnterpriseFactory(name="上海大宁智算科技有限公司", tier=Tier.CANDIDATE, manager=manager)
    soon = EnterpriseFactory(name="上海灵犀量子科技有限公司", tier=Tier.CANDIDATE, manager=manager)
    for firm in (late, soon):
        YearlyFiguresFactory(enterprise=firm, year=today().year - 1)
    log_visit(late, today() - timedelta(days=40), manager)  # 10 days past its monthly visit
    log_visit(soon, today() - timedelta(days=25), manager)  # due in 5 days
    scan_on(today())
    db.session.commit()
    page = phone_page

    log_in_page(page, live_server, "mgr.daninglu", PASSWORD)
    assert page.inner_text("[data-testid=inbox-count-phone]") == "2"  # in sight, menu folded
    page.click("[data-testid=inbox-count-phone]")
    page.wait_for_load_state()
    items = page.locator("[data-testid=reminder]")
    assert items.count() == 2
    assert "10 days late" in items.nth(0).inner_text()
    assert "in 5 days" in items.nth(1).inner_text()
    page.screenshot(path=str(ARTIFACTS / "inbox-phone.png"), full_page=True)

    items.nth(0).locator("[data-testid=reminder-link]").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/visits/new/{late.id}")
    assert "上海大宁智算科技有限公司" in page.inner_text("main")

    page.go_back()
    page.wait_for_load_state()
    page.locator("[data-testid=reminder]").nth(0).locator("[data-testid=reminder-done]").click()
    page.wait_for_load_state()
    assert "Reminder marked done." in page.inner_text("main")
    assert page.locator("[data-testid=reminder]").count() == 1
    assert page.inner_text("[data-testid=inbox-count-phone]") == "1"
    page.click("button.navbar-toggler")  # the menu's button says the same
    assert page.inner_text("[data-testid=inbox-count]") == "1"
    db.session.rollback()
    states = {r.record_id: r.state for r in db.session.query(Reminder)}
    assert states == {late.id: ReminderState.DONE, soon.id: ReminderState.OPEN}

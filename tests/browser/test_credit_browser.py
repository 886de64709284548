"""A manager answers a firm's financing request by nominating it to a bank's white list; the
leader submits the batch and records the bank's listing; the manager then sees the firm listed,
and the finance bureau resolves the request quoting the quota. Real Chromium, CSRF on."""

from decimal import Decimal

import pytest

from crm.clock import utcnow
from crm.credit import services
from models import EnterpriseRequest, Nomination, NominationDecision, RequestState, db
from tests.credit.conftest import make_bank, make_product
from tests.factories import (
    PASSWORD,
    EnterpriseFactory,
    EnterpriseRequestFactory,
    UserFactory,
    YearlyFiguresFactory,
)
from tests.helpers import ARTIFACTS, log_in_page

pytestmark = pytest.mark.browser


def _take_step(page, action: str) -> None:
    page.click(f"details:has(input[name=action][value={action}]) > summary")
    page.locator(f"form:has(input[name=action][value={action}]) button[type=submit]").click()
    page.wait_for_load_state()


def _confirming(page) -> object:
    page.on("dialog", lambda dialog: dialog.accept())  # the "submit to the bank?" question
    return page


def test_a_financing_request_is_answered_by_a_bank_white_list(live_server, chromium, browser_page):
    manager = UserFactory(username="mgr.daninglu", role="manager", sub_district_slug="daninglu")
    leader = UserFactory(username="leader", role="leader")
    UserFactory(username="dept.finance", role="department", department_slug="finance")
    firm = EnterpriseFactory(name="上海大宁智算科技有限公司", manager=manager)
    YearlyFiguresFactory(enterprise=firm, year=2025, revenue=Decimal("8600.00"))
    request = EnterpriseRequestFactory(enterprise=firm, created_by=manager)
    product = make_product(make_bank())
    batch = services.open_batch(leader, product.id, "2026年第四批数字经济白名单", utcnow())
    db.session.commit()
    today = utcnow().date().isoformat()
    page = browser_page

    log_in_page(page, live_server, "mgr.daninglu", PASSWORD)
    page.goto(f"{live_server}/requests/{request.id}")
    page.click("[data-testid=nominate-from-request]")
    page.fill("[name=quota_asked]", "1200")
    page.click("[data-testid=nominate-form] button[type=submit]")
    page.wait_for_load_state()
    awaiting = page.inner_text("[data-testid=credit-request-panel]")

    desk = _confirming(chromium.new_page(locale="en-US", viewport={"width": 1280, "height": 900}))
    log_in_page(desk, live_server, "leader", PASSWORD)
    desk.goto(f"{live_server}/credit/batches/{batch.id}")
    desk.click("[data-testid=submit-batch]")
    desk.wait_for_load_state()
    desk.click("[data-testid^=open-]")
    desk.wait_for_load_state()
    desk.click("label[for=decision-0]")  # on the white list
    desk.fill("[name=decided_on]", today)
    desk.fill("[name=quota_granted]", "1000")
    desk.fill("[name=rate]", "3.45")
    desk.fill("[name=term_months]", "12")
    desk.click("[data-testid=decision-form] button[type=submit]")
    desk.wait_for_load_state()
    desk.screenshot(path=str(ARTIFACTS / "credit-decision.png"), full_page=True)

    page.goto(f"{live_server}/requests/{request.id}")
    listed = page.inner_text("[data-testid=credit-request-panel]")
    page.goto(f"{live_server}/enterprises/{firm.id}")
    firm_panel = page.inner_text("[data-testid=credit-panel]")

    bureau = chromium.new_page(locale="en-US", viewport={"width": 1280, "height": 900})
    log_in_page(bureau, live_server, "dept.finance", PASSWORD)
    bureau.goto(f"{live_server}/requests/{request.id}")
    for action in ("accept", "start"):
        _take_step(bureau, action)
    bureau.goto(f"{live_server}/requests/{request.id}")
    bureau.click("text=Resolve with the bank's answer")
    bureau.wait_for_load_state()
    bureau.click("#answer button[type=submit]")
    bureau.wait_for_load_state()

    db.session.expire_all()
    nomination = db.session.query(Nomination).one()
    assert "awaiting the bank" in awaiting
    assert nomination.request_id == request.id
    assert nomination.figures["revenue"] == "8600.00"
    assert nomination.decision == NominationDecision.LISTED
    assert "On the white list" in listed
    assert "1,000" in listed
    assert "Bank of Shanghai" in firm_panel
    resolved = db.session.get(EnterpriseRequest, request.id)
    assert resolved.state == RequestState.RESOLVED
    assert "1,000" in (resolved.answer or "")

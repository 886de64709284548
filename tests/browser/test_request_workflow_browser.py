"""On a phone a manager logs an on-site visit with a red flag and turns it into a request;
the department accepts and resolves it; the manager confirms it closed. Real Chromium, CSRF on."""

import pytest

from models import EnterpriseRequest, RequestState, db
from tests.factories import PASSWORD, EnterpriseFactory, UserFactory
from tests.helpers import ARTIFACTS, log_in_page

pytestmark = pytest.mark.browser
RED_FLAGS = ("move_out", "downsizing", "key_people_leaving", "financing_gap", "regulatory_trouble")


def _take_step(page, action: str, fill: dict[str, str] | None = None) -> None:
    page.click(f"details:has(input[name=action][value={action}]) > summary")
    form = page.locator(f"form:has(input[name=action][value={action}])")
    for name, value in (fill or {}).items():
        form.locator(f"[name={name}]").fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_a_visit_request_travels_from_the_lobby_to_the_department_and_back(
    live_server, chromium, phone_page
):
    UserFactory(username="mgr.daninglu", role="manager", sub_district_slug="daninglu")
    UserFactory(username="dept.finance", role="department", department_slug="finance")
    firm = EnterpriseFactory(name="上海大宁智算科技有限公司")
    db.session.commit()
    page = phone_page

    log_in_page(page, live_server, "mgr.daninglu", PASSWORD)
    page.goto(f"{live_server}/visits/new/{firm.id}")
    page.fill("[name=visited_on]", "2026-11-20")
    page.click("label[for=kind-0]")  # on site
    page.fill("[name=summary]", "走访企业负责人，企业反映流动资金紧张。")
    for flag in RED_FLAGS:
        answer = "yes" if flag == "financing_gap" else "no"
        radio_id = page.get_attribute(f"input[name=flag_{flag}][value={answer}]", "id")
        page.click(f"label[for={radio_id}]")  # Bootstrap hides the radio behind its label
    page.screenshot(path=str(ARTIFACTS / "visit-form-phone.png"), full_page=True)
    page.click("form.visit-form button[type=submit]")
    page.wait_for_load_state()
    page.click("button.btn-warning")  # the red flag's one-tap offer to raise a request
    page.wait_for_load_state()
    request_url = page.url
    raised = db.session.query(EnterpriseRequest).one()

    staff = chromium.new_page(locale="en-US", viewport={"width": 1280, "height": 900})
    log_in_page(staff, live_server, "dept.finance", PASSWORD)
    inbox = staff.inner_text("main")
    staff.goto(request_url)
    _take_step(staff, "accept")
    _take_step(staff, "start")
    _take_step(staff, "resolve", {"answer": "已推荐至合作银行，授信审批已通过。"})

    page.goto(request_url)
    _take_step(page, "close", {"satisfaction": "5"})
    page.screenshot(path=str(ARTIFACTS / "request-closed-phone.png"), full_page=True)

    db.session.expire_all()
    closed = db.session.get(EnterpriseRequest, raised.id)
    assert "上海大宁智算科技有限公司" in inbox
    assert raised.category.value == "financing"
    assert raised.department.slug == "finance"
    assert closed.state == RequestState.CLOSED
    assert closed.satisfaction == 5
    assert [event.action for event in closed.events] == [
        "create",
        "accept",
        "start",
        "resolve",
        "close",
    ]
    assert "★★★★★" in page.inner_text("main")

"""Each role logs in, in Chinese, on a phone and on a desktop, and lands on its own first page
with its counts named in the navigation bar; no first page scrolls sideways on a phone.
Real Chromium, CSRF on."""

from datetime import date, timedelta

import pytest

from crm.clock import today
from models import RequestState, Tier, db
from tests.browser.test_security_browser import WATCH_VIOLATIONS
from tests.factories import PASSWORD, EnterpriseFactory, EnterpriseRequestFactory, UserFactory
from tests.helpers import ARTIFACTS, add_follow_up, log_in_page, log_visit
from tests.reminders.test_inbox import _reminder

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
NARROWEST_DESKTOP = {
    "width": 1200,
    "height": 800,
}  # the widest screen the menu folds on is 1,199 px
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
# The counts sit beside the menu button, on one line: a header that wraps pushes the page down.
ONE_LINE_HEADER = "document.querySelector('nav.navbar').offsetHeight <= 64"
# username -> (first page, the badge's link on a phone, on a desktop, the count it shows)
FIRST_PAGES = {
    "mgr.daninglu": ("/today/", "today-link-phone", "today-link", "2"),
    "dept.finance": ("/requests/", "requests-inbox-link-phone", "requests-inbox-link", "3"),
    "leader.wang": ("/dashboard/", "inbox-link-phone", "inbox-link", "1"),
    "admin.zhao": ("/dashboard/", "inbox-link-phone", "inbox-link", "1"),
}


@pytest.fixture
def district(live_server: str) -> str:
    manager = UserFactory(username="mgr.daninglu", role="manager", sub_district_slug="daninglu")
    UserFactory(username="dept.finance", role="department", department_slug="finance")
    leader = UserFactory(username="leader.wang", role="leader")
    admin = UserFactory(username="admin.zhao", role="admin")
    late = EnterpriseFactory(
        name="上海大宁智算科技有限公司（长名称用于检查手机上的换行效果）",
        tier=Tier.CANDIDATE,
        manager=manager,
        risk_flagged_on=date(2026, 11, 2),
    )
    visit = log_visit(late, today() - timedelta(days=40), manager)
    add_follow_up(visit, manager, today())
    EnterpriseRequestFactory(enterprise=late, created_by=manager, state=RequestState.RESOLVED)
    for state in (RequestState.OPEN, RequestState.ACCEPTED, RequestState.IN_PROGRESS):
        EnterpriseRequestFactory(enterprise=late, created_by=manager, state=state)
    outside = EnterpriseFactory(name="上海静安寺金融科技有限公司", sub_district_slug="jingansi")
    outside.risk_flagged_on = date(2026, 11, 3)
    for user in (manager, leader, admin):
        _reminder(user)
    db.session.commit()
    return live_server


@pytest.mark.parametrize(("viewport", "size"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_each_role_lands_on_its_first_page_with_named_counts(chromium, district, viewport, size):
    ARTIFACTS.mkdir(exist_ok=True)
    for username, (first_page, phone_badge, desktop_badge, count) in FIRST_PAGES.items():
        page = chromium.new_page(locale="zh-CN", viewport=size, is_mobile=viewport == "phone")

        log_in_page(page, district, username, PASSWORD)

        assert page.url == f"{district}{first_page}", username
        assert page.get_attribute("html", "lang") == "zh-CN"
        badge = page.locator(
            f"[data-testid={phone_badge if viewport == 'phone' else desktop_badge}]"
        )
        assert badge.is_visible(), username
        assert count in badge.inner_text(), username
        assert badge.inner_text().strip() != count, username  # a word beside the number
        assert count in (badge.get_attribute("aria-label") or ""), username
        if viewport == "phone":
            assert page.evaluate(NO_SIDEWAYS_SCROLL), username
            assert page.evaluate(ONE_LINE_HEADER), username
        name = username.split(".")[0]
        page.screenshot(
            path=str(ARTIFACTS / f"first-page-{name}-{viewport}-zh.png"), full_page=True
        )
        page.close()


def test_a_managers_today_on_a_phone_lists_their_work_only(chromium, district):
    page = chromium.new_page(locale="zh-CN", viewport=PHONE, is_mobile=True)
    page.add_init_script(WATCH_VIOLATIONS)
    log_in_page(page, district, "mgr.daninglu", PASSWORD)

    sections = {
        name: page.locator(f"[data-testid=today-{name}]")
        for name in ("visits", "follow-ups", "requests", "risks")
    }

    for name, section in sections.items():
        assert section.locator("[data-testid=section-count]").inner_text() == "1", name
        assert "上海大宁智算科技有限公司" in section.inner_text() or name == "follow-ups", name
    assert "上海静安寺金融科技有限公司" not in page.inner_text("main")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert page.evaluate("window.__violations") == []  # no inline style or script on the page
    sections["visits"].locator("[data-testid=today-item] a").click()
    page.wait_for_load_state()
    assert "/visits/new/" in page.url


def test_a_managers_today_reads_in_english_on_a_phone_too(chromium, district):
    page = chromium.new_page(locale="en-US", viewport=PHONE, is_mobile=True)

    log_in_page(page, district, "mgr.daninglu", PASSWORD)

    assert page.inner_text("[data-testid=today-link-phone]").split() == ["Today", "2"]
    assert page.inner_text("[data-testid=inbox-link-phone]").split() == ["Reminders", "1"]
    assert "10 days late" in page.inner_text("[data-testid=today-visits]")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert page.evaluate(ONE_LINE_HEADER)
    page.screenshot(path=str(ARTIFACTS / "first-page-mgr-phone-en.png"), full_page=True)


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_every_roles_menu_fits_one_line_on_the_narrowest_desktop(chromium, district, locale):
    for username in FIRST_PAGES:
        page = chromium.new_page(locale=locale, viewport=NARROWEST_DESKTOP)

        log_in_page(page, district, username, PASSWORD)

        assert page.evaluate(ONE_LINE_HEADER), username
        assert page.evaluate(NO_SIDEWAYS_SCROLL), username
        page.close()

"""A leader reads the dashboard in headless Chromium: charts drawn, numbers a click away."""

import pytest

from crm.seeding import seed_demo
from models import db
from tests.factories import PASSWORD, UserFactory
from tests.helpers import ARTIFACTS, DEMO_SEED, log_in_page
from tests.helpers import DEMO_TODAY as TODAY

pytestmark = pytest.mark.browser

# Pixels a canvas has inked: a chart that failed to draw leaves its canvas blank (zero).
INKED_PIXELS = """
() => Array.from(document.querySelectorAll('canvas[data-chart]')).map((canvas) => {
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) inked += 1;
  return canvas.dataset.rendered === 'true' ? inked : -1;
})
"""


@pytest.fixture
def demo_leader(live_server: str) -> str:
    seed_demo(150, DEMO_SEED, TODAY)
    UserFactory(username="leader.li", role="leader")
    db.session.commit()
    return live_server


def test_a_leader_sees_drawn_charts_and_their_numbers(demo_leader, browser_page):
    page = browser_page
    log_in_page(page, demo_leader, "leader.li", PASSWORD)
    page.goto(f"{demo_leader}/dashboard/")
    page.wait_for_selector("canvas[data-rendered=true]")
    inked = page.evaluate(INKED_PIXELS)
    numbers = page.locator("[data-testid=numbers-targets]")
    assert not numbers.locator("table").is_visible()
    numbers.locator("summary").click()
    table_visible = numbers.locator("table").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)

    assert len(inked) >= 2
    assert min(inked) > 1000, inked  # every chart drawn, none left an empty canvas
    assert table_visible
    assert page.locator("[data-testid^=target-]").count() >= 7

    page.select_option("select[name=period]", "year")
    page.click("[data-testid=dashboard-filters] button[type=submit]")
    page.wait_for_url("**period=year**")
    page.click("[data-testid=print-link]")
    page.wait_for_selector("h1")
    page.emulate_media(media="print")
    page.screenshot(path=str(ARTIFACTS / "dashboard-print.png"), full_page=True)
    assert "This year" in page.inner_text("main")
    assert page.locator("canvas").count() == 0


def test_the_dashboard_reads_on_a_tablet_in_chinese(demo_leader, chromium):
    page = chromium.new_page(locale="zh-CN", viewport={"width": 820, "height": 1180})
    log_in_page(page, demo_leader, "leader.li", PASSWORD)
    page.goto(f"{demo_leader}/dashboard/")
    if page.get_attribute("html", "lang") != "zh-CN":
        page.click("[data-testid=language-switch]")
        page.wait_for_load_state()
    page.wait_for_selector("canvas[data-rendered=true]")
    inked = page.evaluate(INKED_PIXELS)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    page.screenshot(path=str(ARTIFACTS / "dashboard-tablet-zh.png"), full_page=True)

    assert page.get_attribute("html", "lang") == "zh-CN"
    assert min(inked) > 1000, inked
    assert overflow <= 0  # nothing wider than the tablet: no sideways scrolling

"""Date fields follow the page's language, not the browser's: Chromium draws <input type="date">
in its own format (mm/dd/yyyy in an English Chromium, on a Chinese page too, whatever lang says),
so days are typed as 2026-03-05 in a text box that reads the other ways people write them."""

import pytest

from models import db
from tests.factories import PASSWORD, UserFactory
from tests.helpers import ARTIFACTS, log_in_page

pytestmark = pytest.mark.browser


@pytest.fixture
def manager_server(live_server: str) -> str:
    UserFactory(username="date.manager", role="manager", sub_district_slug="daninglu")
    db.session.commit()
    return live_server


@pytest.mark.parametrize(
    ("locale", "html_lang", "placeholder"),
    [("zh-CN", "zh-CN", "如 2026-03-05"), ("en-US", "en", "YYYY-MM-DD")],
)
def test_a_date_field_reads_the_way_people_write_a_day_in_either_language(
    chromium, manager_server, locale, html_lang, placeholder
):
    ARTIFACTS.mkdir(exist_ok=True)
    page = chromium.new_page(locale=locale, viewport={"width": 1280, "height": 900})
    log_in_page(page, manager_server, "date.manager", PASSWORD)
    page.goto(f"{manager_server}/requests/new")
    due = page.locator("#due_on")

    due.fill("２０２６年3月5日")  # full-width digits, as a Chinese input method types them
    due.press("Tab")

    assert page.get_attribute("html", "lang") == html_lang
    assert due.get_attribute("type") == "text"
    assert due.get_attribute("placeholder") == placeholder
    assert due.input_value() == "2026-03-05"
    due.fill("2026/3/7")
    due.press("Tab")
    assert due.input_value() == "2026-03-07"
    page.screenshot(path=str(ARTIFACTS / f"date-input-{html_lang}.png"), full_page=True)
    page.close()

"""A manager on a 390 px phone, in Chinese: no page scrolls sideways, lists read as cards, and a
visit is logged by searching for the firm, in headless Chromium."""

import re

import pytest

from crm.pipeline.rescoring import rescore
from crm.requests import services as request_services
from crm.requests.services import RequestInput
from models import RedFlag, Role, db
from tests.factories import PASSWORD, EnterpriseFactory, UserFactory
from tests.helpers import ARTIFACTS, firm_with_figures, log_in_page
from tests.helpers import PIPELINE_AS_OF as AS_OF
from tests.helpers import PIPELINE_NOW as NOW
from tests.visits.helpers import TODAY, logged, on_site

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SEARCHED_FIRM = "上海芯量集成电路设计有限公司"
WIDER_THAN_THE_SCREEN = "document.documentElement.scrollWidth > window.innerWidth + 1"


@pytest.fixture
def zh_phone(chromium):
    return chromium.new_page(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)


@pytest.fixture
def sub_district():
    """A manager's sub-district with scored firms, a firm at risk, a request and visits."""
    manager = UserFactory(
        username="mgr.daninglu", display_name="王经理", role=Role.MANAGER, locale="zh_CN"
    )
    firms = [firm_with_figures(number) for number in range(6)]
    firm_with_figures(7, sub_district="jiangninglu")
    for firm in firms:
        firm.manager = manager
    searched = EnterpriseFactory(name=SEARCHED_FIRM, manager=manager)
    visit = logged(manager, firms[0], on_site(TODAY, RedFlag.MOVE_OUT))
    raised = request_services.create_request(
        manager,
        RequestInput(enterprise_id=firms[1].id, category="financing", description="需要贷款贴息"),
        NOW,
    )
    db.session.commit()
    rescore(AS_OF, NOW)
    db.session.commit()  # the live server reads through connections of its own
    return {"firms": firms, "searched": searched, "visit": visit, "request": raised}


def fits_the_screen(page) -> bool:
    return not page.evaluate(WIDER_THAN_THE_SCREEN)


def test_a_managers_main_pages_fit_a_phone_and_show_their_key_columns(
    live_server, zh_phone, sub_district
):
    page = zh_phone
    firm = sub_district["firms"][0]
    paths = {
        "reservoir": "/enterprises/",
        "pipeline": "/pipeline/",
        "overdue": "/visits/overdue",
        "risks": "/visits/risks",
        "visit-form": f"/visits/new/{firm.id}",
        "firm": f"/enterprises/{firm.id}",
        "requests": "/requests/",
        "visits": "/visits/",
        "visit": f"/visits/{sub_district['visit'].id}",
        "request": f"/requests/{sub_district['request'].id}",
        "choose-firm": "/visits/new",
    }
    log_in_page(page, live_server, "mgr.daninglu", PASSWORD)
    ARTIFACTS.mkdir(exist_ok=True)

    too_wide = []
    for name, path in paths.items():
        page.goto(live_server + path)
        page.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"), full_page=True)
        if not fits_the_screen(page):
            too_wide.append(path)
    page.goto(f"{live_server}/pipeline/")
    card = page.locator("[data-testid=pipeline-row]").first
    score = card.locator("[data-testid=pipeline-score]")
    name_width = card.locator("td.firm-name a").bounding_box()["width"]
    score_label = score.evaluate("cell => getComputedStyle(cell, '::before').content")
    shown = {
        name: card.locator(selector).is_visible()
        for name, selector in {
            "score": "[data-testid=pipeline-score]",
            "tier": "td[data-label='培育层级']",
            "track": "td[data-label='产业赛道']",
            "reason": "summary",
        }.items()
    }
    filters_folded = page.locator("details.filters-fold").get_attribute("open") is None
    pipeline_headers = page.locator("table.table-pipeline thead").inner_text()
    page.goto(f"{live_server}/visits/risks")
    risk_card = page.locator("[data-testid=risk-list] tbody tr").first.inner_text()
    page.goto(f"{live_server}/enterprises/")
    reservoir_headers = page.locator("table.table-reservoir thead").inner_text()

    assert too_wide == []
    assert page.evaluate("window.innerWidth") == PHONE["width"]
    assert name_width > 150  # the name is a readable line, not a sliver
    assert shown == {"score": True, "tier": True, "track": True, "reason": True}
    assert score_label == '"指数评分"'  # the index is live: its score is named as such
    assert filters_folded
    assert "街道" not in pipeline_headers
    assert "客户经理" not in pipeline_headers
    assert "街道" not in reservoir_headers
    assert "客户经理" not in reservoir_headers
    assert firm.name in risk_card
    assert "街道" not in risk_card


def test_a_leaders_roster_and_pipeline_keep_the_sub_district_and_manager(
    live_server, zh_phone, sub_district
):
    leader = UserFactory(username="leader.wang", role=Role.LEADER, locale="zh_CN")
    for firm in sub_district["firms"][:2]:
        firm.contact_leader = leader
    db.session.commit()
    page = zh_phone

    log_in_page(page, live_server, "leader.wang", PASSWORD)
    page.goto(f"{live_server}/visits/my-firms")
    page.screenshot(path=str(ARTIFACTS / "phone-my-firms.png"), full_page=True)
    roster_fits = fits_the_screen(page)
    roster_rows = page.locator("[data-testid=roster] tbody tr").count()
    page.goto(f"{live_server}/pipeline/")
    cards = page.locator("table.table-pipeline tbody").inner_text()

    assert roster_fits
    assert roster_rows == 2
    assert "王经理" in cards
    assert "大宁路街道" in cards


def test_a_manager_finds_a_firm_by_part_of_its_name_and_logs_a_visit(
    live_server, zh_phone, sub_district
):
    page = zh_phone
    log_in_page(page, live_server, "mgr.daninglu", PASSWORD)

    page.goto(f"{live_server}/visits/")
    page.click("[data-testid=log-visit]")
    # The click only waits for the page to arrive: type once firm_search.js has taken the box.
    page.wait_for_selector("#firm-q[role=combobox]")
    page.locator("#firm-q").press_sequentially("集成电路")
    result = page.locator(".firm-search-results a", has_text=SEARCHED_FIRM)
    result.click()
    page.wait_for_url(f"**/visits/new/{sub_district['searched'].id}")
    page.locator("label[for=kind-1]").click()  # phone call: no red-flag questions
    page.fill("#summary", "电话沟通了扩产计划。")
    page.locator("form.visit-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/visits/\d+$"))

    assert SEARCHED_FIRM in page.inner_text("main")
    assert "电话沟通了扩产计划。" in page.inner_text("main")


def test_the_request_form_picks_its_firm_from_a_search_box(live_server, zh_phone, sub_district):
    page = zh_phone
    searched = sub_district["searched"]
    log_in_page(page, live_server, "mgr.daninglu", PASSWORD)

    page.goto(f"{live_server}/requests/new")
    select_hidden = page.locator("select#enterprise_id").is_hidden()
    page.locator("#enterprise_id-search").press_sequentially("芯量")
    page.locator(".firm-search-results button", has_text=SEARCHED_FIRM).click()
    chosen = page.locator("select#enterprise_id").input_value()
    page.fill("#description", "需要研发场地。")
    page.locator("#request-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/requests/\d+$"))

    assert select_hidden
    assert chosen == str(searched.id)
    assert SEARCHED_FIRM in page.inner_text("main")
    assert fits_the_screen(page)


def test_without_javascript_the_firm_search_answers_on_the_server(
    live_server, chromium, sub_district
):
    context = chromium.new_context(locale="zh-CN", viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    log_in_page(page, live_server, "mgr.daninglu", PASSWORD)

    page.goto(f"{live_server}/visits/new?q=芯量")
    page.locator("[data-testid=firm-matches] a", has_text=SEARCHED_FIRM).click()
    page.wait_for_url(f"**/visits/new/{sub_district['searched'].id}")
    heading = page.inner_text("h1")
    context.close()

    assert SEARCHED_FIRM in heading

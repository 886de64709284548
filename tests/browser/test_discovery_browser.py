"""A manager screens a candidate found by an investor and admits it: the firm appears in the
reservoir. A leader uploads a competition's list, checks the preview and takes the rows in.
Real Chromium, CSRF on."""

import pytest

from crm.clock import utcnow
from crm.discovery import events, services
from models import CandidateState, DiscoveryCandidate, Enterprise, db
from tests.factories import PASSWORD, UserFactory, valid_uscc
from tests.helpers import ARTIFACTS, log_in_page

pytestmark = pytest.mark.browser


def test_a_manager_screens_a_candidate_and_admits_it(live_server, browser_page):
    manager = UserFactory(username="mgr.daninglu", role="manager", sub_district_slug="daninglu")
    data = services.CandidateInput(
        name="上海星河智能科技有限公司",
        track="ai",
        source_kind="investor",
        zone="daning",
        source_name="静安科创母基金",
    )
    candidate = services.propose_candidate(manager, data, utcnow())
    db.session.commit()
    page = browser_page

    log_in_page(page, live_server, "mgr.daninglu", PASSWORD)
    page.goto(f"{live_server}/discovery/")
    page.click("text=上海星河智能科技有限公司")
    page.wait_for_load_state()
    page.fill("[name=screened_on]", utcnow().date().isoformat())
    page.select_option("[name=score]", "4")
    page.fill("[name=rationale]", "团队强，赛道匹配")
    page.click("[data-testid=screening-form] button[type=submit]")
    page.wait_for_load_state()
    screened = page.inner_text("[data-testid=candidate-state]")
    page.click("label[for=decision-0]")  # admit
    page.select_option("[data-testid=decision-form] [name=tier]", "tech_based")
    page.fill("[data-testid=decision-form] [name=uscc]", valid_uscc(500001))
    page.click("[data-testid=decision-form] button[type=submit]")
    page.wait_for_load_state()
    page.screenshot(path=str(ARTIFACTS / "discovery-admitted.png"), full_page=True)
    page.click("[data-testid=admitted-firm]")
    page.wait_for_load_state()
    firm_page = page.inner_text("main")

    db.session.expire_all()
    stored = db.session.get(DiscoveryCandidate, candidate.id)
    firm = db.session.get(Enterprise, stored.admitted_enterprise_id)
    assert screened == "Screening"
    assert stored.state == CandidateState.ADMITTED
    assert firm.name == "上海星河智能科技有限公司"
    assert "上海星河智能科技有限公司" in firm_page
    assert "Found through active discovery" in firm_page


def test_a_leader_uploads_a_competition_list(live_server, browser_page):
    leader = UserFactory(username="leader", role="leader")
    contest = events.save_event(
        leader,
        None,
        events.EventInput(
            kind="competition", name="创新创业大赛静安赛区", held_on=utcnow().date(), round="决赛"
        ),
        utcnow(),
    )
    db.session.commit()
    content = (
        "企业名称,产业赛道,所属街道,奖项,名次\n"
        "上海甲智能科技有限公司,人工智能,daninglu,一等奖,1\n"
        "上海乙数据有限公司,大数据,,二等奖,2\n"
    ).encode()
    page = browser_page

    log_in_page(page, live_server, "leader", PASSWORD)
    page.goto(f"{live_server}/discovery/intake")
    page.set_input_files(
        "[name=file]", files=[{"name": "list.csv", "mimeType": "text/csv", "buffer": content}]
    )
    page.select_option("[name=source_kind]", "competition")
    page.select_option("[name=event_id]", str(contest.id))
    page.click("[data-testid=intake-form] button[type=submit]")
    page.wait_for_load_state()
    summary = page.inner_text("[data-testid=intake-summary]")
    page.click("[data-testid=confirm-intake]")
    page.wait_for_load_state()
    listed = page.inner_text("[data-testid=candidates]")
    page.goto(f"{live_server}/discovery/events/{contest.id}")
    participants = page.inner_text("[data-testid=participants]")

    assert "to take in: 2" in summary
    assert "上海甲智能科技有限公司" in listed
    assert "上海乙数据有限公司" in listed
    assert "一等奖" in participants

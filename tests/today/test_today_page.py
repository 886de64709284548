"""The manager's "today" page: each section's contents, its count, and the manager's scope."""

from datetime import date, timedelta

from crm.clock import today
from crm.today import queries
from models import EnterpriseRequest, RequestState, Tier, User
from tests import factories
from tests.factories import EnterpriseRequestFactory
from tests.helpers import add_follow_up, log_in, log_visit, reminder_settings


def _late_candidate(
    manager: User, name: str, days_since_visit: int, sub_district: str = "daninglu"
):
    """A candidate (visited every 30 days) last visited `days_since_visit` days ago."""
    firm = factories.EnterpriseFactory(
        name=name, tier=Tier.CANDIDATE, manager=manager, sub_district_slug=sub_district
    )
    log_visit(firm, today() - timedelta(days=days_since_visit), manager)
    return firm


def _answered(firm, manager: User) -> EnterpriseRequest:
    return EnterpriseRequestFactory(
        enterprise=firm, created_by=manager, state=RequestState.RESOLVED, answer="已对接银行"
    )


def test_visits_due_lists_late_and_this_weeks_firms_most_late_first(app, manager):
    day = today()
    very_late = _late_candidate(manager, "上海逾期很久科技有限公司", 60)
    late = _late_candidate(manager, "上海刚逾期科技有限公司", 31)
    _late_candidate(manager, "上海刚走访科技有限公司", 1)  # due in 29 days: not this week

    section = queries.visits_due(manager, day, reminder_settings())

    assert [item.enterprise.id for item in section.items] == [very_late.id, late.id]
    assert section.items[0].due_on == day - timedelta(days=30)
    assert (section.count.value, section.count.is_exact) == (2, True)


def test_visits_due_never_shows_another_sub_districts_or_another_managers_firm(app, manager):
    colleague = factories.UserFactory(role="manager", sub_district_slug="daninglu")
    mine = _late_candidate(manager, "上海我的科技有限公司", 60)
    _late_candidate(colleague, "上海同事的科技有限公司", 60)
    moved = _late_candidate(manager, "上海迁走科技有限公司", 60, sub_district="jingansi")

    section = queries.visits_due(manager, today(), reminder_settings())

    assert [item.enterprise.id for item in section.items] == [mine.id]
    assert moved.id not in {item.enterprise.id for item in section.items}


def test_sections_show_at_most_ten_but_count_them_all(app, manager):
    for number in range(12):
        _late_candidate(manager, f"上海批量{number:02d}科技有限公司", 40 + number)

    section = queries.visits_due(manager, today(), reminder_settings())

    assert len(section.items) == queries.SECTION_SIZE
    assert section.count.value == 12


def test_follow_ups_due_are_the_owners_open_ones_due_by_the_end_of_the_week(app, manager):
    day = today()
    firm = factories.EnterpriseFactory(manager=manager)
    visit = log_visit(firm, day - timedelta(days=5), manager)
    late = add_follow_up(visit, manager, day - timedelta(days=2))
    this_week = add_follow_up(visit, manager, queries.end_of_week(day))
    add_follow_up(visit, manager, queries.end_of_week(day) + timedelta(days=1))  # next week
    done = add_follow_up(visit, manager, day - timedelta(days=1))
    done.done_at = visit.created_at
    someone_else = factories.UserFactory(role="manager")
    add_follow_up(visit, someone_else, day - timedelta(days=3))

    section = queries.follow_ups_due(manager, day)

    assert [action.id for action in section.items] == [late.id, this_week.id]
    assert section.count.value == 2


def test_follow_ups_of_a_deleted_visit_do_not_show(app, manager):
    day = today()
    visit = log_visit(factories.EnterpriseFactory(manager=manager), day, manager)
    add_follow_up(visit, manager, day)
    visit.deleted_at = visit.created_at

    assert queries.follow_ups_due(manager, day).items == []


def test_requests_waiting_are_answered_requests_of_the_managers_sub_district(app, manager):
    firm = factories.EnterpriseFactory(name="上海待确认科技有限公司")
    other = factories.EnterpriseFactory(sub_district_slug="jingansi")
    waiting = _answered(firm, manager)
    _answered(other, manager)
    EnterpriseRequestFactory(enterprise=firm, created_by=manager)  # open: waits on the department

    section = queries.requests_waiting(manager)

    assert [item.id for item in section.items] == [waiting.id]
    assert section.count.value == 1


def test_firms_at_risk_are_the_flagged_firms_in_scope(app, manager):
    flagged = factories.EnterpriseFactory(risk_flagged_on=date(2026, 11, 2))
    factories.EnterpriseFactory(risk_flagged_on=date(2026, 11, 3), sub_district_slug="jingansi")
    factories.EnterpriseFactory()

    section = queries.firms_at_risk(manager)

    assert [firm.id for firm in section.items] == [flagged.id]
    assert section.count.value == 1


def test_requests_waiting_are_the_managers_own_not_a_colleagues_of_the_same_sub_district(
    app, manager
):
    colleague = factories.UserFactory(role="manager", sub_district_slug="daninglu")
    managed = factories.EnterpriseFactory(name="上海我管理科技有限公司", manager=manager)
    theirs = factories.EnterpriseFactory(name="上海同事管理科技有限公司", manager=colleague)
    raised_for_mine = _answered(managed, colleague)  # a colleague raised it for my firm
    _answered(theirs, colleague)

    section = queries.requests_waiting(manager)

    assert [item.id for item in section.items] == [raised_for_mine.id]


def test_the_page_shows_each_section_with_its_count_and_a_link_to_the_full_list(client, manager):
    _late_candidate(manager, "上海逾期很久科技有限公司", 45)
    _answered(factories.EnterpriseFactory(name="上海待确认科技有限公司"), manager)
    factories.EnterpriseFactory(name="上海风险科技有限公司", risk_flagged_on=date(2026, 11, 2))
    _late_candidate(manager, "上海静安寺科技有限公司", 45, sub_district="jingansi")
    log_in(client, manager)

    page = client.get("/today/")

    assert page.status_code == 200
    assert "上海逾期很久科技有限公司" in page.text
    assert "15 days late" in page.text
    assert "上海待确认科技有限公司" in page.text
    assert "上海风险科技有限公司" in page.text
    assert "上海静安寺科技有限公司" not in page.text
    assert 'href="/visits/overdue"' in page.text
    assert 'href="/requests/?state=resolved"' in page.text
    assert 'href="/visits/risks"' in page.text
    assert "No follow-up of yours is due this week." in page.text


def test_the_page_reads_in_chinese(client, manager):
    manager.locale = "zh_CN"
    _late_candidate(manager, "上海逾期很久科技有限公司", 45)
    log_in(client, manager)

    page = client.get("/today/")

    assert "逾期 15 天" in page.text


def test_only_managers_have_a_today_page(client, leader):
    log_in(client, leader)

    assert client.get("/today/").status_code == 403


def test_end_of_week_is_the_sunday(app):
    assert queries.end_of_week(date(2026, 12, 3)) == date(2026, 12, 6)  # a Thursday
    assert queries.end_of_week(date(2026, 12, 6)) == date(2026, 12, 6)
    assert queries.end_of_week(date(2026, 12, 7)) == date(2026, 12, 13)

"""Escalations roll up: one reminder per leader, sub-district and week, the late firms inside."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from crm.clock import today
from crm.reminders.escalations import page_of_firms
from crm.reminders.rules import week_of
from models import Reminder, ReminderState, Tier, User, db
from tests import factories
from tests.helpers import api_headers, log_in, log_visit, reminder_settings, scan_on, stored

# The scan and the scheduler read through connections of their own: the data is committed.
pytestmark = pytest.mark.own_database

VISITED = date(2026, 5, 4)  # a Monday; candidates are due a month later, on 3 June
LATE = date(2026, 7, 8)  # a Wednesday, 35 days after: every firm below is escalated


def _late_candidate(manager: User, sub_district_slug: str = "daninglu", name: str = ""):
    firm = factories.EnterpriseFactory(
        tier=Tier.CANDIDATE,
        manager=manager,
        sub_district_slug=sub_district_slug,
        **({"name": name} if name else {}),
    )
    log_visit(firm, VISITED, manager)
    return firm


def _rollups(state: ReminderState | None = ReminderState.OPEN) -> list[Reminder]:
    query = select(Reminder).where(Reminder.rule == "visit_escalated")
    if state is not None:
        query = query.where(Reminder.state == state)
    return list(db.session.scalars(query.order_by(Reminder.recipient_id, Reminder.record_id)))


def _firm_ids(rollup: Reminder, day: date = LATE) -> list[int]:
    return [
        late.enterprise.id for late in page_of_firms(rollup, day, reminder_settings(), 1, 50).firms
    ]


@pytest.fixture
def second_leader(app) -> User:
    return factories.UserFactory(role="leader")


def test_two_late_firms_of_a_sub_district_make_one_reminder_for_each_leader(
    app, manager, leader, second_leader
):
    first, second = _late_candidate(manager), _late_candidate(manager)

    scan_on(LATE)

    assert stored("visit_escalated") == sorted(
        ("visit_escalated", first.sub_district_id, week_of(LATE), user.username)
        for user in (leader, second_leader)
    )
    for rollup in _rollups():
        assert rollup.record_kind == "sub_district"
        assert rollup.enterprise_id is None
        assert sorted(_firm_ids(rollup)) == sorted([first.id, second.id])


def test_a_second_sub_district_gets_a_second_reminder(app, manager, leader):
    here = _late_candidate(manager)
    other_manager = factories.UserFactory(role="manager", sub_district_slug="jingansi")
    there = _late_candidate(other_manager, "jingansi")

    scan_on(LATE)

    rollups = _rollups()
    assert sorted(rollup.record_id for rollup in rollups) == sorted(
        [here.sub_district_id, there.sub_district_id]
    )
    assert sorted(_firm_ids(rollup)[0] for rollup in rollups) == sorted([here.id, there.id])


def test_next_week_brings_a_new_reminder_and_closes_last_weeks(app, manager, leader):
    _late_candidate(manager)
    scan_on(LATE)
    next_week = LATE + timedelta(days=7)

    scan_on(next_week)

    (current,) = _rollups()
    (last_week,) = _rollups(ReminderState.CLOSED)
    assert current.due_on == week_of(next_week) == date(2026, 7, 13)
    assert last_week.due_on == week_of(LATE) == date(2026, 7, 6)


def test_the_same_week_keeps_one_reminder_as_firms_join_it(app, manager, leader):
    first = _late_candidate(manager)
    scan_on(LATE)
    second = _late_candidate(manager)

    scan_on(LATE + timedelta(days=2))

    (rollup,) = _rollups(state=None)  # not another escalation for the second firm
    assert sorted(_firm_ids(rollup)) == sorted([first.id, second.id])
    assert rollup.item_count == 2  # was 1 after the first scan


def test_the_reminder_closes_itself_when_its_list_empties(app, manager, leader):
    first, second = _late_candidate(manager), _late_candidate(manager)
    scan_on(LATE)
    log_visit(first, LATE, manager)

    scan_on(LATE)

    (rollup,) = _rollups()
    assert _firm_ids(rollup) == [second.id]
    assert rollup.item_count == 1
    log_visit(second, LATE, manager)
    summary = scan_on(LATE)
    assert _rollups() == []
    assert [r.record_id for r in _rollups(ReminderState.CLOSED)] == [first.sub_district_id]
    assert summary.closed == 2  # the rollup and the second firm's visit_due


def test_the_inbox_shows_the_rollup_with_its_count_and_the_page_lists_the_firms(
    app, client, manager, leader
):
    firms = [_late_candidate(manager, name=f"迟到科技{n}有限公司") for n in range(3)]
    scan_on(today())
    (rollup,) = _rollups()
    log_in(client, leader)

    inbox = client.get("/reminders/").text
    page = client.get(f"/reminders/{rollup.id}").text

    assert "3 firms a month or more behind their visits" in inbox
    assert f'href="/reminders/{rollup.id}"' in inbox
    for firm in firms:
        assert firm.name in page
        assert f"/enterprises/{firm.id}" in page
        assert f"/visits/new/{firm.id}" in page


def test_a_long_list_is_paged(app, client, manager, leader):
    app.config["CRM_PAGE_SIZE"] = 2
    firms = [_late_candidate(manager, name=f"分页科技{n}有限公司") for n in range(5)]
    scan_on(today())
    (rollup,) = _rollups()
    log_in(client, leader)

    pages = [client.get(f"/reminders/{rollup.id}?page={n}").text for n in (1, 2, 3)]

    shown = [[firm.name for firm in firms if firm.name in page] for page in pages]
    assert [len(names) for names in shown] == [2, 2, 1]
    assert sorted(name for names in shown for name in names) == sorted(firm.name for firm in firms)
    assert 'rel="next"' in pages[0]


def test_another_users_rollup_is_not_found(app, client, manager, leader):
    _late_candidate(manager)
    scan_on(today())
    (rollup,) = _rollups()
    log_in(client, manager)

    assert client.get(f"/reminders/{rollup.id}").status_code == 404


def test_the_api_gives_a_rollups_count_and_the_page_of_its_firms(app, client, leader, manager):
    for _ in range(2):
        _late_candidate(manager)
    scan_on(today())
    (rollup,) = _rollups()
    db.session.commit()

    body = client.get("/api/v1/reminders", headers=api_headers(client, leader)).get_json()

    (item,) = body["items"]
    assert item["record"] == {
        "kind": "sub_district",
        "id": rollup.record_id,
        "url": f"/reminders/{rollup.id}",
    }
    assert item["item_count"] == 2

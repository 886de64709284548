"""The inbox on pages and in the API: own reminders only, the navbar count, done and snooze."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from crm.clock import today
from crm.reminders.inbox import MAX_SNOOZE_DAYS
from models import AuditEntry, Reminder, ReminderState, User, db
from tests import factories
from tests.helpers import api_headers, log_in

# The scan and the scheduler read through connections of their own: the data is committed.
pytestmark = pytest.mark.own_database


def _reminder(user: User, rule: str = "visit_due", days_late: int = 3, **extra: object) -> Reminder:
    return factories.ReminderFactory(
        rule=rule,
        record_kind="enterprise",
        enterprise__manager=user if user.role == "manager" else None,
        due_on=today() - timedelta(days=days_late),
        recipient=user,
        created_at=datetime(2026, 1, 5, 9, 0),
        **extra,
    )


def test_navbar_counts_open_reminders_not_snoozed_ones(client, manager):
    _reminder(manager)
    _reminder(manager)
    _reminder(manager, snoozed_until=today() + timedelta(days=2))
    _reminder(manager, state=ReminderState.DONE)
    log_in(client, manager)

    page = client.get("/visits/")

    assert (
        '<span class="badge rounded-pill text-bg-warning" data-testid="inbox-count">2</span>'
        in page.text
    )


def test_inbox_lists_own_reminders_with_a_link_to_act(client, manager):
    mine = _reminder(manager)
    someone_else = factories.UserFactory(role="manager", sub_district_slug="jingansi")
    theirs = _reminder(someone_else)
    log_in(client, manager)

    page = client.get("/reminders/")

    assert page.status_code == 200
    assert f"/visits/new/{mine.record_id}" in page.text
    assert f"/visits/new/{theirs.record_id}" not in page.text
    assert "3 days late" in page.text


def test_done_moves_it_to_done_and_is_audited(client, manager):
    reminder = _reminder(manager)
    log_in(client, manager)

    response = client.post(f"/reminders/{reminder.id}/done")

    assert response.status_code == 302
    db.session.refresh(reminder)
    assert reminder.state == ReminderState.DONE
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "reminder")).one()
    assert (entry.action, entry.actor_id) == ("done", manager.id)
    assert "Nothing due" in client.get("/reminders/").text
    assert reminder.enterprise.name in client.get("/reminders/?view=done").text


def test_snooze_hides_it_until_the_day(client, manager):
    reminder = _reminder(manager)
    log_in(client, manager)

    client.post(f"/reminders/{reminder.id}/snooze", data={"days": "3"})

    db.session.refresh(reminder)
    assert reminder.snoozed_until == today() + timedelta(days=3)
    assert reminder.enterprise.name not in client.get("/reminders/").text
    assert reminder.enterprise.name in client.get("/reminders/?view=snoozed").text


@pytest.mark.parametrize("days", ["0", "365", "abc", ""])
def test_snooze_refuses_other_durations(client, manager, days):
    reminder = _reminder(manager)
    log_in(client, manager)

    page = client.post(
        f"/reminders/{reminder.id}/snooze", data={"days": days}, follow_redirects=True
    )

    assert "Choose how long to snooze the reminder." in page.text
    db.session.refresh(reminder)
    assert reminder.snoozed_until is None


def test_another_users_reminder_is_not_found(client, manager):
    other = factories.UserFactory(role="manager", sub_district_slug="jingansi")
    theirs = _reminder(other)
    log_in(client, manager)

    assert client.post(f"/reminders/{theirs.id}/done").status_code == 404
    assert client.post(f"/reminders/{theirs.id}/snooze", data={"days": "1"}).status_code == 404
    db.session.refresh(theirs)
    assert theirs.state == ReminderState.OPEN


def test_the_digest_page_is_for_leaders(client, manager, leader):
    log_in(client, manager)
    assert client.get("/reminders/digest").status_code == 404
    client.post("/logout")
    log_in(client, leader)
    page = client.get("/reminders/digest")
    assert page.status_code == 200
    assert "Progress to the 2026 targets" in page.text


def test_inbox_in_chinese(client, manager):
    _reminder(manager, rule="request_overdue", days_late=0)
    log_in(client, manager)
    client.post("/language/zh_CN")

    page = client.get("/reminders/")

    assert "诉求已逾期" in page.text
    assert "今天到期" in page.text


# API ------------------------------------------------------------------------------------------


def test_api_lists_the_callers_own_reminders(client, manager):
    mine = _reminder(manager, rule="follow_up_due")
    _reminder(factories.UserFactory(role="leader"))
    headers = api_headers(client, manager)

    body = client.get("/api/v1/reminders", headers=headers).get_json()

    assert body["total"] == 1
    (item,) = body["items"]
    assert item["id"] == mine.id
    assert item["rule"] == "follow_up_due"
    assert item["record"]["kind"] == "enterprise"
    assert item["record"]["id"] == mine.record_id
    assert item["due_on"] == mine.due_on.isoformat()
    assert item["state"] == "open"


def test_api_marks_done_and_snoozes(client, manager):
    first, second = _reminder(manager), _reminder(manager)
    headers = api_headers(client, manager)

    done = client.post(f"/api/v1/reminders/{first.id}/done", headers=headers)
    until = (today() + timedelta(days=5)).isoformat()
    snoozed = client.post(
        f"/api/v1/reminders/{second.id}/snooze", headers=headers, json={"until": until}
    )

    assert done.status_code == 200
    assert done.get_json()["state"] == "done"
    assert snoozed.get_json()["snoozed_until"] == until
    assert client.get("/api/v1/reminders", headers=headers).get_json()["total"] == 0
    assert client.get("/api/v1/reminders?view=all", headers=headers).get_json()["total"] == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "until"),
        ({"until": "next week"}, "until"),
        ({"until": 20260101}, "until"),
        ({"until": "2020-01-01"}, "until"),
        ({"until": (date.today() + timedelta(days=MAX_SNOOZE_DAYS + 1)).isoformat()}, "until"),
    ],
)
def test_api_snooze_errors_name_the_field(client, manager, body, field):
    reminder = _reminder(manager)
    headers = api_headers(client, manager)

    response = client.post(f"/api/v1/reminders/{reminder.id}/snooze", headers=headers, json=body)

    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == [field]


def test_api_rejects_an_unknown_view_and_others_reminders(client, manager):
    theirs = _reminder(factories.UserFactory(role="leader"))
    headers = api_headers(client, manager)

    assert client.get("/api/v1/reminders?view=everything", headers=headers).status_code == 422
    assert client.get("/api/v1/reminders?page=0", headers=headers).status_code == 422
    assert client.post(f"/api/v1/reminders/{theirs.id}/done", headers=headers).status_code == 404
    assert (
        client.post(f"/api/v1/reminders/{theirs.id}/snooze", headers=headers, data="x").status_code
        == 404
    )

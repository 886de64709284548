"""The backlog horizon: reminders overdue longer than it are counted per kind, not listed or mailed
one by one; and the rolled-up escalation's mail names a few firms and counts the rest."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from crm.clock import today, utcnow
from crm.reminders.backlog import backlog
from crm.reminders.inbox import open_count
from crm.reminders.mailing import deliver_new
from models import Reminder, Tier, User, db
from tests import factories
from tests.helpers import log_in, log_visit, scan_on
from tests.reminders.test_inbox import _reminder

# The scan and the scheduler read through connections of their own: the data is committed.
pytestmark = pytest.mark.own_database


def _request_reminder(user: User, days_late: int, rule: str = "request_overdue") -> Reminder:
    reminder = _reminder(user, rule=rule, days_late=days_late)
    reminder.record_kind = "request"
    db.session.flush()
    return reminder


def test_reminders_beyond_the_horizon_are_summarised_one_line_per_kind(client, manager):
    recent = _reminder(manager, days_late=10)
    old = [_reminder(manager, days_late=days) for days in (120, 400)]
    _request_reminder(manager, days_late=95)
    log_in(client, manager)

    page = client.get("/reminders/").text

    assert f"/visits/new/{recent.record_id}" in page
    assert all(f"/visits/new/{reminder.record_id}" not in page for reminder in old)
    assert "2 visits overdue more than 90 days" in page
    assert 'href="/visits/overdue"' in page
    assert "1 request overdue more than 90 days" in page
    assert 'href="/requests/?overdue=1"' in page
    assert open_count(manager, today()) == 1


def test_the_backlog_view_lists_them_all(client, manager):
    old = [_reminder(manager, days_late=days) for days in (120, 400)]
    recent = _reminder(manager, days_late=10)
    log_in(client, manager)

    page = client.get("/reminders/?view=backlog").text

    assert all(f"/visits/new/{reminder.record_id}" in page for reminder in old)
    assert f"/visits/new/{recent.record_id}" not in page


def test_the_horizon_comes_from_configuration(app, client, manager):
    app.config["REMINDER_BACKLOG_DAYS"] = 150
    within, beyond = _reminder(manager, days_late=120), _reminder(manager, days_late=400)
    log_in(client, manager)

    page = client.get("/reminders/").text

    assert f"/visits/new/{within.record_id}" in page
    assert f"/visits/new/{beyond.record_id}" not in page
    assert "1 visit overdue more than 150 days" in page
    assert open_count(manager, today()) == 1


def test_a_request_reminded_twice_is_counted_once(app, manager):
    twice = _request_reminder(manager, days_late=100, rule="request_due")
    again = _request_reminder(manager, days_late=100)
    again.record_id = twice.record_id
    db.session.flush()

    with app.test_request_context():
        (line,) = backlog(manager, today())

    assert (line.kind, line.count) == ("request", 1)


def test_the_backlog_is_mailed_as_a_count_not_item_by_item(app, smtp_server, manager):
    manager.email, manager.locale = "manager@example.com", "en"
    recent, old = _reminder(manager, days_late=5), _reminder(manager, days_late=200)
    names = {reminder.id: reminder.enterprise.name for reminder in (recent, old)}

    delivery = deliver_new(today(), utcnow())

    (message,) = smtp_server.messages()
    body = message.get_content()
    assert delivery.sent == 1
    assert names[recent.id] in body
    assert names[old.id] not in body
    assert "1 visit overdue more than 90 days" in body
    assert "http://127.0.0.1:5000/visits/overdue" in body
    assert db.session.scalar(select(Reminder.mailed_at).where(Reminder.id == old.id))
    assert deliver_new(today(), utcnow()).sent == 0  # claimed with the rest: not mailed later


def test_a_rolled_up_escalation_mail_names_five_firms_and_counts_the_rest(
    app, smtp_server, manager, leader
):
    leader.email, leader.locale = "leader@example.com", "en"
    for number in range(7):
        firm = factories.EnterpriseFactory(
            name=f"迟到科技{number}有限公司", tier=Tier.CANDIDATE, manager=manager
        )
        log_visit(firm, date(2026, 5, 4), manager)
    scan_on(date(2026, 8, 3))

    deliver_new(date(2026, 8, 3), datetime(2026, 8, 3, 9, 0))

    (message,) = [m for m in smtp_server.messages() if m["To"] == "leader@example.com"]
    body = message.get_content()
    assert message["Subject"] == "1 new reminder"
    assert "7 firms a month or more behind their visits" in body
    assert body.count("    · 迟到科技") == 5
    assert "… and 2 more firms on the list." in body
    assert "(61 days late)" in body  # due 3 June, mailed 3 August
    assert "http://127.0.0.1:5000/reminders/" in body

from datetime import date, timedelta

import pytest

from crm.clock import utcnow
from crm.discovery import screening
from crm.reminders.discovery_due import discovery_reminders
from crm.reminders.due import RecordKind, Rule
from crm.reminders.scan import scan
from crm.reminders.settings import ReminderSettings
from models import Reminder, ReminderState, db
from tests import factories
from tests.discovery.helpers import NOW, candidate
from tests.helpers import log_in

SETTINGS = ReminderSettings(
    visit_cadence_days={"reservoir": 180},
    visit_lead_days=7,
    visit_escalation_days=30,
    sharp_rise=0.2,
    sharp_rise_visit_days=14,
    follow_up_lead_days=3,
    request_lead_days=3,
    package_lead_days=7,
    figures_due=(4, 30),
    listing_stall_months=6,
    discovery_screening_days=30,
    credit_renewal_lead_days=30,
    credit_decision_pending_days=30,
)


def found(today: date) -> set[tuple[str, int, date, int]]:
    rows = db.session.execute(discovery_reminders(today, SETTINGS))
    return {
        (rule, record_id, due_on, recipient) for rule, _k, record_id, due_on, recipient, *_r in rows
    }


def test_an_unscreened_candidate_reminds_its_managers_after_the_days(manager):
    record = candidate(manager, now=NOW - timedelta(days=30))

    assert found(NOW.date() - timedelta(days=1)) == set()
    assert found(NOW.date()) == {
        (Rule.DISCOVERY_SCREENING_DUE.value, record.id, NOW.date(), manager.id)
    }


def test_an_unassigned_candidate_reminds_the_leaders(leader, manager):
    record = candidate(leader, sub_district=None, now=NOW - timedelta(days=40))

    recipients = {recipient for *_rest, recipient in found(NOW.date())}

    assert recipients == {leader.id}
    assert record.sub_district_id is None


def test_a_watched_candidate_reminds_when_its_watch_ends(manager):
    record = candidate(manager)
    screening.decide_candidate(
        manager,
        record,
        screening.DecisionInput("watch", watch_until=date(2027, 3, 1)),
        record.version_id,
        NOW,
    )

    assert found(date(2027, 2, 28)) == set()
    assert found(date(2027, 3, 1)) == {
        (Rule.DISCOVERY_WATCH_DUE.value, record.id, date(2027, 3, 1), manager.id)
    }


@pytest.mark.own_database
def test_the_reminder_closes_once_the_candidate_is_decided(app, manager):
    factories.UserFactory(role="manager", sub_district_slug="jingansi")
    record = candidate(manager, now=NOW - timedelta(days=45))
    scan(NOW.date(), NOW, SETTINGS)
    reminder = db.session.scalars(
        db.select(Reminder).where(Reminder.record_kind == RecordKind.DISCOVERY_CANDIDATE)
    ).one()
    assert reminder.recipient_id == manager.id

    screening.decide_candidate(
        manager, record, screening.DecisionInput("decline", "不符合"), record.version_id, NOW
    )
    scan(NOW.date(), NOW, SETTINGS)

    db.session.refresh(reminder)
    assert reminder.state == ReminderState.CLOSED


def screening_reminder(record, recipient, due_on):
    return factories.ReminderFactory(
        rule=Rule.DISCOVERY_SCREENING_DUE.value,
        record_kind=RecordKind.DISCOVERY_CANDIDATE.value,
        enterprise=None,
        record_id=record.id,
        recipient=recipient,
        due_on=due_on,
    )


def test_the_inbox_links_a_discovery_reminder_to_its_candidate(client, manager):
    record = candidate(manager)
    screening_reminder(record, manager, utcnow().date())
    log_in(client, manager)

    page = client.get("/reminders/")

    assert page.status_code == 200
    assert f"/discovery/{record.id}" in page.text
    assert "Candidate awaiting screening" in page.text


def test_an_old_discovery_reminder_is_summed_up_in_the_backlog(client, manager):
    record = candidate(manager)
    screening_reminder(record, manager, utcnow().date() - timedelta(days=200))
    log_in(client, manager)

    page = client.get("/reminders/")

    assert "1 discovery candidate overdue more than" in page.text

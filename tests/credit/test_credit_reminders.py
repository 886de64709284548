"""White-list reminders: a renewal nearing (closed by recording it, or by a withdrawal), and a
bank slow to decide a submitted batch (closed by its last decision)."""

from datetime import date, datetime

import pytest

from crm.credit import decisions, services
from models import Reminder, ReminderState, db
from tests import factories
from tests.credit.conftest import LATER, NOW, listing, nominate
from tests.helpers import log_in, scan_on, stored

RENEWAL = "credit_renewal_due"
PENDING = "credit_decision_pending"

pytestmark = pytest.mark.own_database  # the scan reads through a connection of its own


def test_a_renewal_within_the_lead_days_reaches_the_firms_manager(manager, leader, submitted):
    submitted.enterprise.manager = manager
    short = listing(term=12)
    decisions.record_decision(leader, submitted, short, submitted.version_id, LATER)

    scan_on(date(2027, 10, 1))  # 50 days before 2027-11-20: not yet
    early = stored(RENEWAL)
    scan_on(date(2027, 11, 1))

    assert early == []
    assert stored(RENEWAL) == [(RENEWAL, submitted.id, date(2027, 11, 20), manager.username)]


def test_recording_the_renewal_closes_the_reminder(manager, leader, submitted):
    submitted.enterprise.manager = manager
    decisions.record_decision(leader, submitted, listing(term=12), submitted.version_id, LATER)
    scan_on(date(2027, 11, 1))

    decisions.renew(manager, submitted, date(2028, 11, 20), submitted.version_id, LATER)
    scan_on(date(2027, 11, 2))

    assert stored(RENEWAL) == []
    assert [r[0] for r in stored(RENEWAL, state=ReminderState.CLOSED)] == [RENEWAL]


def test_withdrawing_the_nomination_closes_the_reminder(manager, leader, submitted):
    submitted.enterprise.manager = manager
    decisions.record_decision(leader, submitted, listing(term=12), submitted.version_id, LATER)
    scan_on(date(2027, 11, 1))

    services.withdraw(leader, submitted, submitted.version_id, LATER)
    scan_on(date(2027, 11, 2))

    assert stored(RENEWAL) == []


def test_a_batch_left_undecided_reaches_its_creator_until_decided(leader, submitted):
    scan_on(date(2026, 11, 20))  # 18 days after submission
    early = stored(PENDING)
    scan_on(date(2026, 12, 3))
    found = stored(PENDING)

    decisions.record_decision(leader, submitted, listing(), submitted.version_id, LATER)
    scan_on(date(2026, 12, 4))

    assert early == []
    assert found == [(PENDING, submitted.batch_id, date(2026, 11, 2), leader.username)]
    assert stored(PENDING) == []


def test_the_reminders_link_to_their_pages(client, manager, leader, submitted):
    submitted.enterprise.manager = manager
    decisions.record_decision(leader, submitted, listing(term=12), submitted.version_id, LATER)
    scan_on(date(2027, 11, 1))
    log_in(client, manager)

    inbox = client.get("/reminders/")

    assert f"/credit/nominations/{submitted.id}" in inbox.text
    assert db.session.query(Reminder).count() >= 1


def test_a_draft_batch_never_raises_a_pending_reminder(manager, batch, firm):
    nominate(manager, batch, firm)
    factories.UserFactory(role="leader")

    scan_on(date(2027, 6, 1))

    assert stored(PENDING) == []
    assert datetime(2026, 11, 2) == NOW.replace(hour=0)

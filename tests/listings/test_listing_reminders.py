from dataclasses import replace
from datetime import date, datetime

import pytest

from crm.listings import blockers, services
from crm.reminders.listings_due import listing_reminders
from models import ListingStage, RequestState, db
from tests.helpers import reminder_settings, scan_on, stored
from tests.listings.conftest import NOW, move, open_for

# The scan reads on a connection of its own, which must see what the test wrote.
pytestmark = pytest.mark.own_database


def test_a_stage_unmoved_for_six_months_reminds_the_manager_and_the_contact_leader(
    manager, leader, firm
):
    firm.manager, firm.contact_leader = manager, leader
    track = open_for(manager, firm, since=date(2026, 1, 10))

    scan_on(date(2026, 7, 9))
    assert stored("listing_stalled") == []
    scan_on(date(2026, 7, 10))

    assert set(stored("listing_stalled")) == {
        ("listing_stalled", track.id, date(2026, 7, 10), leader.username),
        ("listing_stalled", track.id, date(2026, 7, 10), manager.username),
    }


def test_moving_the_track_closes_the_stalled_reminder(manager, firm):
    firm.manager = manager
    track = open_for(manager, firm, since=date(2026, 1, 10))
    scan_on(date(2026, 8, 1))
    assert stored("listing_stalled")

    services.advance_track(manager, track, move("sponsor_signed", date(2026, 8, 1)), 1, NOW)
    scan_on(date(2026, 8, 1))

    assert stored("listing_stalled") == []


def test_a_paused_track_is_not_stalled(manager, firm):
    firm.manager = manager
    track = open_for(manager, firm, since=date(2026, 1, 10))
    services.halt_track(
        manager, track, ListingStage.PAUSED, move("", date(2026, 2, 1), "业绩下滑"), 1, NOW
    )

    scan_on(date(2026, 12, 1))

    assert stored("listing_stalled") == []


def test_an_overdue_blocker_reminds_the_manager_until_its_request_is_resolved(manager, firm):
    firm.manager = manager
    track = open_for(manager, firm, since=date(2026, 11, 1))
    data = blockers.BlockerInput("土地权属证明", "stec", date(2026, 12, 20))
    blocker = blockers.add_blocker(manager, track, data, NOW)

    scan_on(date(2026, 12, 20))
    assert stored("listing_blocker_overdue") == []
    scan_on(date(2026, 12, 21))
    assert stored("listing_blocker_overdue") == [
        ("listing_blocker_overdue", blocker.id, date(2026, 12, 20), manager.username)
    ]

    blocker.request.state = RequestState.RESOLVED
    blocker.request.resolved_at = datetime(2026, 12, 21, 10, 0)
    scan_on(date(2026, 12, 21))

    assert stored("listing_blocker_overdue") == []


def test_the_months_without_movement_are_a_setting(manager, firm):
    firm.manager = manager
    track = open_for(manager, firm, since=date(2026, 1, 10))
    settings = replace(reminder_settings(), listing_stall_months=3)

    rows = db.session.execute(listing_reminders(date(2026, 4, 10), settings)).all()

    assert [(row.rule, row.record_id, row.due_on) for row in rows] == [
        ("listing_stalled", track.id, date(2026, 4, 10))
    ]

"""Data quality's counts are stored like the dashboard's: read by the page, recounted by the job."""

from datetime import datetime

from crm.clock import today
from crm.quality.snapshots import refresh_quality
from models import db
from tests.factories import EnterpriseFactory, UserFactory
from tests.helpers import log_in
from tests.quality.test_quality_views import count_of

MAX_FIRMS = 120


def test_the_counts_stay_as_counted_until_the_refresh_and_say_when(client, leader):
    EnterpriseFactory()
    refresh_quality(today(), datetime(2026, 12, 3, 7, 15), MAX_FIRMS)
    log_in(client, leader)

    EnterpriseFactory()
    db.session.commit()
    stored = client.get("/quality/")
    refresh_quality(today(), datetime(2026, 12, 3, 7, 30), MAX_FIRMS)
    db.session.commit()
    refreshed = client.get("/quality/")

    assert count_of(stored.text, "without-manager") == 1
    assert "Figures as of 2026-12-03 15:15" in stored.text
    assert count_of(refreshed.text, "without-manager") == 2
    assert "Figures as of 2026-12-03 15:30" in refreshed.text


def test_a_deactivated_manager_is_named_from_the_stored_list(client, leader):
    gone = UserFactory(role="manager", display_name="王离职", is_active_account=False)
    EnterpriseFactory(manager=gone)
    log_in(client, leader)

    page = client.get("/quality/")

    assert "The account of 王离职 is deactivated." in page.text

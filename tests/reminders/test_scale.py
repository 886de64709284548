"""The scan and the inbox at any size: as many queries for many firms and reminders as for few."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from crm.clock import today
from models import Reminder, Tier, User, db
from tests import factories
from tests.factories import EnterpriseRequestFactory
from tests.helpers import (
    add_follow_up,
    api_headers,
    counted_queries,
    granted_package,
    log_in,
    log_visit,
    scan_on,
)

# The scan and the scheduler read through connections of their own: the data is committed.
pytestmark = pytest.mark.own_database

VISITED = date(2026, 5, 4)
SCANNED = date(2026, 8, 3)  # every cause below is late by then


def _grow(manager: User, firms: int) -> None:
    """Firms of the manager with a late visit, a late follow-up, an overdue request and an
    approved package whose milestones are due: every rule finds something for each."""
    for _ in range(firms):
        firm = factories.EnterpriseFactory(
            tier=Tier.CANDIDATE, manager=manager, sub_district=manager.sub_district
        )
        visit = log_visit(firm, VISITED, manager)
        add_follow_up(visit, manager, VISITED + timedelta(days=14))
        EnterpriseRequestFactory(enterprise=firm, created_by=manager, due_on=date(2026, 6, 1))
        granted_package(manager, firm, date(2026, 7, 1), date(2026, 7, 15))


def test_the_scan_issues_as_many_queries_for_many_firms_as_for_few(app, manager, leader):
    factories.UserFactory(role="department", department_slug="finance")
    _grow(manager, 2)
    with counted_queries() as few:
        small = scan_on(SCANNED)
    _grow(manager, 6)
    _grow(factories.UserFactory(role="manager", sub_district_slug="jingansi"), 6)

    with counted_queries() as many:
        large = scan_on(SCANNED)

    per_firm = (small.created - 1) // 2  # the leader's one rolled-up escalation aside
    assert per_firm > 0
    assert small.created == 2 * per_firm + 1
    # Twelve more firms, the same reminders each, and a rollup for the second sub-district.
    assert large.created == 12 * per_firm + 1
    assert len(many) == len(few)


def _inbox_queries(client, url: str, headers: dict[str, str] | None = None) -> int:
    db.session.commit()
    with counted_queries() as statements:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return len(statements)


def test_an_inbox_page_issues_as_many_queries_for_many_reminders_as_for_few(
    app, client, manager, leader
):
    app.config["REMINDER_BACKLOG_DAYS"] = 3650  # dated in 2026's summer, read on today's clock
    _grow(manager, 1)
    scan_on(SCANNED)
    log_in(client, manager)
    headers = api_headers(client, manager)
    client.get("/api/v1/reminders", headers=headers)  # a token's first use records last_used_at
    few = [_inbox_queries(client, url) for url in ("/reminders/", "/reminders/?view=all")]
    few_api = _inbox_queries(client, "/api/v1/reminders", headers)
    _grow(manager, 12)  # six reminders a firm: three pages of the manager's inbox
    scan_on(SCANNED)

    many = [_inbox_queries(client, url) for url in ("/reminders/", "/reminders/?view=all")]
    many_api = _inbox_queries(client, "/api/v1/reminders", headers)

    assert many == few
    assert many_api == few_api


def test_a_leaders_inbox_issues_as_many_queries_for_many_rollups_as_for_few(
    app, client, manager, leader
):
    _grow(manager, 1)
    scan_on(today())
    log_in(client, leader)
    few = [_inbox_queries(client, url) for url in ("/reminders/", "/reminders/?view=all")]
    for slug in ("jingansi", "nanjingxilu", "shimenerlu"):
        _grow(factories.UserFactory(role="manager", sub_district_slug=slug), 3)
    scan_on(today())

    many = [_inbox_queries(client, url) for url in ("/reminders/", "/reminders/?view=all")]

    assert db.session.scalar(select(func.count()).where(Reminder.recipient_id == leader.id)) == 4
    assert many == few


def test_the_inbox_pages_through_every_reminder_once_by_cursor(app, client, manager):
    app.config["REMINDER_BACKLOG_DAYS"] = 3650  # dated in 2026's summer, read on today's clock
    _grow(manager, 9)  # 54 reminders: three pages of 25
    scan_on(SCANNED)
    log_in(client, manager)
    headers = api_headers(client, manager)

    seen: list[int] = []
    url = "/api/v1/reminders?per_page=25"
    while url:
        body = client.get(url, headers=headers).get_json()
        seen += [row["id"] for row in body["items"]]
        url = f"/api/v1/reminders?per_page=25&after={body['next']}" if body["next"] else ""

    assert len(seen) == len(set(seen)) == body["total"] == 54
    page = client.get("/reminders/")
    assert 'rel="next"' in page.text

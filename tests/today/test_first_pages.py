"""Each role lands where its work is, from / and after logging in; the navigation's badges."""

from datetime import timedelta

import pytest

from crm.clock import today
from models import ReminderState, RequestState, db
from tests import factories
from tests.factories import PASSWORD, EnterpriseRequestFactory
from tests.helpers import add_follow_up, counted_queries, log_in, log_visit
from tests.reminders.test_inbox import _reminder

FIRST_PAGES = {
    "manager": "/today/",
    "department": "/requests/",
    "leader": "/dashboard/",
    "admin": "/dashboard/",
}


@pytest.mark.parametrize(("role", "first_page"), FIRST_PAGES.items())
def test_each_role_lands_on_its_first_page_after_logging_in(client, role, first_page):
    user = factories.UserFactory(role=role, department_slug="finance")
    db.session.commit()

    response = client.post("/login", data={"username": user.username, "password": PASSWORD})

    assert response.location == first_page
    assert client.get(first_page).status_code == 200


@pytest.mark.parametrize(("role", "first_page"), FIRST_PAGES.items())
def test_the_home_address_sends_each_role_to_its_first_page(client, role, first_page):
    log_in(client, factories.UserFactory(role=role, department_slug="finance"))

    response = client.get("/")

    assert response.status_code == 302
    assert response.location == first_page


def test_the_home_address_sends_a_stranger_to_the_login_form_without_a_detour(client):
    response = client.get("/")

    assert response.location == "/login"


def test_a_managers_today_badge_counts_follow_ups_due_and_answers_to_confirm(client, manager):
    day = today()
    firm = factories.EnterpriseFactory(manager=manager)
    visit = log_visit(firm, day - timedelta(days=3), manager)
    add_follow_up(visit, manager, day)
    add_follow_up(visit, manager, day + timedelta(days=1))  # not due yet: not counted
    EnterpriseRequestFactory(enterprise=firm, created_by=manager, state=RequestState.RESOLVED)
    log_in(client, manager)

    page = client.get("/visits/")

    assert '<span class="badge rounded-pill text-bg-light" data-testid="today-count">2</span>' in (
        page.text
    )
    assert 'aria-label="Today: 2 things to do"' in page.text
    assert 'data-testid="today-link-phone"' in page.text


def test_a_manager_with_nothing_due_sees_today_without_a_number(client, manager):
    log_in(client, manager)

    page = client.get("/visits/")

    assert 'data-testid="today-link"' in page.text
    assert 'data-testid="today-count"' not in page.text
    assert 'data-testid="today-link-phone"' not in page.text


def test_staffs_inbox_badge_counts_the_departments_unanswered_requests(client):
    staff = factories.UserFactory(role="department", department_slug="finance")
    for state in (RequestState.OPEN, RequestState.ACCEPTED, RequestState.IN_PROGRESS):
        EnterpriseRequestFactory(state=state)
    EnterpriseRequestFactory(state=RequestState.RESOLVED)  # answered: waits on the manager
    EnterpriseRequestFactory(department_slug="stec")  # another department's
    log_in(client, staff)

    page = client.get("/requests/")

    assert (
        '<span class="badge rounded-pill text-bg-light" data-testid="requests-inbox-count">3</span>'
        in page.text
    )
    assert 'aria-label="Inbox: 3 requests waiting"' in page.text
    assert 'data-testid="today-link"' not in page.text


def test_the_reminders_badge_is_named_on_a_phone_too(client, manager):
    _reminder(manager)
    _reminder(manager, state=ReminderState.DONE)
    log_in(client, manager)

    page = client.get("/today/")

    assert 'data-testid="inbox-count-phone">1</span>' in page.text
    assert 'aria-label="1 reminder to do">Reminders <span' in page.text


def test_badges_are_counted_once_per_page(client, manager):
    log_in(client, manager)
    client.get("/visits/")  # warm: the session's user and reference data

    with counted_queries() as statements:
        client.get("/visits/")

    counts = [sql for sql in statements if "count(" in sql.lower() and "reminders" in sql]
    assert len(counts) == 1

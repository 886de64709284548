"""The follow-up owner: the person logging the visit by default, their colleagues listed first."""

import re
from datetime import timedelta

from sqlalchemy import select

from crm.visits.form_pages import people_choices
from models import FollowUpAction, Role, Visit, db
from tests.factories import UserFactory
from tests.helpers import log_in
from tests.visits.helpers import TODAY, visit_form

OWNER_SELECT = re.compile(r'<select[^>]*name="follow_ups-0-owner".*?</select>', re.S)


def owner_select(page: str) -> str:
    found = OWNER_SELECT.search(page)
    assert found is not None
    return found.group(0)


def test_each_new_follow_up_is_owned_by_the_person_logging_the_visit(client, manager, firm):
    log_in(client, manager)

    select_html = owner_select(client.get(f"/visits/new/{firm.id}").text)

    assert f'<option selected value="{manager.username}">' in select_html


def test_colleagues_of_the_sub_district_come_first_then_everyone_else(client, manager, firm):
    UserFactory(username="aaa.elsewhere", display_name="Aaa Else", sub_district_slug="jingansi")
    UserFactory(username="zzz.colleague", display_name="Zzz Colleague")
    UserFactory(username="aab.staff", display_name="Aab Staff", role=Role.DEPARTMENT)
    log_in(client, manager)

    select_html = owner_select(client.get(f"/visits/new/{firm.id}").text)
    first, others = select_html.split("<optgroup", 2)[1:]

    assert 'label="Your sub-district"' in first
    assert manager.username in first
    assert "zzz.colleague" in first
    assert "aaa.elsewhere" not in first
    assert 'label="Everyone else"' in others
    assert others.index("aaa.elsewhere") < others.index("aab.staff")


def test_department_staff_see_their_department_first(app):
    staff = UserFactory(username="stec.one", role=Role.DEPARTMENT, department_slug="stec")
    UserFactory(username="stec.two", role=Role.DEPARTMENT, department_slug="stec")
    UserFactory(username="aaa.finance", role=Role.DEPARTMENT, department_slug="finance")

    with app.test_request_context():
        people = [(choice.value, choice.optgroup) for choice in people_choices(staff)]

    assert people == [
        ("stec.one", "Your department"),
        ("stec.two", "Your department"),
        ("aaa.finance", "Everyone else"),
    ]


def test_a_visit_saved_with_untouched_follow_up_rows_has_no_follow_up(client, manager, firm):
    log_in(client, manager)
    defaults = {f"follow_ups-{row}-owner": manager.username for row in range(3)}

    response = client.post(f"/visits/new/{firm.id}", data=visit_form(**defaults))

    assert response.status_code == 302
    assert db.session.scalar(select(Visit.id)) is not None
    assert db.session.scalars(select(FollowUpAction)).all() == []


def test_a_follow_up_keeps_the_default_owner_when_described(client, manager, firm):
    log_in(client, manager)
    due = (TODAY + timedelta(days=7)).isoformat()
    row = {
        "follow_ups-0-description": "Send the subsidy form",
        "follow_ups-0-owner": manager.username,
        "follow_ups-0-due_on": due,
    }

    response = client.post(f"/visits/new/{firm.id}", data=visit_form(**row))

    assert response.status_code == 302
    action = db.session.scalars(select(FollowUpAction)).one()
    assert action.owner_id == manager.id


def test_another_owner_without_a_description_is_still_an_error(client, manager, firm):
    colleague = UserFactory(username="zzz.colleague")
    log_in(client, manager)

    response = client.post(
        f"/visits/new/{firm.id}", data=visit_form(**{"follow_ups-0-owner": colleague.username})
    )

    assert response.status_code == 200
    assert db.session.scalar(select(Visit.id)) is None

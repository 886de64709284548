"""Contacts' phones and e-mails in full only for the firm's manager, contact leader and admins."""

import pytest

from crm.enterprises.contacts import mask_email, mask_phone
from models import User, db
from tests.factories import (
    ContactFactory,
    EnterpriseFactory,
    EnterpriseRequestFactory,
    UserFactory,
)
from tests.helpers import api_headers, log_in

PHONE, EMAIL = "13812345678", "zhang.wei@example.com"
MASKED_PHONE, MASKED_EMAIL = "138****5678", "z****@example.com"


@pytest.fixture
def people(app) -> dict[str, User]:
    """The firm's own people, and readers who may see the firm without working with it."""
    people = {
        "admin": UserFactory(role="admin"),
        "its manager": UserFactory(role="manager", sub_district_slug="daninglu"),
        "its contact leader": UserFactory(role="leader"),
        "another manager of the sub-district": UserFactory(
            role="manager", sub_district_slug="daninglu"
        ),
        "another leader": UserFactory(role="leader"),
        "a department it asked": UserFactory(role="department", department_slug="finance"),
    }
    db.session.commit()
    return people


@pytest.fixture
def firm_id(people) -> int:
    """A firm with its manager and contact leader assigned, one contact, and a request routed to
    the finance bureau (which lets that department read the firm)."""
    firm = EnterpriseFactory(
        manager=people["its manager"], contact_leader=people["its contact leader"]
    )
    ContactFactory(enterprise=firm, phone=PHONE, email=EMAIL)
    EnterpriseRequestFactory(enterprise=firm, department_slug="finance")
    db.session.commit()
    return firm.id


SEES_IN_FULL = ["admin", "its manager", "its contact leader"]
SEES_MASKED = ["another manager of the sub-district", "another leader", "a department it asked"]


@pytest.mark.parametrize("who", SEES_IN_FULL)
def test_the_firms_own_people_see_contacts_in_full_on_its_page(client, people, firm_id, who):
    log_in(client, people[who])

    page = client.get(f"/enterprises/{firm_id}").text

    assert f'href="tel:{PHONE}"' in page
    assert f'href="mailto:{EMAIL}"' in page
    assert 'data-testid="contacts-masked"' not in page


@pytest.mark.parametrize("who", SEES_MASKED)
def test_other_readers_see_them_masked_on_the_firms_page(client, people, firm_id, who):
    log_in(client, people[who])

    response = client.get(f"/enterprises/{firm_id}")

    assert response.status_code == 200
    assert PHONE not in response.text
    assert EMAIL not in response.text
    assert MASKED_PHONE in response.text
    assert MASKED_EMAIL in response.text
    assert 'data-testid="contacts-masked"' in response.text


def api_contacts(client, user: User, firm_id: int) -> list[dict[str, object]]:
    response = client.get(f"/api/v1/enterprises/{firm_id}", headers=api_headers(client, user))
    assert response.status_code == 200, response.text
    return response.json["contacts"]


@pytest.mark.parametrize("who", SEES_IN_FULL)
def test_the_api_gives_the_firms_own_people_the_contacts_in_full(client, people, firm_id, who):
    contacts = api_contacts(client, people[who], firm_id)

    assert [(c["phone"], c["email"], c["masked"]) for c in contacts] == [(PHONE, EMAIL, False)]


@pytest.mark.parametrize("who", SEES_MASKED)
def test_the_api_gives_other_readers_the_contacts_masked(client, people, firm_id, who):
    contacts = api_contacts(client, people[who], firm_id)

    assert [(c["phone"], c["email"], c["masked"]) for c in contacts] == [
        (MASKED_PHONE, MASKED_EMAIL, True)
    ]


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("021-62751234", "021****1234"),
        ("62751234", "62****34"),
        ("5551234", "5****34"),
        ("12345", "****5"),
        ("1234", "****"),
        ("", ""),
    ],
)
def test_a_phone_shows_at_most_its_prefix_and_last_four_and_hides_four(phone, masked):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("email", "masked"),
    [("wang.fang@example.com", "w****@example.com"), ("a@b.cn", "a****@b.cn"), ("odd", "****")],
)
def test_an_email_keeps_its_first_letter_and_domain(email, masked):
    assert mask_email(email) == masked

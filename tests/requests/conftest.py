"""Fixtures of the requests tests: department staff, firms in and out of scope, a request."""

from datetime import date, datetime

import factory
import pytest
from flask.testing import FlaskClient

from models import Department, Enterprise, EnterpriseRequest, RequestCategory, User, db
from tests.factories import PASSWORD, BaseFactory, EnterpriseFactory, UserFactory, reference

RAISED_ON = date(2026, 3, 2)
NOW = datetime(2026, 3, 3, 10, 0)


class EnterpriseRequestFactory(BaseFactory):
    class Meta:
        model = EnterpriseRequest
        exclude = ("department_slug",)

    enterprise = factory.SubFactory(EnterpriseFactory)
    category = RequestCategory.FINANCING
    description = "需要五百万元流动资金贷款"
    department_slug = "finance"
    department = factory.LazyAttribute(lambda r: reference(Department, r.department_slug))
    raised_on = RAISED_ON
    due_on = date(2026, 3, 12)
    created_by = factory.SubFactory(UserFactory, role="manager")
    created_at = datetime(2026, 3, 2, 9, 0)
    updated_at = datetime(2026, 3, 2, 9, 0)


@pytest.fixture
def finance_staff(app) -> User:
    return UserFactory(role="department", department_slug="finance")


@pytest.fixture
def stec_staff(app) -> User:
    return UserFactory(role="department", department_slug="stec")


@pytest.fixture
def firm(app) -> Enterprise:
    return EnterpriseFactory(name="上海大宁智算科技有限公司", sub_district_slug="daninglu")


@pytest.fixture
def other_firm(app) -> Enterprise:
    return EnterpriseFactory(name="上海静安寺金融科技有限公司", sub_district_slug="jingansi")


@pytest.fixture
def open_request(firm, manager) -> EnterpriseRequest:
    """A financing request of the manager's firm, routed to the finance bureau."""
    return EnterpriseRequestFactory(enterprise=firm, created_by=manager)


def api_headers(client: FlaskClient, user: User) -> dict[str, str]:
    db.session.commit()
    response = client.post(
        "/api/v1/auth/token", json={"username": user.username, "password": PASSWORD}
    )
    return {"Authorization": f"Bearer {response.json['token']}"}

"""Fixtures of the requests tests: department staff, firms in and out of scope, a request."""

import pytest

from models import Enterprise, EnterpriseRequest, User
from tests.factories import EnterpriseFactory, EnterpriseRequestFactory, UserFactory


@pytest.fixture
def finance_staff(app) -> User:
    return UserFactory(role="department", department_slug="finance")


@pytest.fixture
def stec_staff(app) -> User:
    return UserFactory(role="department", department_slug="stec")


@pytest.fixture
def other_firm(app) -> Enterprise:
    return EnterpriseFactory(name="上海静安寺金融科技有限公司", sub_district_slug="jingansi")


@pytest.fixture
def open_request(firm, manager) -> EnterpriseRequest:
    """A financing request of the manager's firm, routed to the finance bureau."""
    return EnterpriseRequestFactory(enterprise=firm, created_by=manager)

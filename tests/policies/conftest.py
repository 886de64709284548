"""Fixtures of the package tests: a package proposed for the daninglu firm."""

from datetime import date

import pytest

from models import Enterprise, PolicyPackage, User
from tests.helpers import item, propose


@pytest.fixture
def proposed(manager: User, firm: Enterprise) -> PolicyPackage:
    return propose(
        manager,
        firm,
        item("loan_interest_subsidy", "500000", disburse_by=date(2026, 4, 1)),
        item("talent_housing", "3", review_on=date(2026, 12, 1)),
    )

"""Helpers for package tests: catalogue look-ups and a proposed package for a firm."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from crm.policies import services
from models import Enterprise, PolicyInstrument, PolicyPackage, User, db
from tests import factories

NOW = datetime(2026, 3, 2, 9, 0)


def instrument(slug: str) -> PolicyInstrument:
    found = db.session.scalar(select(PolicyInstrument).where(PolicyInstrument.slug == slug))
    assert found is not None
    return found


def item(slug: str, amount: str, **extra: object) -> services.ItemInput:
    return services.ItemInput(instrument_id=instrument(slug).id, amount=Decimal(amount), **extra)


def propose(
    manager: User, firm: Enterprise, *items: services.ItemInput, title: str = "Growth support"
) -> PolicyPackage:
    data = services.PackageInput(title=title, rationale="Fast-growing AI firm", items=list(items))
    return services.propose_package(manager, firm, data, NOW)


@pytest.fixture
def firm(app) -> Enterprise:
    return factories.EnterpriseFactory()


@pytest.fixture
def proposed(manager: User, firm: Enterprise) -> PolicyPackage:
    return propose(
        manager,
        firm,
        item("loan_interest_subsidy", "500000", disburse_by=date(2026, 4, 1)),
        item("talent_housing", "3", review_on=date(2026, 12, 1)),
    )

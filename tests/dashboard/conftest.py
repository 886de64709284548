"""A demo reservoir for the dashboard's tests, seeded once per test module into a database of
its own (on PostgreSQL, this worker's "demo" database)."""

from collections.abc import Iterator

import pytest
from flask import Flask

from crm.config import normalise_database_url
from crm.seeding import seed_demo
from models import db
from tests.helpers import (
    DEMO_FIRMS,
    DEMO_SEED,
    DEMO_TODAY,
    app_with_empty_database,
    database_url,
    settings_for,
)


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    settings = settings_for(tmp_path_factory.mktemp("demo")) | {
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url("demo") or "sqlite://"),
        "CRM_DASHBOARD_DAY": DEMO_TODAY,
    }
    for app in app_with_empty_database(settings):
        seed_demo(DEMO_FIRMS, DEMO_SEED, DEMO_TODAY)
        db.session.commit()
        yield app

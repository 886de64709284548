"""A demo reservoir for the dashboard's tests, seeded once per test module.

Module scope, not session: a PostgreSQL test run has one database, which the function-scoped
`app` fixture of other modules empties; a module's tests run together, so its demo stays intact.
"""

from collections.abc import Iterator
from datetime import date, datetime

import pytest
from flask import Flask

from crm import clock
from crm.seeding import seed_demo
from models import db
from tests.conftest import TEST_SETTINGS, _app_with_empty_database

TODAY = date(2026, 11, 16)
NOW = datetime(2026, 11, 16, 8, 0)
DEMO_FIRMS = 300
DEMO_SEED = 11


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    folder = tmp_path_factory.mktemp("demo")
    settings = {
        **TEST_SETTINGS,
        "CRM_UPLOAD_FOLDER": str(folder / "uploads"),
        "MODEL_FOLDER": str(folder / "models"),
    }
    for app in _app_with_empty_database(settings):
        seed_demo(DEMO_FIRMS, DEMO_SEED, TODAY)
        db.session.commit()
        yield app


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """`today()` is the demo's day, wherever it is asked."""
    monkeypatch.setattr(clock, "utcnow", lambda: NOW)

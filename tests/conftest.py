"""Fixtures: a fresh app and empty database per test (SQLite, or TEST_DATABASE_URL's PostgreSQL)."""

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask, g
from flask.testing import FlaskClient
from sqlalchemy import event

from crm import create_app
from crm.config import normalise_database_url
from crm.reference import load_reference_data
from models import User, db
from tests import factories
from tests.api.contract import check_answers_against_document

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
TEST_SETTINGS = {
    "CRM_ENV": "testing",
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-that-is-long-enough-for-checks",
    "SQLALCHEMY_DATABASE_URI": normalise_database_url(TEST_DATABASE_URL or "sqlite://"),
    "WTF_CSRF_ENABLED": False,
    # Login throttling is tested on its own (tests/auth/test_throttling.py); elsewhere tests log
    # in as often as they like. The lock-out in the database still applies.
    "RATELIMIT_ENABLED": False,
    "BABEL_DEFAULT_LOCALE": "en",
    # Pinned, so settings of the machine running the tests cannot leak in.
    "CRM_BASE_URL": "http://127.0.0.1:5000",
    "MAIL_SERVER": "",
}


def _app_with_empty_database(settings: dict[str, object]) -> Iterator[Flask]:
    app = create_app(settings)
    check_answers_against_document(app)

    # Requests reuse the test's app context, so `g` would carry the logged-in user and the
    # language from one request to the next; production starts every request afresh.
    @app.teardown_request
    def forget_request_state(_error: BaseException | None) -> None:
        g.__dict__.clear()

    with app.app_context():
        db.drop_all()  # a PostgreSQL database may hold tables of an interrupted run
        db.create_all()
        load_reference_data()
        db.session.commit()
        yield app
        db.session.remove()
        db.drop_all()
        for engine in db.engines.values():  # pooled PostgreSQL connections would leak
            engine.dispose()


@pytest.fixture
def app(tmp_path) -> Iterator[Flask]:
    """A fresh app and an empty database (with reference data) for every test."""
    yield from _app_with_empty_database(
        {
            **TEST_SETTINGS,
            "CRM_UPLOAD_FOLDER": str(tmp_path / "uploads"),
            "MODEL_FOLDER": str(tmp_path / "models"),
        }
    )


@pytest.fixture
def csrf_app(tmp_path) -> Iterator[Flask]:
    """The same with CSRF protection on, as in production."""
    yield from _app_with_empty_database(
        {
            **TEST_SETTINGS,
            "WTF_CSRF_ENABLED": True,
            "CRM_UPLOAD_FOLDER": str(tmp_path),
            "MODEL_FOLDER": str(tmp_path / "models"),
        }
    )


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def manager(app: Flask) -> User:
    return factories.UserFactory(role="manager", sub_district_slug="daninglu")


@pytest.fixture
def leader(app: Flask) -> User:
    return factories.UserFactory(role="leader")


@pytest.fixture
def admin(app: Flask) -> User:
    return factories.UserFactory(role="admin")


@contextmanager
def counted_queries() -> Iterator[list[str]]:
    """The SQL statements run inside the block: pages and jobs are checked to issue as many on a
    large database as on a small one."""
    statements: list[str] = []

    def count(_connection: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def log_in(client: FlaskClient, user: User, password: str = factories.PASSWORD) -> None:
    db.session.commit()
    response = client.post("/login", data={"username": user.username, "password": password})
    assert response.status_code == 302, response.text


@pytest.fixture
def logged_in(client: FlaskClient, manager: User) -> FlaskClient:
    """The client, logged in as the daninglu account manager."""
    log_in(client, manager)
    return client

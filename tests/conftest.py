"""Fixtures: the app and its schema built once per worker, each test inside a transaction that is
rolled back at its end (SQLite in memory, or TEST_DATABASE_URL's PostgreSQL); and apps with a
database of their own for the tests whose data other threads or processes must read."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session
from sqlalchemy import create_engine, event, make_url, text
from threadpoolctl import threadpool_limits

from crm.config import normalise_database_url
from models import Enterprise, User, db
from tests import factories
from tests.helpers import (
    DEMO_AS_OF,
    SERVER_URL,
    TEST_SETTINGS,
    app_with_empty_database,
    create_schema,
    database_url,
    log_in,
    make_app,
    one_round_password_hashes,
    seeded_demo_app,
    settings_for,
)


class _JoinedSession(Session):
    """Flask-SQLAlchemy's session, bound to the test's connection rather than the engine."""

    def get_bind(self, *_args: Any, **_kwargs: Any) -> Any:
        return self.bind


@pytest.fixture(scope="session", autouse=True)
def one_thread_per_worker() -> Iterator[None]:
    """The test workers take every core: gradient boosting's OpenMP threads on top of them
    spin-wait for each other, and a backtest of 1 s took 25 s (see benchmarks/crunchbase.py)."""
    with threadpool_limits(limits=1):
        yield


@pytest.fixture(scope="session", autouse=True)
def _postgres_databases() -> Iterator[None]:
    """This worker's databases on TEST_DATABASE_URL's server: created when missing, dropped at the
    end (the one TEST_DATABASE_URL names belongs to whoever made it, and stays)."""
    if SERVER_URL is None:
        yield
        return
    server = create_engine(
        make_url(normalise_database_url(SERVER_URL)).set(database="postgres"),
        isolation_level="AUTOCOMMIT",
    )
    given = make_url(SERVER_URL).database
    names = [make_url(database_url(purpose) or "").database for purpose in ("", "own", "demo")]
    with server.connect() as connection:
        for name in names:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not exists:
                connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield
    with server.connect() as connection:
        for name in names:
            if name != given:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    server.dispose()


@pytest.fixture(scope="session")
def _schema_app(_postgres_databases: None) -> Iterator[Flask]:
    """The app every rolled-back test shares, with the schema and reference data committed."""
    url = normalise_database_url(database_url() or "sqlite://")
    app = make_app({**TEST_SETTINGS, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        create_schema()
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """The shared app, its settings restored and everything the test wrote rolled back after it;
    or, for a test marked own_database, an app with an empty database of its own."""
    if request.node.get_closest_marker("own_database"):
        yield from app_with_empty_database(settings_for(tmp_path))
        return
    shared: Flask = request.getfixturevalue("_schema_app")
    saved = shared.config.copy()
    shared.config.update(settings_for(tmp_path))
    with shared.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        if connection.dialect.name == "sqlite":
            # pysqlite begins only before a write, so the session's first SAVEPOINT would begin
            # (and its RELEASE commit) the transaction that is meant to be rolled back.
            connection.exec_driver_sql("BEGIN")
        # Commits in views and services release a savepoint; the outer transaction stays open.
        db.session.registry.set(
            _JoinedSession(db, bind=connection, join_transaction_mode="create_savepoint")
        )
        other_connections: list[object] = []
        note = other_connections.append
        event.listen(db.engine, "engine_connect", note)
        try:
            yield shared
        finally:
            event.remove(db.engine, "engine_connect", note)
            db.session.remove()
            transaction.rollback()
            connection.close()
            if other_connections:
                # What another connection wrote (or a commit it made of ours) outlives the
                # rollback: start the next test from a clean schema, not from this one's data.
                create_schema()
            shared.config.clear()
            shared.config.update(saved)
    if other_connections:
        pytest.fail(
            "The test opened a database connection besides its session's, which cannot see the "
            "rolled-back data: mark it @pytest.mark.own_database.",
            pytrace=False,
        )


@pytest.fixture
def csrf_app(tmp_path) -> Iterator[Flask]:
    """The same with CSRF protection on, as in production."""
    yield from app_with_empty_database({**settings_for(tmp_path), "WTF_CSRF_ENABLED": True})


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


@pytest.fixture
def firm(app: Flask) -> Enterprise:
    """A firm of the daninglu sub-district: the manager fixture's."""
    return factories.EnterpriseFactory(
        name="上海大宁智算科技有限公司", sub_district_slug="daninglu"
    )


@pytest.fixture
def logged_in(client: FlaskClient, manager: User) -> FlaskClient:
    """The client, logged in as the daninglu account manager."""
    log_in(client, manager)
    return client


@pytest.fixture
def leader_client(client: FlaskClient, leader: User) -> FlaskClient:
    """The client, logged in as a leader."""
    log_in(client, leader)
    return client


@pytest.fixture
def admin_client(client: FlaskClient, admin: User) -> FlaskClient:
    """The client, logged in as an admin."""
    log_in(client, admin)
    return client


@pytest.fixture(scope="session")
def demo_district_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The demo of 600 firms (seed 2025) as of DEMO_AS_OF, seeded once per worker into a SQLite
    file of its own: for the checks that only read what the demo holds."""
    app = seeded_demo_app(tmp_path_factory.mktemp("demo"), 600, 2025, DEMO_AS_OF)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def demo_district(demo_district_app: Flask) -> Iterator[Flask]:
    """The demo district, inside its app context for the test."""
    with demo_district_app.app_context():
        yield demo_district_app


@pytest.fixture
def quick_password_hashes() -> Iterator[None]:
    """For the tests that seed the demo or a benchmark district: see one_round_password_hashes."""
    with one_round_password_hashes():
        yield

"""What tests share besides fixtures: settings, databases, logging in, counting queries, and the
records and days each domain's tests build on. Fixtures live in the conftest.py files."""

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, current_app, g
from flask.testing import FlaskClient
from sqlalchemy import event, func, make_url, select
from werkzeug.security import generate_password_hash

import models.user
from crm import create_app
from crm.api.auth import issue_token
from crm.config import normalise_database_url
from crm.keyset import Page
from crm.policies import services as package_services
from crm.reference import load_reference_data
from crm.reminders.rules import ReminderSettings
from crm.reminders.scan import ScanSummary, scan
from crm.seeding import seed_demo
from models import (
    AuditEntry,
    Enterprise,
    FollowUpAction,
    ItemState,
    PackageState,
    PolicyInstrument,
    PolicyPackage,
    Reminder,
    ReminderState,
    User,
    Visit,
    VisitKind,
    db,
)
from tests import factories
from tests.api.contract import check_answers_against_document

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
SERVER_URL = os.environ.get("TEST_DATABASE_URL")
# pytest-xdist names its workers gw0, gw1...: each gets databases of its own on the server.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def database_url(purpose: str = "") -> str | None:
    """This worker's PostgreSQL database for `purpose` on TEST_DATABASE_URL's server, or None
    when the tests run on SQLite."""
    if SERVER_URL is None:
        return None
    url = make_url(SERVER_URL)
    name = "_".join(part for part in (url.database, WORKER, purpose) if part)
    return url.set(database=name).render_as_string(hide_password=False)


# The database of tests that build their own app: data committed there is seen by other threads
# and processes. The rolled-back tests of conftest's `app` use database_url() instead.
TEST_DATABASE_URL = database_url("own")
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


def make_app(settings: dict[str, object]) -> Flask:
    """The app as every test sees it: each answer of the API checked against its document."""
    app = create_app(settings)
    check_answers_against_document(app)

    # Requests reuse the test's app context, so `g` would carry the logged-in user and the
    # language from one request to the next; production starts every request afresh.
    @app.teardown_request
    def forget_request_state(_error: BaseException | None) -> None:
        g.__dict__.clear()

    return app


def settings_for(folder: Path) -> dict[str, object]:
    """TEST_SETTINGS with uploaded files and trained models kept in `folder`."""
    return {
        **TEST_SETTINGS,
        "CRM_UPLOAD_FOLDER": str(folder / "uploads"),
        "MODEL_FOLDER": str(folder / "models"),
    }


def create_schema() -> None:
    db.drop_all()  # a PostgreSQL database may hold tables of an interrupted run
    db.create_all()
    load_reference_data()
    db.session.commit()


def app_with_empty_database(settings: dict[str, object]) -> Iterator[Flask]:
    """An app of its own with an empty database (and reference data), inside its app context."""
    app = make_app(settings)
    with app.app_context():
        create_schema()
        yield app
        db.session.remove()
        db.drop_all()
        for engine in db.engines.values():  # pooled PostgreSQL connections would leak
            engine.dispose()


@contextmanager
def one_round_password_hashes() -> Iterator[None]:
    """Accounts made inside (the demo's, through the admin service) get a one-round hash, as
    tests.factories gives its users: scrypt costs 0.2 s an account, and logs in all the same."""
    with pytest.MonkeyPatch.context() as patch:
        quick = partial(generate_password_hash, method=factories.ONE_ROUND)
        patch.setattr(models.user, "generate_password_hash", quick)
        yield


DEMO_AS_OF = date(2026, 12, 4)  # the day the shared demo district (conftest) is seeded as of


def seeded_demo_app(folder: Path, firms: int, seed: int, today: date) -> Flask:
    """An app whose database, a SQLite file in `folder`, holds the demo of `firms` firms."""
    folder.mkdir(parents=True, exist_ok=True)
    database = f"sqlite:///{folder / 'crm.sqlite3'}"
    app = create_app(settings_for(folder) | {"SQLALCHEMY_DATABASE_URI": database})
    with app.app_context(), one_round_password_hashes():
        db.create_all()
        load_reference_data()
        seed_demo(firms, seed=seed, today=today)
        db.session.commit()
    return app


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


def logged_in_client(app: Flask, user: User) -> FlaskClient:
    """A client of its own, logged in as `user`."""
    client = app.test_client()
    log_in(client, user)
    return client


def firm_form_fields(name: str, uscc: str, **changes: str) -> dict[str, str]:
    """What the firm form posts for a daninglu AI firm of the reservoir, with `changes`."""
    return {
        "name": name,
        "uscc": uscc,
        "sub_district": "daninglu",
        "zone": "daning",
        "track": "ai",
        "tier": "reservoir",
        "status": "active",
        "manager": "",
        **changes,
    }


def row_count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def audit_entries(
    entity_type: str, entity_id: int | None = None, action: str | None = None
) -> list[AuditEntry]:
    """The log's entries about a kind of record (one record, one action), oldest first."""
    query = select(AuditEntry).where(AuditEntry.entity_type == entity_type)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    return list(db.session.scalars(query.order_by(AuditEntry.id)))


def page_ids(read: Callable[..., Page[Any]], forward: bool = True) -> list[list[int]]:
    """The ids on every page, following `read(after=cursor)` forward or `read(before=...)` back."""
    pages, cursor = [], None
    while True:
        page = read(after=cursor) if forward else read(before=cursor)
        pages.append([row.id for row in page.rows])
        cursor = page.next_cursor if forward else page.previous_cursor
        if cursor is None:
            return pages


def log_in_page(page: object, base_url: str, username: str, password: str) -> None:
    """Log in through the login form of a browser page."""
    page.goto(f"{base_url}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def api_token(client: FlaskClient, user: User, password: str = factories.PASSWORD) -> str:
    """A token from the API's login endpoint."""
    db.session.commit()
    response = client.post(
        "/api/v1/auth/token", json={"username": user.username, "password": password}
    )
    assert response.status_code == 200, response.text
    return str(response.json["token"])


def api_headers(
    client: FlaskClient, user: User, password: str = factories.PASSWORD
) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(client, user, password)}"}


def bearer(user: User) -> dict[str, str]:
    """API headers with a token issued to `user` directly, without the login endpoint."""
    db.session.commit()  # the request's own connection sees the user and the test's records
    return {"Authorization": f"Bearer {issue_token(user)}"}


# Requests: the day a request is raised and a moment after it.
REQUEST_RAISED_ON = date(2026, 3, 2)
REQUEST_NOW = datetime(2026, 3, 3, 10, 0)

# Policy packages.
PACKAGE_NOW = datetime(2026, 3, 2, 9, 0)


def instrument(slug: str) -> PolicyInstrument:
    found = db.session.scalar(select(PolicyInstrument).where(PolicyInstrument.slug == slug))
    assert found is not None
    return found


def item(slug: str, amount: str, **extra: object) -> package_services.ItemInput:
    return package_services.ItemInput(
        instrument_id=instrument(slug).id, amount=Decimal(amount), **extra
    )


def propose(
    manager: User,
    firm: Enterprise,
    *items: package_services.ItemInput,
    title: str = "Growth support",
) -> PolicyPackage:
    data = package_services.PackageInput(
        title=title, rationale="Fast-growing AI firm", items=list(items)
    )
    return package_services.propose_package(manager, firm, data, PACKAGE_NOW)


# Reminders: a scan on a chosen day, what it stored, and the records it reads.
def reminder_settings() -> ReminderSettings:
    return ReminderSettings.from_config(current_app.config)


def scan_on(day: date) -> ScanSummary:
    """One scan as the scheduler would run it on `day` (the clock is the argument)."""
    return scan(day, datetime.combine(day, time(9, 0)), reminder_settings())


def stored(
    rule: str | None = None, state: ReminderState | None = ReminderState.OPEN
) -> list[tuple]:
    """(rule, record_id, due_on, recipient username) of the stored reminders, sorted."""
    query = select(Reminder)
    if rule is not None:
        query = query.where(Reminder.rule == rule)
    if state is not None:
        query = query.where(Reminder.state == state)
    return sorted(
        (r.rule, r.record_id, r.due_on, r.recipient.username) for r in db.session.scalars(query)
    )


def granted_package(
    manager: User, firm: Enterprise, disburse_by: date, review_on: date
) -> PolicyPackage:
    """An approved package of a granted loan to disburse and housing to review: both remind."""
    package = propose(
        manager,
        firm,
        item("loan_interest_subsidy", "500000", disburse_by=disburse_by),
        item("talent_housing", "3", review_on=review_on),
    )
    package.state = PackageState.APPROVED
    for row in package.items:
        row.state = ItemState.GRANTED
    db.session.flush()
    return package


def log_visit(firm: Enterprise, on: date, author: User, next_visit_on: date | None = None) -> Visit:
    return factories.VisitFactory(
        enterprise=firm,
        visited_on=on,
        kind=VisitKind.ON_SITE,
        next_visit_on=next_visit_on,
        created_by=author,
        created_at=datetime.combine(on, time(10, 0)),
        updated_at=datetime.combine(on, time(10, 0)),
    )


def add_follow_up(visit: Visit, owner: User, due_on: date) -> FollowUpAction:
    return factories.FollowUpActionFactory(visit=visit, owner=owner, due_on=due_on)


# The pipeline's small scored reservoir: the day it is scored on, and when.
PIPELINE_AS_OF = date(2026, 6, 1)
PIPELINE_NOW = datetime(2026, 6, 1, 3, 0)


def firm_with_figures(
    number: int, sub_district: str = "daninglu", growth: float = 0.1
) -> Enterprise:
    firm = factories.EnterpriseFactory(sub_district_slug=sub_district)
    revenue = Decimal(1000 + 150 * number)
    for year in (2023, 2024, 2025):
        factories.YearlyFiguresFactory(
            enterprise=firm,
            year=year,
            revenue=revenue,
            employees=20 + number,
            rd_spend=revenue * Decimal("0.08"),
            patents=number % 7,
            pct_applications=number % 3,
        )
        revenue = revenue * Decimal(str(1 + growth * (number % 5)))
    return firm


# Scoring's backtest on synthetic firms: the windows a training run on this day would choose
# (scoring.training.default_windows), written out so a change there shows here.
SCORING_AS_OF = date(2025, 6, 1)
FIT_CUTOFFS = [date(2014, 6, 1), date(2015, 6, 1), date(2016, 6, 1)]
VALIDATION_CUTOFF = date(2018, 6, 1)
TEST_CUTOFFS = [date(2021, 6, 1), date(2022, 6, 1)]
# Enough resamples for a stable interval in a test, a fifth of a training run's.
TEST_BOOTSTRAP_ROUNDS = 200

# The dashboard's demo reservoir.
DEMO_TODAY = date(2026, 11, 16)
DEMO_FIRMS = 300
DEMO_SEED = 11

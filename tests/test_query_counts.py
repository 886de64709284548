"""No page issues more SQL as the rows it shows grow: every benchmarked page, counted at two sizes.

The same district generator `make bench` uses builds a small reservoir, then one with three times
the firms; each page of the benchmark is loaded by its account on both, and the number of
statements must be the same. Both hold records of the same shapes (the larger one is the smaller
one copied), so a page opens the same kind of visit, request and package on both: a difference in
statements comes from the number of rows, not from what one record happens to hold.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask, g
from sqlalchemy import text

from benchmarks import district
from benchmarks.pages import Page, choose_accounts, district_pages, sample_records
from benchmarks.serving import PASSWORD
from crm import create_app
from models import db
from tests.helpers import TEST_DATABASE_URL, counted_queries

# The reservoir lists show fewer rows than a page holds at 24 firms, a full page at 72.
BASE_FIRMS = 24
SMALL = district.Plan(firms=BASE_FIRMS, base_firms=BASE_FIRMS)
LARGE = district.Plan(firms=BASE_FIRMS * 3, base_firms=BASE_FIRMS)


pytestmark = pytest.mark.usefixtures("quick_password_hashes")


def _database_url(tmp_path: Path, name: str) -> str:
    return TEST_DATABASE_URL or f"sqlite:///{tmp_path / name}.sqlite3"


@contextmanager
def _district(tmp_path: Path, plan: district.Plan, name: str) -> Iterator[Flask]:
    url = _database_url(tmp_path, name)
    district.ensure_district(url, tmp_path, plan)
    app = create_app(district.settings(url, tmp_path) | {"WTF_CSRF_ENABLED": False})

    # Requests share the test's app context: start each, as production does, with no logged-in
    # user and an empty session, so no page finds rows an earlier page loaded.
    @app.teardown_request
    def forget_request_state(_error: BaseException | None) -> None:
        g.__dict__.clear()
        db.session.remove()

    with app.app_context():
        yield app
        db.session.remove()
        if TEST_DATABASE_URL:  # leave the shared test database as the other tests expect it
            db.drop_all()
            with db.engine.begin() as connection:
                connection.execute(text(f"DROP TABLE IF EXISTS {district.KEY_TABLE}"))
                connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        for engine in db.engines.values():
            engine.dispose()


def _statements_per_page(app: Flask) -> dict[str, list[str]]:
    accounts = choose_accounts()
    pages = district_pages(accounts, sample_records(accounts.manager))
    clients = {}
    for account in {page.account for page in pages}:
        client = app.test_client()
        response = client.post("/login", data={"username": account, "password": PASSWORD})
        assert response.status_code == 302, account
        token = client.post(
            "/api/v1/auth/token", json={"username": account, "password": PASSWORD}
        ).json["token"]
        clients[account] = (client, token)
    counts = {}
    for page in pages:
        client, token = clients[page.account]
        _load(client, token, page)  # the first load may fill a cache: count the usual one
        with counted_queries() as statements:
            status = _load(client, token, page)
        assert status in ((302, 303) if page.method == "POST" else (200,)), page.name
        counts[page.name] = statements
    return counts


def _load(client, token: str, page: Page) -> int:
    if page.method == "POST" and page.form:
        return client.post(page.path, data=page.form(district.AS_OF)).status_code
    headers = {"Authorization": f"Bearer {token}"} if page.api else {}
    return client.get(page.path, headers=headers).status_code


def test_no_benchmarked_page_issues_more_queries_on_a_larger_district(tmp_path):
    with _district(tmp_path, SMALL, "small") as app:
        small = _statements_per_page(app)
    with _district(tmp_path, LARGE, "large") as app:
        large = _statements_per_page(app)

    grown = {
        name: [statement[:120] for statement in large[name] if statement not in small[name]]
        or (len(small[name]), len(large[name]))
        for name in small
        if len(large[name]) != len(small[name])
    }

    assert not grown, f"statements the larger district adds, per page: {grown}"

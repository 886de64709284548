"""Who may reach what: every route of the url_map, as each role and as someone of another scope.

One small world is built once for the module: a firm of sub-district A (daninglu) with a visit, a
follow-up, a reminder, a request routed to department X (finance) and a package holding an
instrument X delivers. The manager of A and the staff of X have these records in scope; the
manager of B (jingansi) and the staff of Y (stec) do not. Each route is asked once per actor: GET
as is, POST with an empty (CSRF-less) form or `{}` as JSON, and the status is compared with its
row. Records a POST may consume (a deletion, a reminder marked done) are made fresh for each ask.

Adding a route is one line in MATRIX; a route of the url_map without a line fails a test naming it.
"""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient

from models import User, db
from tests import helpers
from tests.access_world import World, build_world
from tests.helpers import app_with_empty_database, settings_for

ACTORS = ("anonymous", "admin", "leader", "manager", "other_manager", "staff", "other_staff")
IGNORED_METHODS = {"HEAD", "OPTIONS"}
LOGIN = 302  # an anonymous page request is sent to the login form


# One line per route and method (GET,POST when both answer alike): the URL ({name} is filled from
# the World; {new_...} makes a fresh record for each ask), then each actor's status, as ACTORS:
#                                                                anon admin lead mgr mgrB stf stfB
MATRIX = """
GET   /                                                          302 302 302 302 302 302 302
GET   /account                                                   302 200 200 200 200 200 200
POST  /account/logout-everywhere                                 302 302 302 302 302 302 302
POST  /account/password                                          302 200 200 200 200 200 200
POST  /account/tokens/{new_token}/revoke                         302 404 404 302 404 404 404
GET   /admin/audit                                               302 200 403 403 403 403 403
GET   /admin/deleted                                             302 200 403 403 403 403 403
POST  /admin/deleted/enterprise/{new_deleted_firm}/restore       302 302 403 403 403 403 403
GET   /admin/jobs/                                               302 200 403 403 403 403 403
POST  /admin/jobs/dashboard_refresh/run                          302 302 403 403 403 403 403
GET   /admin/reference                                           302 200 403 403 403 403 403
GET   /admin/reference/tracks/{track}                            302 200 403 403 403 403 403
POST  /admin/reference/tracks/{track}                            302 409 403 403 403 403 403
GET,POST /admin/reference/tracks/new                             302 200 403 403 403 403 403
GET   /admin/users                                               302 200 403 403 403 403 403
GET,POST /admin/users/{manager_id}/edit                          302 200 403 403 403 403 403
POST  /admin/users/{manager_id}/unlock                           302 302 403 403 403 403 403
GET,POST /admin/users/new                                        302 200 403 403 403 403 403
POST  /api/v1/auth/token                                         422 422 422 422 422 422 422
GET   /api/v1/credit/banks                                       401 200 200 200 200 200 403
GET   /api/v1/credit/batches                                     401 200 200 200 200 200 403
GET   /api/v1/credit/batches/{credit_batch}                      401 200 200 200 200 200 404
GET   /api/v1/credit/batches/{credit_batch}/nominations          401 200 200 200 200 200 404
POST  /api/v1/credit/batches/{credit_batch}/nominations          401 422 422 422 422 403 404
POST  /api/v1/credit/nominations/{credit_nomination}/decision    401 422 422 403 404 403 404
GET   /api/v1/credit/nominations/{credit_nomination}/drawdowns   401 200 200 200 404 200 404
POST  /api/v1/credit/nominations/{credit_nomination}/drawdowns   401 422 422 422 404 403 404
POST  /api/v1/credit/drawdowns/{credit_drawdown}/repayment       401 422 422 422 404 403 404
GET   /api/v1/discovery/candidates                               401 200 200 200 200 200 200
POST  /api/v1/discovery/candidates                               401 422 422 422 422 422 422
GET   /api/v1/discovery/candidates/{new_discovery_candidate}     401 200 200 200 404 404 404
POST  /api/v1/discovery/candidates/{new_discovery_candidate}/decision 401 422 403 422 404 404 404
POST  /api/v1/discovery/candidates/{new_discovery_candidate}/screening 401 422 403 422 404 404 404
GET   /api/v1/discovery/events                                   401 200 200 200 200 200 200
GET   /api/v1/discovery/statistics                               401 200 200 200 200 403 403
POST  /api/v1/enterprises                                        401 422 403 422 422 403 403
GET   /api/v1/enterprises                                        401 200 200 200 200 200 200
GET   /api/v1/enterprises/{firm}                                 401 200 200 200 404 200 404
PATCH /api/v1/enterprises/{firm}                                 401 422 403 422 404 403 404
GET   /api/v1/listings                                           401 200 200 200 200 200 200
POST  /api/v1/listings                                           401 422 422 422 422 403 403
GET   /api/v1/listings/{listing_track}                           401 200 200 200 404 200 404
POST  /api/v1/listings/{listing_track}/advance                   401 422 422 422 404 403 404
POST  /api/v1/listings/{listing_track}/blockers                  401 422 422 422 404 403 404
POST  /api/v1/listings/{listing_track}/pause                     401 422 422 422 404 403 404
POST  /api/v1/listings/{listing_track}/resume                    401 422 422 422 404 403 404
POST  /api/v1/listings/{listing_track}/withdraw                  401 422 422 422 404 403 404
GET   /api/v1/models/active                                      401 200 200 200 200 404 404
GET   /api/v1/openapi.json                                       200 200 200 200 200 200 200
GET   /api/v1/packages                                           401 200 200 200 200 200 200
POST  /api/v1/packages                                           401 422 403 422 422 403 403
GET   /api/v1/packages/{package}                                 401 200 200 200 404 200 404
POST  /api/v1/packages/{package}/decision                        401 403 422 403 404 403 404
GET   /api/v1/pipeline                                           401 200 200 200 200 404 404
GET   /api/v1/reminders                                          401 200 200 200 200 200 200
POST  /api/v1/reminders/{new_reminder}/done                      401 404 404 200 404 404 404
POST  /api/v1/reminders/{new_reminder}/snooze                    401 404 404 422 404 404 404
POST  /api/v1/requests                                           401 422 422 422 422 422 422
GET   /api/v1/requests                                           401 200 200 200 200 200 200
GET   /api/v1/requests/{request}                                 401 200 200 200 404 200 404
POST  /api/v1/requests/{request}/transitions                     401 422 422 422 404 422 404
GET   /api/v1/targets                                            401 200 200 404 404 404 404
GET   /api/v1/visits                                             401 200 200 200 200 200 200
POST  /api/v1/visits                                             401 422 422 422 422 422 422
GET   /api/v1/visits/{visit}                                     401 200 200 200 404 404 404
GET   /discovery/                                                302 200 200 200 200 200 200
GET   /discovery/{new_discovery_candidate}                       302 200 200 200 404 404 404
POST  /discovery/{new_discovery_candidate}/assignment            302 422 422 403 404 404 404
POST  /discovery/{new_discovery_candidate}/decision              302 422 403 422 404 404 404
POST  /discovery/{new_discovery_candidate}/delete                302 302 302 403 404 404 404
GET   /discovery/{new_discovery_candidate}/edit                  302 200 200 200 404 404 404
POST  /discovery/{new_discovery_candidate}/edit                  302 422 422 422 404 404 404
POST  /discovery/{new_discovery_candidate}/screening             302 422 403 422 404 404 404
GET   /discovery/events                                          302 200 200 200 200 200 200
GET   /discovery/events/{new_discovery_event}                    302 200 200 200 200 200 200
POST  /discovery/events/{new_discovery_event}/delete             302 302 302 403 403 403 403
GET   /discovery/events/{new_discovery_event}/edit               302 200 200 403 403 403 403
POST  /discovery/events/{new_discovery_event}/edit               302 422 422 403 403 403 403
POST  /discovery/events/{new_discovery_event}/participants       302 422 422 403 403 403 403
GET   /discovery/events/new                                      302 200 200 403 403 403 403
POST  /discovery/events/new                                      302 422 422 403 403 403 403
GET   /discovery/export                                          302 200 200 200 200 200 200
GET   /discovery/intake                                          302 200 200 200 200 403 403
POST  /discovery/intake                                          302 422 422 422 422 403 403
POST  /discovery/intake/confirm                                  302 400 400 400 400 403 403
GET   /discovery/intake/template.xlsx                            302 200 200 200 200 403 403
GET   /discovery/new                                             302 200 200 200 200 200 200
POST  /discovery/new                                             302 422 422 422 422 422 422
GET   /discovery/statistics                                      302 200 200 200 200 403 403
GET   /credit/                                                   302 200 200 200 200 200 403
GET,POST /credit/banks/new                                       302 200 200 403 403 403 403
GET,POST /credit/banks/{credit_bank}/edit                        302 200 200 403 403 403 403
GET,POST /credit/banks/{credit_bank}/products/new                302 200 200 403 403 403 403
GET,POST /credit/banks/{credit_bank}/products/{credit_product}/edit 302 200 200 403 403 403 403
GET   /credit/batches                                            302 200 200 200 200 200 403
GET,POST /credit/batches/new                                     302 200 200 403 403 403 403
GET   /credit/batches/{credit_batch}                             302 200 200 200 200 200 404
GET   /credit/batches/{credit_batch}/export                      302 200 200 403 403 403 404
GET,POST /credit/batches/{credit_batch}/edit                     302 200 200 403 403 403 404
POST  /credit/batches/{credit_batch}/delete                      302 409 409 403 403 403 404
POST  /credit/batches/{credit_batch}/submit                      302 409 409 403 403 403 404
GET,POST /credit/nominate                                        302 200 200 200 200 403 403
GET   /credit/nominations/{credit_nomination}                    302 200 200 200 404 200 404
POST  /credit/nominations/{credit_nomination}/decision           302 422 422 403 404 403 404
POST  /credit/nominations/{credit_nomination}/drawdown           302 422 422 422 404 403 404
POST  /credit/nominations/{credit_nomination}/withdraw           302 409 409 409 404 403 404
GET   /dashboard/                                                302 200 200 404 404 404 404
GET   /dashboard/export.xlsx                                     302 200 200 404 404 404 404
GET   /dashboard/print                                           302 200 200 404 404 404 404
GET   /dashboard/targets/                                        302 200 404 404 404 404 404
POST  /dashboard/targets/{new_target}/archive                    302 302 404 404 404 404 404
GET,POST /dashboard/targets/{target}/edit                        302 200 404 404 404 404 404
POST  /dashboard/targets/{new_archived_target}/restore           302 302 404 404 404 404 404
GET,POST /dashboard/targets/new                                  302 200 404 404 404 404 404
GET   /enterprises/                                              302 200 200 200 200 200 200
GET   /enterprises/{firm}                                        302 200 200 200 404 200 404
POST  /enterprises/{firm}/contacts                               302 422 403 422 404 403 404
POST  /enterprises/{new_firm}/delete                             302 302 403 302 404 404 404
GET   /enterprises/{firm}/edit                                   302 200 403 200 404 403 404
POST  /enterprises/{firm}/edit                                   302 409 403 409 404 403 404
POST  /enterprises/{firm}/figures                                302 422 403 422 404 403 404
GET   /enterprises/export                                        302 200 200 200 200 200 200
GET,POST /enterprises/import                                     302 200 403 200 200 403 403
GET   /enterprises/import/jobs/0                                 302 404 403 404 404 403 403
POST  /enterprises/import/jobs/0/confirm                         302 404 403 404 404 403 403
GET   /enterprises/import/jobs/0/changes.csv                     302 404 403 404 404 403 403
GET   /enterprises/import/jobs/0/status                          302 404 403 404 404 403 403
GET   /enterprises/import/template.xlsx                          302 200 403 200 200 403 403
GET,POST /enterprises/new                                        302 200 403 200 200 403 403
GET   /enterprises/search                                        302 200 200 200 200 200 200
GET   /healthz                                                   200 200 200 200 200 200 200
POST  /language/en                                               302 302 302 302 302 302 302
GET   /listings/                                                 302 200 200 200 200 200 200
GET   /listings/blockers/{listing_blocker}                       302 302 302 302 404 302 404
GET   /listings/export                                           302 200 200 200 200 200 200
GET   /listings/funnel                                           302 200 200 403 403 403 403
GET   /listings/new?enterprise_id={new_firm}                     302 200 200 200 404 404 404
POST  /listings/new?enterprise_id={new_firm}                     302 422 422 422 404 404 404
GET   /listings/{listing_track}                                  302 200 200 200 404 200 404
POST  /listings/{listing_track}/advance                          302 422 422 422 404 403 404
POST  /listings/{listing_track}/blockers                         302 422 422 422 404 403 404
POST  /listings/{listing_track}/edit                             302 422 422 422 404 403 404
POST  /listings/{listing_track}/packages                         302 422 422 422 404 403 404
POST  /listings/{listing_track}/pause                            302 422 422 422 404 403 404
POST  /listings/{listing_track}/resume                           302 422 422 422 404 403 404
POST  /listings/{listing_track}/withdraw                         302 422 422 422 404 403 404
GET,POST /login                                                  200 200 200 200 200 200 200
POST  /logout                                                    302 302 302 302 302 302 302
GET   /packages/                                                 302 200 200 200 200 200 200
GET   /packages/{package}                                        302 200 200 200 404 200 404
POST  /packages/{package}/decision                               302 403 422 403 404 403 404
POST  /packages/{new_package}/delete                             302 302 403 302 404 403 404
POST  /packages/{package}/items/{item}/grant                     302 422 403 422 404 403 404
GET   /packages/catalogue                                        302 200 200 200 200 200 200
GET   /packages/catalogue/{instrument}/edit                      302 200 403 403 403 403 403
POST  /packages/catalogue/{instrument}/edit                      302 302 403 403 403 403 403
GET   /packages/export                                           302 200 200 200 200 200 200
GET,POST /packages/new?enterprise_id={firm}                      302 200 403 200 404 403 403
GET   /packages/totals                                           302 200 200 200 200 403 403
GET   /pipeline/                                                 302 200 200 200 200 404 404
GET   /pipeline/export                                           302 200 200 200 200 404 404
GET,POST /pipeline/firms/{firm}/override                         302 200 200 403 404 403 404
POST  /pipeline/firms/{new_overridden_firm}/override/withdraw    302 409 409 403 404 404 404
GET   /pipeline/model                                            302 200 200 200 200 404 404
GET   /pipeline/models/{version}/progress                        302 200 403 403 403 403 403
POST  /pipeline/models/{version}/publish                         302 302 403 403 403 403 403
POST  /pipeline/models/roll-back                                 302 302 403 403 403 403 403
POST  /pipeline/models/train                                     302 302 403 403 403 403 403
POST  /pipeline/rescore                                          302 302 403 403 403 403 403
GET   /quality/                                                  302 200 200 404 404 404 404
POST  /quality/import-issues/{new_issue}/dismiss                 302 302 404 404 404 404 404
GET   /reminders/                                                302 200 200 200 200 200 200
POST  /reminders/{new_reminder}/done                             302 404 404 302 404 404 404
POST  /reminders/{new_reminder}/snooze                           302 404 404 302 404 404 404
GET   /reminders/digest                                          302 200 200 404 404 404 404
GET   /reminders/{new_reminder}                                  302 404 404 302 404 404 404
GET   /requests/                                                 302 200 200 200 200 200 200
GET   /requests/{request}                                        302 200 200 200 404 200 404
POST  /requests/{new_request}/delete                             302 302 403 302 404 403 404
GET   /requests/{request}/edit                                   302 200 200 200 404 403 404
POST  /requests/{request}/edit                                   302 409 409 409 404 403 404
POST  /requests/{request}/steps                                  302 422 422 422 404 422 404
GET   /requests/export                                           302 200 200 200 200 200 200
GET,POST /requests/new                                           302 200 200 200 200 403 403
GET   /requests/routes                                           302 200 403 403 403 403 403
GET   /requests/routes/financing                                 302 200 403 403 403 403 403
POST  /requests/routes/financing                                 302 302 403 403 403 403 403
GET   /requests/stats                                            302 200 200 403 403 403 403
GET   /static/css/app.css                                        200 200 200 200 200 200 200
GET   /today/                                                    302 403 403 200 200 403 403
GET   /visits/                                                   302 200 200 200 200 200 200
GET   /visits/{visit}                                            302 200 200 200 404 404 404
POST  /visits/{new_flagged_visit}/flags/move_out/request         302 302 302 302 404 404 404
POST  /visits/{new_visit}/delete                                 302 302 403 302 404 404 404
GET,POST /visits/{visit}/edit                                    302 200 200 200 404 404 404
GET   /visits/contact-leader/{firm}                              302 200 200 403 403 403 403
POST  /visits/contact-leader/{firm}                              302 302 302 403 403 403 403
GET   /visits/export                                             302 200 200 200 200 200 200
POST  /visits/follow-ups/{new_follow_up}/done                    302 302 403 302 404 404 404
GET   /visits/my-firms                                           302 403 200 403 403 403 403
GET   /visits/new                                                302 200 200 200 200 200 200
GET,POST /visits/new/{firm}                                      302 200 200 200 404 200 404
GET   /visits/overdue                                            302 200 200 200 200 200 200
GET   /visits/risks                                              302 200 200 200 200 403 403
"""
# Rows that send an anonymous caller somewhere else than the login form, on purpose.
PUBLIC_REDIRECTS = {("GET", "/"), ("POST", "/language/en")}
# Rows whose request ends the caller's session: the actors log in again after them.
ENDS_SESSION = {("POST", "/logout"), ("POST", "/account/logout-everywhere")}


@dataclass(frozen=True)
class Row:
    method: str
    url: str
    expected: tuple[int, ...]


def rows() -> list[Row]:
    found = []
    for line in MATRIX.strip().splitlines():
        methods, url, *statuses = line.split()
        expected = tuple(int(status) for status in statuses)
        found += [Row(method, url, expected) for method in methods.split(",")]
    return found


class Filled(dict[str, str]):
    """Placeholders of a URL: the World's ids, and a new record for each {new_...}."""

    def __init__(self, world: World) -> None:
        super().__init__()
        self.world = world

    def __missing__(self, name: str) -> str:
        value = getattr(self.world, name)
        return str(value() if name.startswith("new_") else value)


@dataclass
class Caller:
    client: FlaskClient
    headers: dict[str, str]


def log_in(app: Flask, user: User | None) -> Caller:
    client = app.test_client()
    if user is None:
        return Caller(client, {})
    helpers.log_in(client, user)
    return Caller(client, helpers.api_headers(client, user))


@dataclass
class Stage:
    app: Flask
    world: World
    callers: dict[str, Caller]

    def log_everyone_in(self) -> None:
        self.callers = {actor: log_in(self.app, self.world.users.get(actor)) for actor in ACTORS}


@pytest.fixture(scope="module")
def stage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stage]:
    for app in app_with_empty_database(settings_for(tmp_path_factory.mktemp("matrix"))):
        stage = Stage(app, build_world(), {})
        stage.log_everyone_in()
        yield stage


def ask(stage: Stage, actor: str, row: Row) -> tuple[int, str]:
    """The status an actor gets, and where a redirect leads."""
    caller = stage.callers[actor]
    url = row.url.format_map(Filled(stage.world))
    db.session.commit()  # the records the URL was filled with are visible to the request
    if not url.startswith("/api/"):
        response = caller.client.open(url, method=row.method, data={})
    elif row.method == "GET":
        response = caller.client.get(url, headers=caller.headers)
    else:
        response = caller.client.open(url, method=row.method, json={}, headers=caller.headers)
    response.close()  # a static file's answer holds the file open until closed
    db.session.rollback()  # the test's session must not keep rows the request changed
    return response.status_code, response.headers.get("Location", "")


@pytest.mark.parametrize("row", rows(), ids=lambda row: f"{row.method} {row.url}")
def test_each_actor_gets_the_expected_status(stage: Stage, row: Row) -> None:
    got, anonymous_went_to = {}, ""
    for actor in ACTORS:
        got[actor], location = ask(stage, actor, row)
        anonymous_went_to = anonymous_went_to or location
    if (row.method, row.url) in ENDS_SESSION:
        stage.log_everyone_in()

    assert got == dict(zip(ACTORS, row.expected, strict=True))
    assert all(status < 500 for status in got.values())
    if got["anonymous"] == LOGIN and (row.method, row.url) not in PUBLIC_REDIRECTS:
        assert anonymous_went_to.startswith("/login")


def routes(app: Flask) -> set[tuple[str, str]]:
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in (rule.methods or set()) - IGNORED_METHODS
    }


def covered(stage: Stage) -> set[tuple[str, str]]:
    """The (endpoint, method) each row reaches, found by matching its URL against the url_map."""
    adapter = stage.app.url_map.bind("localhost")
    found = set()
    for row in rows():
        path = row.url.format_map(Filled(stage.world)).partition("?")[0]
        endpoint, _arguments = adapter.match(path, method=row.method)
        found.add((endpoint, row.method))
    db.session.rollback()  # the records {new_...} made are not needed
    return found


def test_every_route_of_the_url_map_has_a_row(stage: Stage) -> None:
    missing = sorted(routes(stage.app) - covered(stage))

    assert missing == [], "add a line to MATRIX for each of these routes"


def test_every_row_is_one_route_and_method() -> None:
    lines = [(row.method, row.url) for row in rows()]

    assert len(lines) == len(set(lines))
    assert all(len(row.expected) == len(ACTORS) for row in rows())

"""Language choice (pages told apart by <html lang>), times in the configured zone, years."""

import re
from datetime import date, datetime, timedelta

import pytest
from flask_babel import refresh

from crm.dashboard.report import Table
from crm.i18n import format_year, supported_language
from crm.requests.forms import EditRequestForm
from models import JobRunState, User, db
from tests.factories import JobRunFactory
from tests.helpers import log_in


def page_language(html: str) -> str:
    match = re.search(r'<html lang="([^"]+)">', html)
    assert match is not None
    return match.group(1)


def new_request() -> None:
    # The test keeps one app context open across requests, and Flask-Babel caches the locale in
    # it; a real request starts afresh, so forget the cached choice as a new request would.
    refresh()


@pytest.mark.parametrize(
    ("locale", "browser_asks", "page_says"), [("en", "zh-CN", "en"), ("zh_CN", "en", "zh-CN")]
)
def test_switching_language_keeps_it_in_the_session(client, app, locale, browser_asks, page_says):
    response = client.post(f"/language/{locale}")

    with client.session_transaction() as session:
        assert session["locale"] == locale
    assert response.status_code == 302
    page = client.get("/login", headers={"Accept-Language": browser_asks})
    assert page_language(page.text) == page_says


def test_switching_back_and_forth_follows_the_last_choice(client, app):
    client.post("/language/zh_CN")
    chinese = client.get("/login")
    new_request()

    client.post("/language/en")
    english = client.get("/login")

    assert (page_language(chinese.text), page_language(english.text)) == ("zh-CN", "en")


def test_an_unsupported_language_is_ignored(client, app):
    client.post("/language/fr")

    with client.session_transaction() as session:
        assert "locale" not in session
    assert page_language(client.get("/login").text) == "en"


# Never to another site: a stranger goes to the first page instead.
@pytest.mark.parametrize(
    ("pressed_on", "location"), [("/enterprises/?q=ai",) * 2, ("//evil.example/", "/login")]
)
def test_the_switch_returns_to_the_page_it_was_pressed_on(client, app, pressed_on, location):
    response = client.post("/language/en", data={"next": pressed_on})

    assert response.location == location


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"),
        ("zh", "zh-CN"),
        ("en-US,en;q=0.9,zh-CN;q=0.5", "en"),
        ("en-GB", "en"),
        ("fr-FR", "en"),
    ],
)
def test_the_browser_language_is_used_when_nothing_was_chosen(
    client, app, accept_language, expected
):
    response = client.get("/login", headers={"Accept-Language": accept_language})

    assert page_language(response.text) == expected


def test_without_any_hint_the_configured_default_language_is_used(client, app):
    app.config["BABEL_DEFAULT_LOCALE"] = "zh_CN"

    response = client.get("/login")

    assert page_language(response.text) == "zh-CN"


def test_a_logged_in_users_choice_is_remembered_for_their_next_session(client, app, manager):
    log_in(client, manager)
    client.post("/language/zh_CN")
    next_session = app.test_client()
    log_in(next_session, manager)

    page = next_session.get("/enterprises/", headers={"Accept-Language": "en"})

    assert db.session.get(User, manager.id).locale == "zh_CN"
    assert page_language(page.text) == "zh-CN"


def test_the_jobs_page_shows_times_in_the_configured_time_zone(client, admin):
    started = datetime(2026, 3, 3, 23, 30)  # UTC: 07:30 the next morning in Beijing
    JobRunFactory(
        job_key="reminder_scan",
        started_at=started,
        finished_at=started + timedelta(seconds=3),
        state=JobRunState.SUCCEEDED,
    )
    log_in(client, admin)
    client.post("/language/zh_CN")

    page = client.get("/admin/jobs/").text

    assert "2026-03-04 07:30" in page
    assert "2026-03-03 23:30" not in page
    assert "Asia/Shanghai" in page
    assert ">成功<" in page  # the run's state by its label, not its code


@pytest.mark.parametrize(("year", "words"), [(2025, "2025"), (1999, "1999"), (None, "—")])
def test_a_year_is_printed_without_a_thousands_separator(app, year, words):
    assert format_year(year) == words


def test_a_year_column_of_a_dashboard_table_is_printed_as_a_year(app):
    table = Table(
        key="support",
        title="",
        columns=["Year", "Amount"],
        rows=[[2025, 2025]],
        year_columns=frozenset({0}),
    )
    template = app.jinja_env.from_string(
        '{% from "dashboard/_tables.html" import cell %}'
        "{{ cell(2025, table, 0) }} {{ cell(2025, table, 1) }}"
    )

    with app.test_request_context():
        words = template.render(table=table)

    assert words == "2025 2,025"


def terminal(language: str | None) -> dict[str, str | None]:
    """A terminal's language variables, as a shell would set them (None: unset)."""
    return {"LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": language}


@pytest.mark.parametrize(
    ("args", "environment", "expected"),
    [
        (["crm", "--lang", "zh_CN", "load-reference"], terminal("en_US.UTF-8"), "已载入参考数据"),
        (["crm", "load-reference"], terminal("zh_CN.UTF-8"), "已载入参考数据"),
        (["crm", "--lang", "en", "load-reference"], terminal("zh_CN.UTF-8"), "Reference data"),
        (["crm", "load-reference"], terminal("C.UTF-8"), "Reference data loaded (0 new rows)."),
        (["crm", "load-reference"], terminal(None), "Reference data loaded (0 new rows)."),
    ],
)
def test_commands_speak_the_chosen_or_the_terminals_language(app, args, environment, expected):
    app.config["BABEL_DEFAULT_LOCALE"] = "zh_CN"  # the web's default does not decide a terminal's

    result = app.test_cli_runner().invoke(args=args, env=environment)

    assert result.exit_code == 0, result.output
    assert expected in result.output


def test_a_commands_error_is_printed_in_the_chosen_language(app):
    args = ["crm", "--lang", "zh_CN", "create-user", "wang", "--role", "manager"]

    result = app.test_cli_runner().invoke(
        args=[*args, "--password", "a-long-enough-password"], env=terminal(None)
    )

    assert result.exit_code == 1
    assert "客户经理" in result.output
    assert "Traceback" not in result.output


def test_an_unsupported_language_is_a_usage_error(app):
    result = app.test_cli_runner().invoke(args=["crm", "--lang", "fr", "load-reference"])

    assert result.exit_code == 2
    assert "zh_CN / en" in result.output


@pytest.mark.parametrize(
    ("variable", "expected"),
    [
        ("zh_CN.UTF-8", "zh_CN"),
        ("zh_TW.UTF-8", "zh_CN"),
        ("zh-CN", "zh_CN"),
        ("fr_FR:zh_CN:en", "zh_CN"),
        ("en_GB.UTF-8", "en"),
        ("C.UTF-8", None),
        ("POSIX", None),
        ("", None),
    ],
)
def test_a_terminal_language_is_read_as_gettext_reads_it(variable, expected):
    assert supported_language(variable, ("zh_CN", "en")) == expected


@pytest.mark.parametrize(("hours", "words"), [(1, "expires after 1 hour."), (8, "after 8 hours.")])
def test_a_count_is_phrased_in_the_singular_or_plural_it_needs(client, app, manager, hours, words):
    app.config["API_TOKEN_MAX_AGE_SECONDS"] = hours * 3600
    log_in(client, manager)

    page = client.get("/account").text

    assert words in page


@pytest.mark.parametrize(
    ("language", "words"),
    [("zh_CN", "的所有登录会话均已结束；已撤销 0 个 API 令牌。"), ("en", "0 API tokens revoked.")],
)
def test_other_commands_speak_the_chosen_language_too(app, manager, language, words):
    db.session.commit()

    result = app.test_cli_runner().invoke(
        args=["crm", "--lang", language, "end-sessions", manager.username], env=terminal(None)
    )

    assert result.exit_code == 0, result.output
    assert words in result.output


@pytest.mark.parametrize("typed", ["2026-03-20", "2026/3/20", "2026.03.20", "2026年3月20日"])
def test_a_date_field_reads_a_day_as_people_write_it_without_javascript(app, typed):
    with app.test_request_context(method="POST", data={"due_on": typed}):
        form = EditRequestForm()

        assert form.due_on.data == date(2026, 3, 20)


def test_a_date_field_still_refuses_what_is_not_a_day(app):
    with app.test_request_context(method="POST", data={"due_on": "03/20/2026"}):
        form = EditRequestForm()

        assert form.due_on.data is None
        assert form.due_on.process_errors

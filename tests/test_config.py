import pytest

from crm import create_app
from crm.config import DEVELOPMENT_SECRET_KEY, ConfigurationError, normalise_database_url
from tests.helpers import TEST_SETTINGS

STRONG_KEY = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def production(monkeypatch):
    """The environment of a production host; the test settings keep only the database."""
    monkeypatch.setenv("CRM_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return {"SQLALCHEMY_DATABASE_URI": TEST_SETTINGS["SQLALCHEMY_DATABASE_URI"]}


def test_production_refuses_to_start_with_the_development_secret_key(production):
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app(production)


def test_production_refuses_to_start_with_a_short_secret_key(monkeypatch, production):
    monkeypatch.setenv("SECRET_KEY", STRONG_KEY[:31])

    with pytest.raises(ConfigurationError):
        create_app(production)


def test_production_refuses_an_empty_secret_key(production):
    with pytest.raises(ConfigurationError):
        create_app({**production, "SECRET_KEY": None})


def test_production_starts_with_a_secret_key_of_32_characters(monkeypatch, production):
    monkeypatch.setenv("SECRET_KEY", STRONG_KEY)

    app = create_app(production)

    assert app.config["CRM_ENV"] == "production"
    assert app.config["SECRET_KEY"] == STRONG_KEY


def test_development_starts_with_the_development_secret_key(monkeypatch, production):
    monkeypatch.setenv("CRM_ENV", "development")

    app = create_app(production)

    assert app.config["SECRET_KEY"] == DEVELOPMENT_SECRET_KEY


def test_database_url_from_the_environment_uses_the_psycopg_driver(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://crm:secret@db.internal:5432/crm")

    app = create_app(
        {key: v for key, v in TEST_SETTINGS.items() if key != "SQLALCHEMY_DATABASE_URI"}
    )

    assert (
        app.config["SQLALCHEMY_DATABASE_URI"]
        == "postgresql+psycopg://crm:secret@db.internal:5432/crm"
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u:p@host/crm", "postgresql+psycopg://u:p@host/crm"),
        ("postgresql://u:p@host:5432/crm", "postgresql+psycopg://u:p@host:5432/crm"),
        ("postgresql+psycopg://u@host/crm", "postgresql+psycopg://u@host/crm"),
        ("sqlite:////srv/crm/crm.sqlite3", "sqlite:////srv/crm/crm.sqlite3"),
    ],
)
def test_normalise_database_url_routes_postgres_urls_to_psycopg(url, expected):
    normalised = normalise_database_url(url)

    assert normalised == expected


def test_session_cookies_are_secure_when_the_environment_asks(monkeypatch):
    monkeypatch.setenv("CRM_SECURE_COOKIES", "true")

    app = create_app(TEST_SETTINGS)

    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True


@pytest.mark.parametrize("value", ["02-29", "4/30", "13-01", "april"])
def test_an_impossible_figures_due_day_stops_the_start(monkeypatch, value):
    monkeypatch.setenv("REMINDER_FIGURES_DUE", value)
    with pytest.raises(ConfigurationError, match="REMINDER_FIGURES_DUE"):
        create_app({"CRM_ENV": "development"})


def test_reminder_and_mail_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("MAIL_SERVER", "smtp.district.internal")
    monkeypatch.setenv("MAIL_PORT", "587")
    monkeypatch.setenv("MAIL_USE_TLS", "true")
    monkeypatch.setenv("REMINDER_VISIT_LEAD_DAYS", "10")
    monkeypatch.setenv("SCHEDULE_REMINDER_SCAN", "every 30 minutes")

    config = create_app({"CRM_ENV": "development"}).config

    assert (config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_USE_TLS"]) == (
        "smtp.district.internal",
        587,
        True,
    )
    assert config["REMINDER_VISIT_LEAD_DAYS"] == 10
    assert config["SCHEDULE_REMINDER_SCAN"] == "every 30 minutes"

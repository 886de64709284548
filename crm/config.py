"""Settings: safe development defaults, overridden by environment variables."""

import os
from datetime import date, timedelta
from pathlib import Path
from typing import Any, ClassVar

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEVELOPMENT_SECRET_KEY = "development-only-secret-key"  # noqa: S105 -- refused outside development
MIN_SECRET_KEY_LENGTH = 32  # 128 bits of hex: enough that session cookies cannot be forged


class ConfigurationError(RuntimeError):
    """The app was asked to start with settings that are unsafe or unusable."""


class DefaultConfig:
    CRM_ENV = "production"
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
    SQLALCHEMY_DATABASE_URI = f"sqlite:///{PROJECT_ROOT / 'instance' / 'crm.sqlite3'}"
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, Any]] = {"pool_pre_ping": True}
    # A working day on a shared office PC: log in again the next morning.
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    API_TOKEN_MAX_AGE_SECONDS = 12 * 3600
    # Login throttling (Flask-Limiter). Counts live in Redis when REDIS_URL is set, so every
    # worker shares them; in the worker's memory otherwise. Only failed attempts count: the
    # whole office may log in through one NAT address at nine in the morning.
    REDIS_URL = ""
    RATELIMIT_ENABLED = True
    LOGIN_LIMIT_PER_ADDRESS = "30 per 10 minutes"
    LOGIN_LIMIT_PER_ACCOUNT = "5 per minute"
    # Lock-out, stored on the account and counted whether or not the limiter runs: this many
    # failures in a row (each within LOGIN_LOCKOUT_MINUTES of the last) lock it that long.
    LOGIN_LOCKOUT_THRESHOLD = 10
    LOGIN_LOCKOUT_MINUTES = 15
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024  # imports of a few thousand firms stay far below this
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    # Catalogues live in translations/zh: Babel reads zh_CN as zh_Hans_CN, and gettext finds it
    # by falling back to the bare language.
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "crm" / "translations")
    LANGUAGES = ("zh_CN", "en")
    CRM_PAGE_SIZE = 25
    CRM_UPLOAD_FOLDER = str(PROJECT_ROOT / "instance" / "uploads")
    MODEL_FOLDER = str(PROJECT_ROOT / "instance" / "models")
    # Links in e-mails: the scheduler sends them outside any request, so it must be told.
    CRM_BASE_URL = "http://127.0.0.1:5000"

    # E-mail. Without MAIL_SERVER, mails are written as .eml files to MAIL_FOLDER instead.
    MAIL_SERVER = ""
    MAIL_PORT = 25
    MAIL_USE_TLS = False  # STARTTLS after connecting
    MAIL_USE_SSL = False  # SMTP over TLS from the first byte (port 465)
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_DEFAULT_SENDER = "cultivate@localhost"
    MAIL_FOLDER = str(PROJECT_ROOT / "instance" / "mail")
    MAIL_TIMEOUT_SECONDS = 30

    # The scheduler process. A schedule is a 5-field crontab ("7 * * * *") or "every N minutes"
    # (seconds, minutes, hours or days), read in SCHEDULER_TIMEZONE.
    SCHEDULER_TIMEZONE = "Asia/Shanghai"
    SCHEDULE_REMINDER_SCAN = "7 * * * *"  # hourly
    SCHEDULE_LEADERS_DIGEST = "0 8 * * mon"  # Monday 08:00
    SCHEDULE_RESCORING = "30 1 * * *"  # nightly
    SCHEDULE_RETRAINING = "0 3 * * sat"  # weekly
    SCHEDULE_DASHBOARD_REFRESH = "every 15 minutes"  # how old the dashboard's figures may get
    SCHEDULER_POLL_SECONDS = 5  # heartbeat, and how soon a "run now" from the admin page starts
    # Nightly backups (`flask crm backup` on a schedule), after the nightly rescoring; the newest
    # BACKUP_KEEP files stay in BACKUP_FOLDER (two weeks of nights). Put the folder on another disk.
    SCHEDULE_BACKUP = "30 2 * * *"
    BACKUP_FOLDER = str(PROJECT_ROOT / "instance" / "backups")
    BACKUP_KEEP = 14

    # Reminder rules: visit cadence by tier (days), lead times and escalation (days).
    REMINDER_VISIT_CADENCE_DAYS: ClassVar[dict[str, int]] = {
        "achieved": 91,
        "candidate": 30,
        "new_track": 91,
        "tech_based": 182,
        "reservoir": 365,
    }
    REMINDER_VISIT_LEAD_DAYS = 7
    REMINDER_VISIT_ESCALATION_DAYS = 30
    REMINDER_SHARP_RISE = 0.20  # a rise of 20 percentile points between two scoring runs
    REMINDER_SHARP_RISE_VISIT_DAYS = 14  # ... makes a visit due within two weeks of the run
    REMINDER_FOLLOW_UP_LEAD_DAYS = 3
    REMINDER_REQUEST_LEAD_DAYS = 3
    REMINDER_PACKAGE_LEAD_DAYS = 7
    # Last year's figures are due by this day of the year (after the annual reports are filed).
    REMINDER_FIGURES_DUE = "04-30"
    # Reminders overdue longer than this (days) leave the to-do list and its e-mail one by one:
    # each kind becomes one line with a count and a link to the full list. A year-old backlog
    # listed item by item buries this week's work.
    REMINDER_BACKLOG_DAYS = 90
    # The action plan's mechanisms: a listing stage with no movement this many months; a
    # discovery candidate unscreened this many days after intake; a white-list renewal this many
    # days ahead; a submitted nomination batch awaiting the bank's decisions this many days.
    REMINDER_LISTING_STALL_MONTHS = 6
    REMINDER_DISCOVERY_SCREENING_DAYS = 30
    REMINDER_CREDIT_RENEWAL_LEAD_DAYS = 30
    REMINDER_CREDIT_DECISION_PENDING_DAYS = 30

    # The data-quality page lists managers in charge of more live firms than this: too many to
    # keep up every firm's visit cadence, so some of them should go to a colleague.
    QUALITY_MAX_FIRMS_PER_MANAGER = 120

    # The day the dashboard counts to, when not the server's: a demo seeded as of a fixed day
    # reads right only as of that day (the tests pass theirs here rather than stop the clock).
    CRM_DASHBOARD_DAY: date | None = None


# Settings an operator may give as environment variables of the same name.
TEXT_SETTINGS = (
    "CRM_BASE_URL",
    "MAIL_SERVER",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_DEFAULT_SENDER",
    "MAIL_FOLDER",
    "SCHEDULER_TIMEZONE",
    "SCHEDULE_REMINDER_SCAN",
    "SCHEDULE_LEADERS_DIGEST",
    "SCHEDULE_RESCORING",
    "SCHEDULE_RETRAINING",
    "SCHEDULE_DASHBOARD_REFRESH",
    "SCHEDULE_BACKUP",
    "BACKUP_FOLDER",
    "REMINDER_FIGURES_DUE",
    "LOGIN_LIMIT_PER_ADDRESS",
    "LOGIN_LIMIT_PER_ACCOUNT",
)
WHOLE_NUMBER_SETTINGS = (
    "MAIL_PORT",
    "MAIL_TIMEOUT_SECONDS",
    "SCHEDULER_POLL_SECONDS",
    "REMINDER_VISIT_LEAD_DAYS",
    "REMINDER_VISIT_ESCALATION_DAYS",
    "REMINDER_SHARP_RISE_VISIT_DAYS",
    "REMINDER_FOLLOW_UP_LEAD_DAYS",
    "REMINDER_REQUEST_LEAD_DAYS",
    "REMINDER_PACKAGE_LEAD_DAYS",
    "REMINDER_BACKLOG_DAYS",
    "REMINDER_LISTING_STALL_MONTHS",
    "REMINDER_DISCOVERY_SCREENING_DAYS",
    "REMINDER_CREDIT_RENEWAL_LEAD_DAYS",
    "REMINDER_CREDIT_DECISION_PENDING_DAYS",
    "QUALITY_MAX_FIRMS_PER_MANAGER",
    "BACKUP_KEEP",
    "API_TOKEN_MAX_AGE_SECONDS",
    "LOGIN_LOCKOUT_THRESHOLD",
    "LOGIN_LOCKOUT_MINUTES",
)


def normalise_database_url(url: str) -> str:
    """Accept the conventional postgres:// URLs and route them to the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def settings_from_environment() -> dict[str, Any]:
    settings: dict[str, Any] = {}
    if env := os.environ.get("CRM_ENV"):
        settings["CRM_ENV"] = env
    if secret := os.environ.get("SECRET_KEY"):
        settings["SECRET_KEY"] = secret
    if url := os.environ.get("DATABASE_URL"):
        settings["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)
    if redis_url := os.environ.get("REDIS_URL"):
        settings["REDIS_URL"] = redis_url
    if page_size := os.environ.get("CRM_PAGE_SIZE"):
        settings["CRM_PAGE_SIZE"] = int(page_size)
    if upload_folder := os.environ.get("CRM_UPLOAD_FOLDER"):
        settings["CRM_UPLOAD_FOLDER"] = upload_folder
    if model_folder := os.environ.get("MODEL_FOLDER"):
        settings["MODEL_FOLDER"] = model_folder
    if os.environ.get("CRM_SECURE_COOKIES", "").lower() in {"1", "true", "yes"}:
        settings["SESSION_COOKIE_SECURE"] = True
    for name in TEXT_SETTINGS:
        if (value := os.environ.get(name)) is not None:
            settings[name] = value
    for name in WHOLE_NUMBER_SETTINGS:
        if value := os.environ.get(name):
            settings[name] = int(value)
    for name in ("MAIL_USE_TLS", "MAIL_USE_SSL"):
        if value := os.environ.get(name):
            settings[name] = value.lower() in {"1", "true", "yes"}
    if value := os.environ.get("REMINDER_SHARP_RISE"):
        settings["REMINDER_SHARP_RISE"] = float(value)
    return settings


def month_day(value: object) -> tuple[int, int]:
    """'04-30' as (4, 30); a ValueError naming the value for anything not a day of every year."""
    try:
        month, day = (int(part) for part in str(value).split("-"))
        date(2025, month, day)  # not a leap year: 02-29 would be skipped three years in four
    except ValueError as error:
        raise ValueError(f"{value!r} is not a MM-DD day of every year") from error
    return month, day


def check_settings(config: dict[str, Any]) -> None:
    try:
        month_day(config["REMINDER_FIGURES_DUE"])
    except ValueError as error:
        raise ConfigurationError(f"REMINDER_FIGURES_DUE: {error}.") from error
    if config["REMINDER_BACKLOG_DAYS"] < 1:  # 0 would summarise every reminder a day late
        raise ConfigurationError("REMINDER_BACKLOG_DAYS: must be at least 1.")
    if config["QUALITY_MAX_FIRMS_PER_MANAGER"] < 1:  # 0 would flag every manager with a firm
        raise ConfigurationError("QUALITY_MAX_FIRMS_PER_MANAGER: must be at least 1.")
    if config["BACKUP_KEEP"] < 1:  # 0 would delete each backup as soon as it is written
        raise ConfigurationError("BACKUP_KEEP: must be at least 1.")
    if config["LOGIN_LOCKOUT_THRESHOLD"] < 1 or config["LOGIN_LOCKOUT_MINUTES"] < 1:
        raise ConfigurationError("LOGIN_LOCKOUT_THRESHOLD and LOGIN_LOCKOUT_MINUTES: at least 1.")
    secret = config.get("SECRET_KEY") or ""
    if config["CRM_ENV"] not in {"development", "testing"} and (
        secret == DEVELOPMENT_SECRET_KEY or len(secret) < MIN_SECRET_KEY_LENGTH
    ):
        raise ConfigurationError(
            "Set SECRET_KEY to a random string of at least 32 characters "
            "(python -c 'import secrets; print(secrets.token_hex(32))'), "
            "or CRM_ENV=development for a local demo."
        )

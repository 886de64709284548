"""Language choice and the Jinja filters that format dates and numbers for it."""

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

import click
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import format_date, format_datetime, format_decimal, get_locale, to_user_timezone
from flask_login import current_user

from crm import audit_words

# gettext's order of the variables naming a terminal's language; a command reads them like
# msgfmt or git does, and `flask crm --lang` overrides them.
LANGUAGE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
COMMAND_LANGUAGE = "crm.language"  # key of click's context meta, shared by a command's contexts
COMMAND_DEFAULT_LANGUAGE = "en"  # a terminal without a supported language (C, POSIX) reads English


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    # Services, seeding and jobs translate messages without a request (no session, no user);
    # a `flask crm` command speaks its terminal's language.
    if not has_request_context():
        return command_language() or str(current_app.config["BABEL_DEFAULT_LOCALE"])
    if (chosen := session.get("locale")) in languages:
        return str(chosen)
    if current_user.is_authenticated and current_user.locale in languages:
        return str(current_user.locale)
    return request.accept_languages.best_match(
        languages, default=current_app.config["BABEL_DEFAULT_LOCALE"]
    ) or str(current_app.config["BABEL_DEFAULT_LOCALE"])


def supported_language(value: str | None, languages: Sequence[str]) -> str | None:
    """The supported language named by 'zh_CN.UTF-8', 'zh:en', 'en_GB' or 'zh-CN'; None for C,
    POSIX or a language we do not have. Any Chinese reads the Simplified Chinese we have."""
    for part in (value or "").split(":"):
        code = part.split(".")[0].split("@")[0].replace("-", "_")
        for language in languages:
            if code.split("_")[0].lower() == language.split("_")[0].lower():
                return language
    return None


def command_language() -> str | None:
    """The language a `flask crm` command chose, when one runs on this thread."""
    context = click.get_current_context(silent=True)
    return None if context is None else context.meta.get(COMMAND_LANGUAGE)


def current_locale() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def format_number(value: int | float | Decimal | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    return format_decimal(value, format=f"#,##0{'.' + '0' * digits if digits else ''}")


def format_day(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return format_datetime(value, "medium")
    return format_date(value, "medium")


def format_moment(value: datetime | None, seconds: bool = False) -> str:
    """A stored (naive UTC) time as date and time in the configured BABEL_DEFAULT_TIMEZONE."""
    if value is None:
        return "—"
    return format_datetime(value, "yyyy-MM-dd HH:mm:ss" if seconds else "yyyy-MM-dd HH:mm")


def format_moment_day(value: datetime | None) -> str:
    """The day a stored (naive UTC) time falls on in the configured zone (.date() gives UTC's)."""
    if value is None:
        return "—"
    return format_date(to_user_timezone(value).date(), "medium")


def format_year(value: int | None) -> str:
    """A year as written, 2025: the number filter's grouping would print 2,025."""
    return "—" if value is None else str(int(value))


def register_i18n(app: Flask) -> None:
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.filters["moment"] = format_moment
    app.jinja_env.filters["year"] = format_year
    app.jinja_env.filters["moment_day"] = format_moment_day
    app.jinja_env.globals["current_locale"] = current_locale
    app.jinja_env.globals["audit_action"] = audit_words.action_words
    app.jinja_env.globals["audit_record"] = audit_words.record_words
    app.jinja_env.globals["audit_lines"] = audit_words.change_lines
    app.jinja_env.globals["audit_names"] = audit_words.record_names

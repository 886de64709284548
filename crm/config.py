"""Settings: safe development defaults, overridden by environment variables."""

import os
from datetime import timedelta
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
    if page_size := os.environ.get("CRM_PAGE_SIZE"):
        settings["CRM_PAGE_SIZE"] = int(page_size)
    if upload_folder := os.environ.get("CRM_UPLOAD_FOLDER"):
        settings["CRM_UPLOAD_FOLDER"] = upload_folder
    if model_folder := os.environ.get("MODEL_FOLDER"):
        settings["MODEL_FOLDER"] = model_folder
    if os.environ.get("CRM_SECURE_COOKIES", "").lower() in {"1", "true", "yes"}:
        settings["SESSION_COOKIE_SECURE"] = True
    return settings


def check_settings(config: dict[str, Any]) -> None:
    secret = config.get("SECRET_KEY") or ""
    if config["CRM_ENV"] not in {"development", "testing"} and (
        secret == DEVELOPMENT_SECRET_KEY or len(secret) < MIN_SECRET_KEY_LENGTH
    ):
        raise ConfigurationError(
            "Set SECRET_KEY to a random string of at least 32 characters "
            "(python -c 'import secrets; print(secrets.token_hex(32))'), "
            "or CRM_ENV=development for a local demo."
        )

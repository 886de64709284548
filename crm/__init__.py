"""The application factory: config, extensions, blueprints, CLI commands."""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter, Map, ValidationError

from crm import (
    admin,
    api,
    auth,
    cli,
    credit,
    dashboard,
    database,  # noqa: F401 -- imported for its engine events: SQLite's settings and write queue
    discovery,
    enterprises,
    health,
    input_guard,
    listings,
    pipeline,
    policies,
    quality,
    reminders,
    requests,
    scheduling,
    today,
    visits,
)
from crm.config import DefaultConfig, check_settings, settings_from_environment
from crm.errors import MAX_DATABASE_ID, register_error_handlers
from crm.extensions import babel, csrf, init_limiter, login_manager, migrate
from crm.i18n import register_i18n, select_locale
from crm.security_headers import register_security_headers
from crm.targets import api as targets_api
from crm.targets import views as targets_views
from models import db

BLUEPRINTS = (
    auth.views.bp,
    enterprises.views.bp,
    enterprises.api.bp,
    visits.views.bp,
    visits.api.bp,
    requests.views.bp,
    requests.api.bp,
    policies.views.bp,
    policies.api.bp,
    credit.views.bp,
    credit.api.bp,
    discovery.views.bp,
    discovery.api.bp,
    listings.views.bp,
    listings.api.bp,
    pipeline.views.bp,
    pipeline.api.bp,
    quality.views.bp,
    reminders.views.bp,
    reminders.api.bp,
    dashboard.views.bp,
    targets_views.bp,
    targets_api.bp,
    admin.views.bp,
    scheduling.views.bp,
    today.views.bp,
    health.bp,
    api.bp,
)


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_path=str(Path(__file__).resolve().parent.parent / "instance"),
    )
    app.config.from_object(DefaultConfig)
    app.config.update(settings_from_environment())
    app.config.update(overrides or {})
    check_settings(app.config)
    Path(app.instance_path).mkdir(exist_ok=True)  # the default SQLite file and uploads live here

    app.url_map.converters["int"] = DatabaseIdConverter
    db.init_app(app)
    # Batch mode lets later revisions alter columns on SQLite, which has no ALTER COLUMN.
    migrations = str(Path(app.root_path).parent / "migrations")
    migrate.init_app(app, db, directory=migrations, render_as_batch=True)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    init_limiter(app)  # login throttling: Redis when REDIS_URL is set, memory otherwise
    csrf.init_app(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    # The API authenticates with bearer tokens, never with the cookie, so CSRF cannot apply.
    csrf.exempt(api.bp)
    for api_blueprint in (
        enterprises.api.bp,
        visits.api.bp,
        requests.api.bp,
        policies.api.bp,
        credit.api.bp,
        discovery.api.bp,
        listings.api.bp,
        pipeline.api.bp,
        reminders.api.bp,
        targets_api.bp,
    ):
        csrf.exempt(api_blueprint)
    register_error_handlers(app)
    input_guard.install(app)  # JSON, query strings and paths no view should have to check
    register_i18n(app)
    register_security_headers(app)
    cli.register_cli(app)
    return app


class DatabaseIdConverter(IntegerConverter):
    """<int:...> in URLs, capped at the largest id a database column holds: a longer number is a
    plain 404, not an overflow inside the database driver."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_DATABASE_ID)
        super().__init__(url_map, *args, **kwargs)

    def to_python(self, value: str) -> Any:
        try:
            return super().to_python(value)
        except ValidationError:
            # Werkzeug would answer 405 when a rule for another method has the same path.
            raise NotFound from None

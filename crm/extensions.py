"""Flask extensions, created unbound and initialised by the factory (`db` lives in models/)."""

from flask import Flask
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

babel = Babel()
login_manager = LoginManager()
csrf = CSRFProtect()
migrate = Migrate()
# Only the login form and the token endpoint carry limits (crm/login_throttle.py). A moving
# window: "5 per minute" never lets 10 through across a minute boundary. A storage outage lets
# logins through (logged) rather than locking everybody out; the lock-out in the database stays.
# No X-RateLimit headers: the 429 answers carry Retry-After themselves.
limiter = Limiter(
    key_func=get_remote_address,
    strategy="moving-window",
    headers_enabled=False,
    swallow_errors=True,
)


def init_limiter(app: Flask) -> None:
    # Set here rather than in config.py: tests and operators give REDIS_URL alone.
    app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"] or "memory://"
    limiter.init_app(app)

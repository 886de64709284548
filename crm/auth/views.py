"""Login, logout and the language switch."""

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from crm.auth import services
from crm.auth.forms import LoginForm
from crm.extensions import login_manager
from models import Role, User, db

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = ""  # the login page explains itself; a flash would repeat it


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return services.load_user(user_id)


def _safe_next(target: str | None) -> str:
    # Only same-site paths: an open redirect would let a phishing link borrow our login page.
    if target and target.startswith("/") and not urlsplit(target).netloc and "\\" not in target:
        return target
    return _landing_page()


def _landing_page() -> str:
    # Department staff work from their request inbox; everyone else starts at the reservoir.
    if current_user.is_authenticated and current_user.role == Role.DEPARTMENT:
        return url_for("requests.list_requests")
    return url_for("enterprises.list_enterprises")


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.username.data or "", form.password.data or "")
        if user is None:
            form.password.errors.append(_("Unknown username or wrong password."))
        else:
            db.session.commit()
            session.permanent = True  # expires after PERMANENT_SESSION_LIFETIME
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/language/<locale>", methods=["POST"])
def switch_language(locale: str) -> Response:
    if locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
            db.session.commit()
    return redirect(_safe_next(request.form.get("next")))


@bp.route("/")
def index() -> Response:
    return redirect(_landing_page())

"""Login, logout and the language switch."""

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
from flask_babel import ngettext
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from crm import login_throttle
from crm.auth import services
from crm.auth.forms import LoginForm
from crm.auth.lockout import AccountLockedError, LockoutPolicy
from crm.auth.redirects import safe_next_path
from crm.clock import utcnow
from crm.extensions import login_manager
from models import Role, User, db

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = ""  # the login page explains itself; a flash would repeat it


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    return services.load_user(session_id)


def _safe_next(target: str | None) -> str:
    # Only same-site paths: an open redirect would let a phishing link borrow our login page.
    return safe_next_path(target) or _landing_page()


# Each role lands where its work is. A manager's day is visits, follow-ups and answers to pass
# on (today); staff work their department's requests, which the inbox lists unanswered first,
# soonest due first. Leaders and administrators oversee the district: the dashboard shows how
# each sub-district keeps up (late visits, late requests, the targets) and is computed ahead, so
# it opens at once; the pipeline is the monthly choice of candidates, one click away.
LANDING_PAGES = {
    Role.MANAGER: "today.show_today",
    Role.DEPARTMENT: "requests.list_requests",
    Role.LEADER: "dashboard.show_dashboard",
    Role.ADMIN: "dashboard.show_dashboard",
}


def _landing_page() -> str:
    if not current_user.is_authenticated:
        return url_for("auth.login")  # no ?next=: after login, the role's own first page
    return url_for(LANDING_PAGES.get(current_user.role, "enterprises.list_enterprises"))


@bp.route("/login", methods=["GET", "POST"])
@login_throttle.login_limits
def login() -> str | Response:
    form = LoginForm()
    if form.validate_on_submit():
        policy = LockoutPolicy.from_config(current_app.config)
        try:
            user = services.authenticate(
                form.username.data or "", form.password.data or "", utcnow(), policy
            )
        except (services.InvalidCredentialsError, AccountLockedError) as refused:
            db.session.commit()  # the failure counts towards the lock-out
            login_throttle.note_failed_attempt()
            form.password.errors.append(refused.message)
        else:
            db.session.commit()
            session.permanent = True  # expires after PERMANENT_SESSION_LIFETIME
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.errorhandler(RateLimitExceeded)
def too_many_attempts(_error: RateLimitExceeded) -> tuple[str, int, dict[str, str]]:
    seconds = login_throttle.retry_after_seconds()
    message = ngettext(
        "Too many failed logins from here or for this account. Try again in %(num)d minute.",
        "Too many failed logins from here or for this account. Try again in %(num)d minutes.",
        -(-seconds // 60),
    )
    page = render_template("auth/login.html", form=LoginForm(), throttled=message)
    return page, 429, {"Retry-After": str(seconds)}


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    # Ends the user's other sessions too: a cookie copied before logout must stop working.
    services.end_sessions(current_user._get_current_object())
    db.session.commit()
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

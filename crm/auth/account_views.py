"""The user's own account page: password, sessions and API tokens."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from crm.auth import services, tokens
from crm.auth.forms import ChangePasswordForm
from crm.auth.lockout import AccountLockedError, LockoutPolicy
from crm.auth.views import bp
from crm.clock import utcnow
from crm.errors import InvalidInputError
from crm.form_views import attach_errors, commit_and_redirect
from models import User, db


def _me() -> User:
    user: User = current_user._get_current_object()
    return user


@bp.route("/account")
@login_required
def show_account(form: ChangePasswordForm | None = None) -> str:
    return render_template(
        "auth/show_account.html",
        form=form or ChangePasswordForm(),
        tokens=tokens.tokens_of(_me(), utcnow()),
        now=utcnow(),
        token_max_age_hours=current_app.config["API_TOKEN_MAX_AGE_SECONDS"] // 3600,
    )


@bp.route("/account/password", methods=["POST"])
@login_required
def change_password() -> str | Response:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        policy = LockoutPolicy.from_config(current_app.config)
        try:
            services.change_own_password(
                _me(),
                form.current_password.data or "",
                form.new_password.data or "",
                utcnow(),
                policy,
            )
        except AccountLockedError as locked:
            # Too many wrong current passwords: whoever is guessing loses the session too.
            services.end_sessions(_me())
            db.session.commit()
            logout_user()
            flash(locked.message, "danger")
            return redirect(url_for(".login"))
        except InvalidInputError as invalid:
            db.session.commit()  # only the failed-attempt count was written; it must stay
            attach_errors(form, invalid)
        else:
            db.session.commit()
            login_user(_me())  # this browser stays logged in, with the new session generation
            flash(_("Password changed. Your other sessions and API tokens have ended."), "success")
            return redirect(url_for(".show_account"))
    return show_account(form)


@bp.route("/account/logout-everywhere", methods=["POST"])
@login_required
def logout_everywhere() -> Response:
    services.end_sessions_and_tokens(_me(), _me(), utcnow(), "log out everywhere")
    db.session.commit()
    logout_user()
    flash(_("You have logged out everywhere, and your API tokens are revoked."), "info")
    return redirect(url_for(".login"))


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int) -> Response:
    tokens.revoke_token(_me(), tokens.own_token(_me(), token_id), utcnow())
    return commit_and_redirect(_("Token revoked."), url_for(".show_account"))

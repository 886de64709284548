"""Admin pages: user accounts."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from crm.admin import services
from crm.admin.forms import UserForm
from crm.auth import lockout
from crm.clock import utcnow
from crm.enterprises.labels import reference_choices
from crm.errors import seen_version
from crm.form_views import commit_and_redirect, save
from crm.labels import choices, label
from crm.records import history_of
from models import Department, Role, SubDistrict, User, db

bp = Blueprint("admin", __name__, url_prefix="/admin")


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_user.role != Role.ADMIN:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


@bp.route("/users")
@admin_required
def list_users() -> str:
    return render_template(
        "admin/list_users.html",
        users=services.list_users(),
        label=label,
        locked=lockout.locked_users(utcnow()),
    )


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def create_user() -> str | Response:
    form = _prepared(UserForm())
    if form.validate_on_submit():
        created = save(
            form,
            lambda: services.create_user(current_user, _input(form), utcnow()),
            _("Account created."),
        )
        if created.done:
            return redirect(url_for(".list_users"))
    return render_template("admin/edit_user.html", form=form, user=None, history=[])


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@admin_required
def edit_user(user_id: int) -> tuple[str, int] | Response:
    user = db.session.get(User, user_id) or abort(404)
    form, status = _prepared(UserForm(obj=user, is_active=user.is_active_account)), 200
    if request.method == "GET":
        form.sub_district.data = user.sub_district.slug if user.sub_district else ""
        form.department.data = user.department.slug if user.department else ""
        form.role.data = user.role.value
        form.is_department_head.data = user.is_department_head
        form.version_id.data = str(user.version_id)
    if form.validate_on_submit():
        # As posted: an empty POST leaves the field holding the user's own (int) version.
        seen = seen_version(request.form.get("version_id"))
        saved = save(
            form,
            lambda: services.update_user(current_user, user, _input(form), seen, utcnow()),
            _("Account saved."),
        )
        if saved.done:
            return redirect(url_for(".list_users"))
        status = saved.status
    return render_template(
        "admin/edit_user.html",
        form=form,
        user=user,
        history=history_of("user", user.id),
        is_locked=lockout.is_locked(user, utcnow()),
    ), status


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@admin_required
def unlock_user(user_id: int) -> Response:
    user = db.session.get(User, user_id) or abort(404)
    lockout.unlock(current_user, user)
    return commit_and_redirect(
        _("Account unlocked: %(username)s can log in again.", username=user.username),
        url_for(".edit_user", user_id=user.id),
    )


def _prepared(form: UserForm) -> UserForm:
    form.role.choices = choices(Role)
    form.sub_district.choices = [("", "—"), *reference_choices(SubDistrict)]
    form.department.choices = [("", "—"), *reference_choices(Department)]
    return form


def _input(form: UserForm) -> services.UserInput:
    return services.UserInput(
        username=form.username.data or "",
        display_name=form.display_name.data or "",
        role=form.role.data or "",
        email=form.email.data,
        sub_district=form.sub_district.data or None,
        department=form.department.data or None,
        password=form.password.data or None,
        is_active=bool(form.is_active.data),
        is_department_head=bool(form.is_department_head.data),
    )

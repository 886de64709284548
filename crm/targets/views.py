"""The admin's target table: /dashboard/targets/."""

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from crm.enterprises.labels import reference_choices
from crm.errors import seen_version
from crm.form_views import commit_and_redirect, save
from crm.labels import choices
from crm.records import history_of
from crm.targets import services
from crm.targets.definitions import FIGURE_NAMES, describe
from crm.targets.forms import TargetForm
from models import Department, Designation, Target, TargetMeasure, Tier, db

bp = Blueprint("targets", __name__, url_prefix="/dashboard/targets")


def _require_admin() -> None:
    if not services.can_edit_targets(current_user):
        abort(404)


def _target(target_id: int) -> Target:
    return db.session.get(Target, target_id) or abort(404)


def measure_choices() -> list[tuple[str, str]]:
    return [
        (TargetMeasure.FIRMS.value, _("Firms (by tier and designations)")),
        (TargetMeasure.FIGURE_SUM.value, _("A yearly figure, summed")),
    ]


def _prepared(form: TargetForm) -> TargetForm:
    form.owner.choices = [("", "—"), *reference_choices(Department)]
    form.measure.choices = measure_choices()
    form.tier_at_least.choices = [("", "—"), *choices(Tier)]
    form.designations.choices = choices(Designation)
    form.figure.choices = [("", "—"), *[(key, str(name)) for key, name in FIGURE_NAMES.items()]]
    return form


def _input(form: TargetForm) -> services.TargetInput:
    return services.TargetInput(
        key=form.key.data or "",
        title_zh=form.title_zh.data or "",
        title_en=form.title_en.data or "",
        goal=form.goal.data,
        deadline=form.deadline.data,
        owner=form.owner.data or "",
        measure=form.measure.data or "",
        tier_at_least=form.tier_at_least.data or "",
        designations=list(form.designations.data or []),
        figure=form.figure.data or "",
        is_per_year=bool(form.is_per_year.data),
        since_year=form.since_year.data,
    )


@bp.route("/")
@login_required
def list_targets() -> str:
    _require_admin()
    return render_template(
        "targets/list_targets.html", targets=services.all_targets(), describe=describe
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new_target() -> str | Response:
    _require_admin()
    form = _prepared(TargetForm())
    if form.validate_on_submit():
        added = save(
            form, lambda: services.create_target(current_user, _input(form)), _("Target added.")
        )
        if added.done:
            return redirect(url_for(".list_targets"))
    return render_template("targets/edit_target.html", form=form, target=None, history=[])


@bp.route("/<int:target_id>/edit", methods=["GET", "POST"])
@login_required
def edit_target(target_id: int) -> tuple[str, int] | Response:
    _require_admin()
    target = _target(target_id)
    form, status = _prepared(TargetForm(obj=target)), 200
    if not form.is_submitted():
        form.owner.data = target.owner.slug if target.owner else ""
        form.measure.data = target.measure.value
        form.tier_at_least.data = target.tier_at_least or ""
        form.figure.data = target.figure or ""
        form.version_id.data = str(target.version_id)
    if form.validate_on_submit():
        seen = seen_version(form.version_id.data)
        saved = save(
            form,
            lambda: services.update_target(current_user, target, _input(form), seen),
            _("Target saved."),
        )
        if saved.done:
            return redirect(url_for(".list_targets"))
        status = saved.status
    history = history_of("target", target.id)
    return render_template(
        "targets/edit_target.html", form=form, target=target, history=history
    ), status


@bp.post("/<int:target_id>/archive")
@login_required
def archive_target(target_id: int) -> Response:
    _require_admin()
    services.archive_target(current_user, _target(target_id))
    return commit_and_redirect(
        _("Target archived: it no longer shows on the dashboard."), url_for(".list_targets")
    )


@bp.post("/<int:target_id>/restore")
@login_required
def restore_target(target_id: int) -> Response:
    _require_admin()
    services.restore_target(current_user, _target(target_id))
    return commit_and_redirect(_("Target restored."), url_for(".list_targets"))

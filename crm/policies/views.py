"""Package pages: the lists, the catalogue, totals, proposing, deciding and tracking items."""

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from crm.clock import utcnow
from crm.cursor_args import cursor_page
from crm.errors import InvalidInputError, seen_version
from crm.form_views import attach_errors, commit_and_redirect, save
from crm.i18n import current_locale
from crm.keyset import capped_count
from crm.policies import catalogue, exporting, progress, queries, services
from crm.policies.forms import (
    DecisionForm,
    DisburseForm,
    GrantForm,
    InstrumentForm,
    PackageForm,
    ReviewForm,
)
from crm.policies.labels import BADGES, choices, label
from crm.view_helpers import require
from models import Department, PackageState, PolicyInstrument, Role, db

bp = Blueprint("policies", __name__, url_prefix="/packages")
PACKAGES_PER_PAGE = 50
STEP_FORMS: dict[str, type[FlaskForm]] = {
    "grant": GrantForm,
    "disburse": DisburseForm,
    "review": ReviewForm,
}


@bp.route("/")
@login_required
def list_packages() -> str:
    queue, waiting = (
        queries.decision_queue(current_user) if services.can_decide(current_user) else ([], None)
    )
    state = exporting.package_state(request.args)
    query = queries.package_query(current_user, state=state)
    return render_template(
        "policies/list_packages.html",
        state=state or "",
        states=choices(PackageState),
        queue=queue,
        waiting=waiting,
        page=cursor_page(queries.page_of, query, PACKAGES_PER_PAGE),
        count=capped_count(query),
        label=label,
        badges=BADGES,
    )


@bp.route("/catalogue")
@login_required
def show_catalogue() -> str:
    return render_template(
        "policies/show_catalogue.html",
        instruments=catalogue.catalogue(),
        can_edit=catalogue.can_edit_catalogue(current_user),
        label=label,
    )


@bp.route("/catalogue/<int:instrument_id>/edit", methods=["GET", "POST"])
@login_required
def edit_instrument(instrument_id: int) -> str | Response:
    require(catalogue.can_edit_catalogue(current_user))
    instrument = db.session.get(PolicyInstrument, instrument_id) or abort(404)
    form = InstrumentForm(obj=instrument)
    form.department_id.choices = [
        (d.id, d.name_for(current_locale())) for d in db.session.scalars(db.select(Department))
    ]
    if form.validate_on_submit():
        saved = save(
            form,
            lambda: catalogue.update_instrument(current_user, instrument, _instrument_input(form)),
            _("Instrument saved."),
        )
        if saved.done:
            return redirect(url_for(".show_catalogue"))
    return render_template("policies/edit_instrument.html", form=form, instrument=instrument)


@bp.route("/totals")
@login_required
def show_totals() -> str:
    if current_user.role not in {Role.ADMIN, Role.LEADER, Role.MANAGER}:
        abort(403)
    return render_template(
        "policies/show_totals.html",
        by_instrument=queries.totals_by_instrument(current_user),
        by_zone=queries.totals_by_zone(current_user),
        top_firms=queries.top_firms(current_user),
        label=label,
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def propose_package() -> str | Response:
    enterprise_id = request.args.get("enterprise_id", type=int) or abort(404)
    enterprise = services.proposable_enterprise(current_user, enterprise_id)
    form = PackageForm()
    choices = [(0, _("— choose —"))] + [
        (i.id, i.name_for(current_locale())) for i in catalogue.catalogue() if i.is_active
    ]
    for row in form.items:
        row.instrument_id.choices = choices
    if form.validate_on_submit():
        filled = [index for index, row in enumerate(form.items) if not row.is_empty()]
        data = services.PackageInput(
            title=form.title.data or "",
            rationale=form.rationale.data,
            items=[form.items[index].to_input() for index in filled],
        )
        proposed = save(
            form,
            lambda: services.propose_package(current_user, enterprise, data, utcnow()),
            _("Package proposed; it now awaits a leader's decision."),
            show_errors=lambda form, invalid: _attach_item_errors(form, invalid, filled),
        )
        if proposed.value is not None:
            return redirect(url_for(".show_package", package_id=proposed.value.id))
    return render_template("policies/propose_package.html", form=form, enterprise=enterprise)


@bp.route("/<int:package_id>")
@login_required
def show_package(package_id: int) -> str:
    return _render_package(services.get_package(current_user, package_id))[0]


@bp.route("/<int:package_id>/decision", methods=["POST"])
@login_required
def decide_package(package_id: int) -> tuple[str, int] | Response:
    package = services.get_package(current_user, package_id)
    require(services.can_decide(current_user))
    form = DecisionForm()
    if form.validate_on_submit():
        seen = seen_version(form.version_id.data)
        saved = save(
            form,
            lambda: services.decide_package(
                current_user, package, form.decision.data, form.comment.data, seen, utcnow()
            ),
            _("Decision recorded."),
        )
        if saved.done:
            return redirect(url_for(".show_package", package_id=package.id))
        if saved.conflict is not None:
            return _render_package(package, 409)
    return _render_package(package, 422, decision_form=form)


@bp.route("/<int:package_id>/items/<int:item_id>/<step>", methods=["POST"])
@login_required
def advance_item(package_id: int, item_id: int, step: str) -> tuple[str, int] | Response:
    package = services.get_package(current_user, package_id)
    item = next((i for i in package.items if i.id == item_id), None)
    if item is None or step not in STEP_FORMS:
        abort(404)
    require(services.can_track_items(current_user, package))
    form = STEP_FORMS[step]()
    if form.validate_on_submit():
        saved = save(form, lambda: _advance(item, step, form), _("Item updated."))
        if saved.done:
            return redirect(url_for(".show_package", package_id=package.id) + f"#item-{item.id}")
        if saved.conflict is not None:
            return _render_package(package, 409)
    return _render_package(package, 422, step_forms={item.id: form})


@bp.route("/<int:package_id>/delete", methods=["POST"])
@login_required
def delete_package(package_id: int) -> Response:
    package = services.get_package(current_user, package_id)
    require(services.can_delete(current_user, package))
    services.delete_package(current_user, package, utcnow())
    return commit_and_redirect(_("Package deleted."), url_for(".list_packages"))


def _advance(item: Any, step: str, form: Any) -> None:
    seen, now = seen_version(form.version_id.data), utcnow()
    if step == "grant":
        progress.grant_item(current_user, item, form.granted_on.data, seen, now)
    elif step == "disburse":
        progress.disburse_item(
            current_user,
            item,
            form.disbursed_amount.data,
            form.disbursed_on.data,
            seen,
            now,
        )
    else:
        progress.review_item(
            current_user,
            item,
            bool(form.goal_met.data),
            form.review_note.data,
            form.reviewed_on.data,
            seen,
            now,
        )


def _render_package(package: Any, status: int = 200, **forms: Any) -> tuple[str, int]:
    today = utcnow().date()
    decision_form = forms.get("decision_form") or DecisionForm(formdata=None)
    decision_form.version_id.data = str(package.version_id)
    step_forms: dict[int, Any] = {}
    if services.can_track_items(current_user, package) and package.state == PackageState.APPROVED:
        step_forms = {
            item.id: STEP_FORMS[progress.STEP_OF_STATE[item.state]](formdata=None)
            for item in package.items
            if item.state in progress.STEP_OF_STATE
        }
    step_forms.update(forms.get("step_forms", {}))
    for step_form in step_forms.values():
        step_form.version_id.data = str(package.version_id)
    html = render_template(
        "policies/show_package.html",
        package=package,
        overdue={item.id: queries.overdue_milestones(item, today) for item in package.items},
        history=services.history(package),
        can_decide=services.can_decide(current_user),
        can_track=services.can_track_items(current_user, package),
        can_delete=services.can_delete(current_user, package),
        decision_form=decision_form,
        step_forms=step_forms,
        step_of_state=progress.STEP_OF_STATE,
        today=today,
        label=label,
        badges=BADGES,
    )
    return html, status


def _instrument_input(form: InstrumentForm) -> catalogue.InstrumentInput:
    return catalogue.InstrumentInput(
        name_zh=form.name_zh.data or "",
        name_en=form.name_en.data or "",
        department_id=form.department_id.data or 0,
        ceiling=form.ceiling.data,
        is_active=bool(form.is_active.data),
    )


def _attach_item_errors(form: PackageForm, invalid: InvalidInputError, filled: list[int]) -> None:
    """Service errors name items by their place among the filled rows; show them on that row."""
    for name, messages in invalid.errors.items():
        if name.startswith("items["):
            position, _dot, field_name = name.removeprefix("items[").partition("].")
            row = form.items[filled[int(position)]]
            target = getattr(row, field_name)
            target.errors = [*target.errors, *messages]
        else:
            attach_errors(form, InvalidInputError({name: messages}))

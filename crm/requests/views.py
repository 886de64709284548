"""Request pages: the inbox, raising a request, its page with the workflow, edit and delete."""

from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from crm.clock import today, utcnow
from crm.credit.panels import request_panel
from crm.cursor_args import cursor_page
from crm.enterprises.firm_search import search_firms
from crm.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    seen_version,
)
from crm.form_views import attach_errors, commit_and_redirect, save
from crm.i18n import current_locale
from crm.keyset import capped_count
from crm.listings.panel import request_listing
from crm.records import history_of
from crm.reference import all_of
from crm.requests import queries, routing, services, workflow
from crm.requests.forms import EditRequestForm, RequestForm, StepForm
from crm.requests.labels import STATE_BADGES, choices, label
from models import Department, EnterpriseRequest, RequestCategory, RequestState, Role, db

bp = Blueprint("requests", __name__, url_prefix="/requests")


@bp.route("/")
@login_required
def list_requests() -> str:
    filters = queries.RequestFilter.from_args(request.args)
    query = queries.request_query(current_user, filters, today())
    per_page = current_app.config["CRM_PAGE_SIZE"]
    return render_template(
        "requests/list_requests.html",
        page=cursor_page(queries.page_of, query, filters, per_page),
        count=capped_count(query),
        filters=filters,
        states=choices(RequestState),
        departments=all_of(Department),
        **_page_helpers(),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create_request() -> str | Response:
    if not services.can_create_requests(current_user):
        raise ForbiddenError(_("Your role cannot raise requests."))
    form = RequestForm()
    suggestion = _prefill(form) if request.method == "GET" else None
    _request_form(form)
    if form.validate_on_submit():
        created = save(
            form,
            lambda: services.create_request(current_user, form.to_input(), utcnow()),
            _("Request raised and routed."),
        )
        if created.value is not None:
            return redirect(url_for(".show_request", request_id=created.value.id))
    text = request.args.get("q", "")
    return render_template(
        "requests/create_request.html",
        form=form,
        q=text,
        firms=search_firms(current_user, text) if request.method == "GET" else [],
        suggestion=suggestion,
        routes={
            route.category.value: {"department": route.department.slug, "days": route.due_days}
            for route in routing.routes()
        },
    )


@bp.route("/<int:request_id>")
@login_required
def show_request(request_id: int) -> str:
    return _show(services.get_request(current_user, request_id))


@bp.post("/<int:request_id>/steps")
@login_required
def take_step(request_id: int) -> tuple[str, int] | Response:
    enterprise_request = services.get_request(current_user, request_id)
    form = _step_form(StepForm())
    if not form.validate_on_submit():
        return _show(enterprise_request, step_form=form), 422
    try:
        workflow.take_step(
            current_user,
            enterprise_request,
            form.action.data or "",
            form.to_input(),
            utcnow(),
            form.seen_version(),
        )
    except InvalidInputError as invalid:
        db.session.rollback()
        attach_errors(form, invalid)
        return _show(enterprise_request, step_form=form), 422
    except ConflictError as conflict:
        db.session.rollback()
        return _show(enterprise_request, conflict=conflict.message), 409
    return commit_and_redirect(
        _("Request updated."), url_for(".show_request", request_id=request_id)
    )


@bp.route("/<int:request_id>/edit", methods=["GET", "POST"])
@login_required
def edit_request(request_id: int) -> str | tuple[str, int] | Response:
    enterprise_request = services.get_request(current_user, request_id)
    if not services.can_edit_request(current_user, enterprise_request):
        raise ForbiddenError(_("Your role cannot change this request."))
    form = EditRequestForm(obj=enterprise_request)
    if request.method == "GET":
        form.urgency.data = enterprise_request.urgency.value
        form.version_id.data = str(enterprise_request.version_id)
    if form.validate_on_submit():
        # As posted: an empty POST leaves the field holding the record's own (int) version.
        seen = seen_version(request.form.get("version_id"))
        saved = save(
            form,
            lambda: services.update_request(
                current_user, enterprise_request, form.to_edit(), seen, utcnow()
            ),
            _("Changes saved."),
        )
        if saved.done:
            return redirect(url_for(".show_request", request_id=request_id))
        return _edit_page(form, enterprise_request), saved.status
    return _edit_page(form, enterprise_request)


@bp.post("/<int:request_id>/delete")
@login_required
def delete_request(request_id: int) -> Response:
    enterprise_request = services.get_request(current_user, request_id)
    services.delete_request(current_user, enterprise_request, utcnow())
    return commit_and_redirect(_("Request deleted."), url_for(".list_requests"))


def _show(
    enterprise_request: EnterpriseRequest,
    step_form: StepForm | None = None,
    conflict: str | None = None,
) -> str:
    actions = workflow.allowed_actions(current_user, enterprise_request)
    return render_template(
        "requests/show_request.html",
        item=enterprise_request,
        actions=[(action, workflow.TRANSITIONS[action]) for action in actions],
        step_form=step_form or _step_form(StepForm(formdata=None)),
        open_action=step_form.action.data if step_form is not None else None,
        conflict=conflict,
        history=history_of("request", enterprise_request.id),
        departments={row.id: row for row in all_of(Department)},
        can_edit=services.can_edit_request(current_user, enterprise_request)
        and enterprise_request.state not in services.FINAL_STATES,
        can_delete=services.can_delete_request(current_user, enterprise_request),
        credit=request_panel(current_user, enterprise_request),
        listing=request_listing(current_user, enterprise_request),
        **_page_helpers(),
    )


def _edit_page(form: EditRequestForm, enterprise_request: EnterpriseRequest) -> str:
    return render_template("requests/edit_request.html", form=form, item=enterprise_request)


def _page_helpers() -> dict[str, Any]:
    return {
        "label": label,
        "badges": STATE_BADGES,
        "today": today(),
        "is_overdue": workflow.is_overdue,
        "is_department": current_user.role == Role.DEPARTMENT,
        "can_create": services.can_create_requests(current_user),
    }


def _request_form(form: RequestForm) -> RequestForm:
    form.enterprise_id.choices = queries.chosen_firm(current_user, form.enterprise_id.data)
    form.department.choices = _department_choices()
    return form


def _step_form(form: StepForm) -> StepForm:
    form.department.choices = [("", _("— choose —")), *_department_choices()]
    return form


def _department_choices() -> list[tuple[str, str]]:
    return [(row.slug, row.name_for(current_locale())) for row in all_of(Department)]


def _prefill(form: RequestForm) -> routing.Suggestion:
    """The firm from the query string (its page links here), and the default category's route.
    A visit's red flag is filed by one POST from the visit page, not through this form."""
    form.enterprise_id.data = request.args.get("enterprise_id", type=int)
    form.category.data = RequestCategory.OTHER.value
    suggestion = routing.suggest(RequestCategory.OTHER, today())
    form.department.data, form.due_on.data = suggestion.department.slug, suggestion.due_on
    return suggestion

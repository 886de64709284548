"""JSON API over requests: /api/v1/requests, their detail and their workflow steps."""

from typing import Any

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from crm.api.auth import api_user, token_required
from crm.api.cursors import CURSOR_PARAMS, keyset_page, page_answer
from crm.api.paging import choice_arg, paging_args, whole_number_arg
from crm.api.registry import created, documented, page_of
from crm.api.spec import UNAUTHORISED, error, field_errors, malformed_body, query_param
from crm.clock import today, utcnow
from crm.errors import ConflictError, conflict_answer
from crm.keyset import capped_count
from crm.reference import all_of, by_slug
from crm.requests import queries, services, workflow
from crm.requests.schemas import EnterpriseRequest, RequestBody, RequestTransition
from models import Department, RequestState, db
from models import EnterpriseRequest as RequestRow

bp = Blueprint("requests_api", __name__, url_prefix="/api/v1/requests")


NOT_FOUND = error("No such request, deleted, or outside the caller's scope")
WORKFLOW_TEXT = "; ".join(
    f"{action.value}: {'/'.join(sorted(s.value for s in step.from_states))} -> "
    f"{step.to_state.value} by {'/'.join(sorted(step.parties))}"
    + (f", needs {step.required}" if step.required else "")
    for action, step in workflow.TRANSITIONS.items()
)


@documented(
    "get",
    "/requests",
    "Requests in the caller's scope, filtered and paginated",
    {
        200: page_of("One page of requests: pending first, soonest due first", EnterpriseRequest),
        401: UNAUTHORISED,
        422: field_errors("A filter or paging parameter is invalid, named in `errors`"),
    },
    parameters=(
        query_param("state", "string", "One of the workflow states"),
        query_param("department", "string", "Department slug"),
        query_param("enterprise_id", "integer", "Only this firm's requests"),
        query_param("overdue", "boolean", "true: only overdue requests"),
        *CURSOR_PARAMS,
    ),
    description="Department staff see their inbox; managers their firms' requests.",
)
@bp.get("")
@token_required
def list_requests() -> Any:
    errors = _filter_problems()
    page, per_page = paging_args(errors)
    if errors:
        return jsonify(errors=errors), 422
    filters = queries.RequestFilter.from_args(request.args)
    query = queries.request_query(api_user(), filters, today())
    rows = keyset_page(queries.page_of, query, filters, page=page, per_page=per_page)
    items = [EnterpriseRequest.of(row, today()).answer_json() for row in rows.rows]
    return jsonify(page_answer(items, rows, capped_count(query), page, per_page))


@documented(
    "get",
    "/requests/{request_id}",
    "One request with its event timeline",
    {200: ("The request", EnterpriseRequest), 401: UNAUTHORISED, 404: NOT_FOUND},
)
@bp.get("/<int:request_id>")
@token_required
def get_request(request_id: int) -> Any:
    return _detail(services.get_request(api_user(), request_id))


@documented(
    "post",
    "/requests",
    "Raise a request for a firm; it is routed by its category unless told",
    {
        201: created("Created, with its first event", EnterpriseRequest),
        400: malformed_body(),
        401: UNAUTHORISED,
        403: error("Department staff cannot raise requests"),
        404: error("No such firm, or outside the caller's scope"),
        422: field_errors("Invalid fields, each named in `errors`"),
    },
    body=RequestBody,
)
@bp.post("")
@token_required
def create_request() -> Any:
    values = RequestBody.from_request().model_dump(exclude_none=True)
    raised = services.create_request(api_user(), services.RequestInput(**values), utcnow())
    db.session.commit()
    return _detail(raised), 201, {"Location": f"{bp.url_prefix}/{raised.id}"}


@documented(
    "post",
    "/requests/{request_id}/transitions",
    "Take a workflow step",
    {
        200: ("The changed request", EnterpriseRequest),
        400: malformed_body(),
        401: UNAUTHORISED,
        403: error("The caller's role cannot take this step"),
        404: NOT_FOUND,
        409: error("Not allowed from the current state, or a stale version_id"),
        422: field_errors("Unknown action or a missing required field, named in `errors`"),
    },
    body=RequestTransition,
    description=f"Allowed steps: {WORKFLOW_TEXT}. Admins act for either side.",
)
@bp.post("/<int:request_id>/transitions")
@token_required
def take_step(request_id: int) -> Any:
    enterprise_request = services.get_request(api_user(), request_id)
    values = RequestTransition.from_request().model_dump(exclude_none=True)
    action, seen_version = values.pop("action"), values.pop("version_id", None)
    try:
        workflow.take_step(
            api_user(),
            enterprise_request,
            action,
            workflow.StepInput(**values),
            utcnow(),
            seen_version,
        )
    except ConflictError as conflict:
        return conflict_answer(conflict, "action")
    db.session.commit()
    return _detail(enterprise_request)


def _detail(item: RequestRow) -> dict[str, object]:
    slugs = {row.id: row.slug for row in all_of(Department)}
    return EnterpriseRequest.of(item, today(), slugs).answer_json()


def _filter_problems() -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    choice_arg("state", RequestState, errors)
    department = request.args.get("department", "").strip()
    if department and by_slug(Department, department) is None:
        errors["department"] = [_("Unknown value “%(value)s”.", value=department)]
    whole_number_arg("enterprise_id", None, errors)
    return errors

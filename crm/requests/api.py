"""JSON API over requests: /api/v1/requests, their detail and their workflow steps."""

from typing import Any

from flask import Blueprint, request
from flask_babel import gettext as _

from crm.api.auth import api_user, token_required
from crm.api.body import committed
from crm.api.cursors import CURSOR_PARAMS, keyset_answer
from crm.api.paging import QueryArgs
from crm.api.registry import created, documented, page_of
from crm.api.spec import error, field_errors, query_param
from crm.clock import today, utcnow
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
    args = QueryArgs()
    args.choice("state", RequestState)
    department = request.args.get("department", "").strip()
    if department and by_slug(Department, department) is None:
        args.errors["department"] = [_("Unknown value “%(value)s”.", value=department)]
    args.whole_number("enterprise_id")
    paging = args.paging()
    args.raise_if_invalid()
    filters = queries.RequestFilter.from_args(request.args)
    query = queries.request_query(api_user(), filters, today())
    return keyset_answer(
        lambda query, *cursor: queries.page_of(query, filters, *cursor),
        query,
        paging,
        lambda row: EnterpriseRequest.of(row, today()).answer_json(),
    )


@documented(
    "get",
    "/requests/{request_id}",
    "One request with its event timeline",
    {200: ("The request", EnterpriseRequest), 404: NOT_FOUND},
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
        403: error("Department staff cannot raise requests"),
        404: error("No such firm, or outside the caller's scope"),
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
    step = workflow.StepInput(**values)
    with committed("action"):
        workflow.take_step(api_user(), enterprise_request, action, step, utcnow(), seen_version)
    return _detail(enterprise_request)


def _detail(item: RequestRow) -> dict[str, object]:
    slugs = {row.id: row.slug for row in all_of(Department)}
    return EnterpriseRequest.of(item, today(), slugs).answer_json()

"""JSON API over the reservoir: /api/v1/enterprises."""

from typing import Any

from flask import Blueprint, request
from flask_babel import gettext as _

from crm import access
from crm.api.auth import api_user, token_required
from crm.api.body import committed
from crm.api.cursors import cursor_error
from crm.api.paging import QueryArgs
from crm.api.registry import created, documented
from crm.api.spec import error, field_errors, query_param
from crm.clock import utcnow
from crm.enterprises import keyset, queries, services
from crm.enterprises.schemas import Enterprise, EnterpriseBody, EnterprisePage, EnterprisePatch
from crm.errors import ForbiddenError, InvalidInputError
from models import db

bp = Blueprint("enterprises_api", __name__, url_prefix="/api/v1/enterprises")

NOT_FOUND = error("No such firm, or outside the caller's sub-district")


@documented(
    "get",
    "/enterprises",
    "Firms in the caller's scope, filtered and paginated",
    {
        200: ("One page of firms", EnterprisePage),
        422: field_errors("A paging parameter is out of range"),
    },
    parameters=(
        query_param("q", description="Part of the name, or the start of the USCC"),
        *(query_param(name) for name in ("sub_district", "zone", "track", "tier", "designation")),
        query_param("manager", description="Username"),
        query_param("sort"),
        query_param("direction", description="asc or desc"),
        query_param("page", "integer"),
        query_param("per_page", "integer", "1 to 200"),
        query_param("after", description="`next` of the previous answer: deep pages stay fast"),
    ),
)
@bp.get("")
@token_required
def list_enterprises() -> Any:
    args = QueryArgs()
    page, per_page = args.paging()
    args.raise_if_invalid()
    filters = queries.ReservoirFilter.from_args(request.args)
    cursor = request.args.get("after")
    number: int | None = page
    if cursor is None and page > 1:  # numbered pages stay for existing clients; cursors scale
        rows, total = queries.page_of(queries.reservoir_query(api_user(), filters), page, per_page)
        next_cursor = None
    else:
        try:
            found = queries.reservoir_page(api_user(), filters, per_page, cursor, api=True)
        except keyset.BadCursorError:
            raise InvalidInputError(cursor_error()) from None
        rows, total, next_cursor = found.rows, found.total, found.next_cursor
        number = None if cursor else 1
    items = [Enterprise.of(row) for row in rows]
    answer = EnterprisePage(
        items=items, total=total, page=number, per_page=per_page, next=next_cursor
    )
    return answer.answer_json()


@documented(
    "get",
    "/enterprises/{enterprise_id}",
    "One firm with its yearly figures and contacts",
    {200: ("The firm", Enterprise), 404: NOT_FOUND},
)
@bp.get("/<int:enterprise_id>")
@token_required
def get_enterprise(enterprise_id: int) -> Any:
    enterprise = services.get_enterprise(api_user(), enterprise_id)
    return Enterprise.of(enterprise, details_for=api_user()).answer_json()


@documented(
    "post",
    "/enterprises",
    "Add a firm to the reservoir",
    {201: created("Created", Enterprise), 403: error("The caller's role cannot add firms")},
    body=EnterpriseBody,
)
@bp.post("")
@token_required
def create_enterprise() -> Any:
    if not access.can_edit_enterprises(api_user()):
        raise ForbiddenError(_("Your role cannot add firms."))
    body = EnterpriseBody.from_request()
    enterprise = services.create_enterprise(api_user(), body.input(), utcnow())
    db.session.commit()
    location = {"Location": f"{bp.url_prefix}/{enterprise.id}"}
    return Enterprise.of(enterprise, details_for=api_user()).answer_json(), 201, location


@documented(
    "patch",
    "/enterprises/{enterprise_id}",
    "Change some fields of a firm",
    {
        200: ("The changed firm", Enterprise),
        403: error("The caller's role cannot change firms"),
        404: NOT_FOUND,
        409: error("Someone else changed the firm since it was read"),
    },
    body=EnterprisePatch,
    description="Send the `version_id` you read; a stale one answers 409.",
)
@bp.patch("/<int:enterprise_id>")
@token_required
def update_enterprise(enterprise_id: int) -> Any:
    enterprise = services.get_enterprise(api_user(), enterprise_id)
    if not access.can_edit_enterprise(api_user(), enterprise):
        raise ForbiddenError(_("Your role cannot change this firm."))
    body = EnterprisePatch.from_request()
    changed = services.patch_input(enterprise, body.changes())
    with committed("version_id"):
        services.update_enterprise(api_user(), enterprise, changed, body.version_id, utcnow())
    return Enterprise.of(enterprise, details_for=api_user()).answer_json()

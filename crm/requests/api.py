"""JSON API over requests: /api/v1/requests, their detail and their workflow steps."""

from typing import Any

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from crm.api.auth import api_user, token_required
from crm.api.body import json_object
from crm.api.cursors import cursor_args, cursor_error, page_answer
from crm.api.paging import paging_args, whole_number_arg
from crm.clock import today, utcnow
from crm.errors import ConflictError, StaleEditError
from crm.keyset import CursorError, offset_of
from crm.reference import all_of, by_slug
from crm.requests import queries, services, workflow
from crm.requests.serializers import (
    CREATE_FIELDS,
    REQUIRED_ON_CREATE,
    STEP_FIELDS,
    parse_body,
    request_to_dict,
)
from models import Department, EnterpriseRequest, RequestState, db

bp = Blueprint("requests_api", __name__, url_prefix="/api/v1/requests")


@bp.get("")
@token_required
def list_requests() -> Any:
    errors = _filter_problems()
    page, per_page = paging_args(errors)
    if errors:
        return jsonify(errors=errors), 422
    filters = queries.RequestFilter.from_args(request.args)
    query = queries.request_query(api_user(), filters, today())
    after, before = cursor_args()
    try:
        offset = offset_of(page, per_page)
        rows = queries.page_of(query, filters, per_page, after, before, offset)
    except CursorError:
        return jsonify(errors=cursor_error()), 422
    items = [request_to_dict(row, today()) for row in rows.rows]
    return jsonify(page_answer(items, rows, queries.count_of(query), page, per_page))


@bp.get("/<int:request_id>")
@token_required
def get_request(request_id: int) -> Any:
    return jsonify(_detail(services.get_request(api_user(), request_id)))


@bp.post("")
@token_required
def create_request() -> Any:
    body = json_object()
    values, errors = parse_body(body, CREATE_FIELDS, REQUIRED_ON_CREATE)
    if errors:
        return jsonify(errors=errors), 422
    created = services.create_request(api_user(), services.RequestInput(**values), utcnow())
    db.session.commit()
    response = jsonify(_detail(created))
    response.headers["Location"] = f"{bp.url_prefix}/{created.id}"
    return response, 201


@bp.post("/<int:request_id>/transitions")
@token_required
def take_step(request_id: int) -> Any:
    enterprise_request = services.get_request(api_user(), request_id)
    body = json_object()
    values, errors = parse_body(body, STEP_FIELDS, ("action",))
    if errors:
        return jsonify(errors=errors), 422
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
    except StaleEditError as stale:
        db.session.rollback()
        return jsonify(error=stale.message, errors={"version_id": [stale.message]}), 409
    except ConflictError as conflict:
        db.session.rollback()
        return jsonify(error=conflict.message, errors={"action": [conflict.message]}), 409
    db.session.commit()
    return jsonify(_detail(enterprise_request))


def _detail(item: EnterpriseRequest) -> dict[str, Any]:
    slugs = {row.id: row.slug for row in all_of(Department)}
    return request_to_dict(item, today(), slugs)


def _filter_problems() -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    state = request.args.get("state", "").strip()
    if state and state not in set(RequestState):
        errors["state"] = [_("Unknown value “%(value)s”.", value=state)]
    department = request.args.get("department", "").strip()
    if department and by_slug(Department, department) is None:
        errors["department"] = [_("Unknown value “%(value)s”.", value=department)]
    whole_number_arg("enterprise_id", None, errors)
    return errors

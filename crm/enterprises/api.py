"""JSON API over the reservoir: /api/v1/enterprises."""

from typing import Any

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from crm import access
from crm.api.auth import api_user, token_required
from crm.api.body import json_object
from crm.api.cursors import cursor_error
from crm.api.paging import paging_args
from crm.clock import utcnow
from crm.enterprises import keyset, queries, services
from crm.enterprises.serializers import enterprise_to_dict, parse_enterprise_json
from crm.errors import ForbiddenError, StaleEditError
from models import db

bp = Blueprint("enterprises_api", __name__, url_prefix="/api/v1/enterprises")


@bp.get("")
@token_required
def list_enterprises() -> Any:
    errors: dict[str, list[str]] = {}
    page, per_page = paging_args(errors)
    if errors:
        return jsonify(errors=errors), 422
    filters = queries.ReservoirFilter.from_args(request.args)
    cursor = request.args.get("after")
    if cursor is None and page > 1:  # numbered pages stay for existing clients; cursors scale
        rows, total = queries.page_of(queries.reservoir_query(api_user(), filters), page, per_page)
        return jsonify(
            items=[enterprise_to_dict(row) for row in rows],
            total=total,
            page=page,
            per_page=per_page,
            next=None,
        )
    try:
        found = queries.reservoir_page(api_user(), filters, per_page, cursor, api=True)
    except keyset.BadCursorError:
        return jsonify(errors=cursor_error()), 422
    return jsonify(
        items=[enterprise_to_dict(row) for row in found.rows],
        total=found.total,
        page=None if cursor else 1,
        per_page=per_page,
        next=found.next_cursor,
    )


@bp.get("/<int:enterprise_id>")
@token_required
def get_enterprise(enterprise_id: int) -> Any:
    enterprise = services.get_enterprise(api_user(), enterprise_id)
    return jsonify(enterprise_to_dict(enterprise, details_for=api_user()))


@bp.post("")
@token_required
def create_enterprise() -> Any:
    if not access.can_edit_enterprises(api_user()):
        raise ForbiddenError(_("Your role cannot add firms."))
    body = json_object()
    values, errors = parse_enterprise_json(body, partial=False)
    if errors:
        return jsonify(errors=errors), 422
    enterprise = services.create_enterprise(
        api_user(), services.EnterpriseInput(**values), utcnow()
    )
    db.session.commit()
    response = jsonify(enterprise_to_dict(enterprise, details_for=api_user()))
    response.headers["Location"] = f"{bp.url_prefix}/{enterprise.id}"
    return response, 201


@bp.patch("/<int:enterprise_id>")
@token_required
def update_enterprise(enterprise_id: int) -> Any:
    enterprise = services.get_enterprise(api_user(), enterprise_id)
    if not access.can_edit_enterprise(api_user(), enterprise):
        raise ForbiddenError(_("Your role cannot change this firm."))
    body = json_object()
    seen_version = body.get("version_id")
    if isinstance(seen_version, bool) or not isinstance(seen_version, int):
        return jsonify(errors={"version_id": [_("Send the version_id you last read.")]}), 422
    values, errors = parse_enterprise_json(body, partial=True)
    if errors:
        return jsonify(errors=errors), 422
    try:
        services.update_enterprise(
            api_user(),
            enterprise,
            services.patch_input(enterprise, values),
            seen_version,
            utcnow(),
        )
    except StaleEditError as stale:
        db.session.rollback()
        return jsonify(error=stale.message, errors={"version_id": [stale.message]}), 409
    db.session.commit()
    return jsonify(enterprise_to_dict(enterprise, details_for=api_user()))

"""JSON API over packages: /api/v1/packages."""

from typing import Any

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from crm.api.auth import api_user, token_required
from crm.api.body import json_object
from crm.api.cursors import cursor_args, cursor_error, page_answer
from crm.api.ids import is_database_id
from crm.api.paging import paging_args, whole_number_arg
from crm.clock import utcnow
from crm.errors import ConflictError, ForbiddenError, StaleEditError
from crm.keyset import CursorError, offset_of
from crm.policies import queries, services
from crm.policies.serializers import package_to_dict, parse_package_json
from models import PackageState, db

bp = Blueprint("policies_api", __name__, url_prefix="/api/v1/packages")


@bp.get("")
@token_required
def list_packages() -> Any:
    errors: dict[str, list[str]] = {}
    page, per_page = paging_args(errors)
    enterprise_id = whole_number_arg("enterprise_id", None, errors)
    state = request.args.get("state", "")
    if state and state not in {s.value for s in PackageState}:
        errors["state"] = [_("Unknown value “%(value)s”.", value=state)]
    if errors:
        return jsonify(errors=errors), 422
    query = queries.package_query(api_user(), enterprise_id or None, state or None)
    after, before = cursor_args()
    try:
        rows = queries.page_of(query, per_page, after, before, offset_of(page, per_page))
    except CursorError:
        return jsonify(errors=cursor_error()), 422
    items = [package_to_dict(row) for row in rows.rows]
    return jsonify(page_answer(items, rows, queries.count_of(query), page, per_page))


@bp.get("/<int:package_id>")
@token_required
def get_package(package_id: int) -> Any:
    return jsonify(package_to_dict(services.get_package(api_user(), package_id)))


@bp.post("")
@token_required
def propose_package() -> Any:
    if not services.can_propose(api_user()):
        raise ForbiddenError(_("Your role cannot propose policy packages."))
    body = json_object()
    enterprise_id = body.get("enterprise_id")
    if not is_database_id(enterprise_id):
        return jsonify(errors={"enterprise_id": [_("Send the firm's id.")]}), 422
    enterprise = services.proposable_enterprise(api_user(), enterprise_id)
    data, errors = parse_package_json(body)
    if errors:
        return jsonify(errors=errors), 422
    package = services.propose_package(api_user(), enterprise, data, utcnow())
    db.session.commit()
    response = jsonify(package_to_dict(package))
    response.headers["Location"] = f"{bp.url_prefix}/{package.id}"
    return response, 201


@bp.post("/<int:package_id>/decision")
@token_required
def decide_package(package_id: int) -> Any:
    package = services.get_package(api_user(), package_id)
    if not services.can_decide(api_user()):
        raise ForbiddenError(_("Only a district leader can decide on a package."))
    body = json_object()
    seen_version, comment = body.get("version_id"), body.get("comment")
    errors: dict[str, list[str]] = {}
    if isinstance(seen_version, bool) or not isinstance(seen_version, int):
        errors["version_id"] = [_("Send the version_id you last read.")]
    if not isinstance(body.get("decision"), str):
        errors["decision"] = [_("Choose approve or reject.")]
    if comment is not None and not isinstance(comment, str):
        errors["comment"] = [_("Invalid value.")]
    if errors or not isinstance(seen_version, int):
        return jsonify(errors=errors), 422
    try:
        services.decide_package(
            api_user(), package, body["decision"], comment, seen_version, utcnow()
        )
    except StaleEditError as stale:
        db.session.rollback()
        return jsonify(error=stale.message, errors={"version_id": [stale.message]}), 409
    except ConflictError as conflict:
        db.session.rollback()
        return jsonify(error=conflict.message, errors={"state": [conflict.message]}), 409
    db.session.commit()
    return jsonify(package_to_dict(package))

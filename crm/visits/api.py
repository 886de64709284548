"""JSON API over visits: /api/v1/visits."""

from datetime import date
from typing import Any

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from crm.api.auth import api_user, token_required
from crm.api.body import json_object
from crm.api.cursors import cursor_args, cursor_error, page_answer
from crm.api.ids import is_database_id
from crm.api.paging import paging_args, whole_number_arg
from crm.clock import utcnow
from crm.keyset import CursorError, offset_of
from crm.visits import queries, services
from crm.visits.serializers import parse_visit_json, recent_to_dict, visit_to_dict
from models import db

bp = Blueprint("visits_api", __name__, url_prefix="/api/v1/visits")


@bp.get("")
@token_required
def list_visits() -> Any:
    errors: dict[str, list[str]] = {}
    page, per_page = paging_args(errors)
    enterprise_id = whole_number_arg("enterprise_id", None, errors)
    filters = queries.VisitFilter(
        enterprise_id=enterprise_id,
        since=_day("since", errors),
        until=_day("until", errors),
    )
    if errors:
        return jsonify(errors=errors), 422
    query = queries.visit_query(api_user(), filters)
    after, before = cursor_args()
    try:
        rows = queries.page_of_visits(query, per_page, after, before, offset_of(page, per_page))
    except CursorError:
        return jsonify(errors=cursor_error()), 422
    items = [visit_to_dict(row) for row in rows.rows]
    return jsonify(page_answer(items, rows, queries.count_visits(query), page, per_page))


@bp.get("/<int:visit_id>")
@token_required
def get_visit(visit_id: int) -> Any:
    return jsonify(visit_to_dict(services.get_visit(api_user(), visit_id)))


@bp.post("")
@token_required
def log_visit() -> Any:
    body = json_object()
    enterprise_id = body.get("enterprise_id")
    if not is_database_id(enterprise_id):
        return jsonify(errors={"enterprise_id": [_("Send the firm's id.")]}), 422
    enterprise = services.enterprise_for_visit(api_user(), enterprise_id)
    data, errors = parse_visit_json(body)
    if data is None:
        return jsonify(errors=errors), 422
    try:
        visit = services.log_visit(
            api_user(), enterprise, data, utcnow(), body.get("confirm_duplicate") is True
        )
    except services.DuplicateVisitError as duplicate:
        db.session.rollback()
        recent = [recent_to_dict(row) for row in duplicate.recent]
        message = duplicate.message
        return jsonify(error=message, errors={"confirm_duplicate": [message]}, recent=recent), 409
    db.session.commit()
    response = jsonify(visit_to_dict(visit))
    response.headers["Location"] = f"{bp.url_prefix}/{visit.id}"
    return response, 201


def _day(name: str, errors: dict[str, list[str]]) -> date | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = [_("A date as YYYY-MM-DD.")]
        return None

"""JSON API over visits: /api/v1/visits."""

from typing import Any

from flask import Blueprint

from crm.api.auth import api_user, token_required
from crm.api.cursors import CURSOR_PARAMS, keyset_answer
from crm.api.paging import QueryArgs
from crm.api.registry import created, documented, page_of
from crm.api.spec import error, field_errors, query_param
from crm.clock import utcnow
from crm.visits import queries, services
from crm.visits.schemas import DuplicateVisit, RecentVisit, Visit, VisitBody
from models import db

bp = Blueprint("visits_api", __name__, url_prefix="/api/v1/visits")


@documented(
    "get",
    "/visits",
    "Visits the caller may read, newest first",
    {
        200: page_of("One page of visits", Visit),
        422: field_errors("A filter or paging parameter is invalid"),
    },
    parameters=(
        query_param("enterprise_id", "integer", "Only this firm's visits"),
        query_param("since", "string", "First visit date, inclusive", "date"),
        query_param("until", "string", "Last visit date, inclusive", "date"),
        *CURSOR_PARAMS,
    ),
)
@bp.get("")
@token_required
def list_visits() -> Any:
    args = QueryArgs()
    paging = args.paging()
    enterprise_id = args.whole_number("enterprise_id")
    filters = queries.VisitFilter(enterprise_id, since=args.day("since"), until=args.day("until"))
    args.raise_if_invalid()
    query = queries.visit_query(api_user(), filters)
    return keyset_answer(
        queries.page_of_visits, query, paging, lambda row: Visit.of(row).model_dump(mode="json")
    )


@documented(
    "get",
    "/visits/{visit_id}",
    "One visit with its red flags and follow-ups",
    {
        200: ("The visit", Visit),
        404: error("No such visit, deleted, or outside the caller's scope"),
    },
)
@bp.get("/<int:visit_id>")
@token_required
def get_visit(visit_id: int) -> Any:
    return Visit.of(services.get_visit(api_user(), visit_id)).model_dump(mode="json")


@documented(
    "post",
    "/visits",
    "Log a visit to a firm",
    {
        201: created("Logged", Visit),
        404: error("No such firm, or outside the caller's scope"),
        409: (DuplicateVisit.__doc__ or "", DuplicateVisit),
    },
    body=VisitBody,
    description=(
        "An on-site visit answers every red flag. When another user visited the firm within 30 "
        "days the answer is 409 listing those visits, unless `confirm_duplicate` is true."
    ),
)
@bp.post("")
@token_required
def log_visit() -> Any:
    body = VisitBody.from_request()
    enterprise = services.enterprise_for_visit(api_user(), body.enterprise_id)
    try:
        visit = services.log_visit(
            api_user(), enterprise, body.input(), utcnow(), body.confirm_duplicate
        )
    except services.DuplicateVisitError as duplicate:
        db.session.rollback()
        message = duplicate.message
        recent = [RecentVisit.of(row) for row in duplicate.recent]
        answer = DuplicateVisit(
            error=message, errors={"confirm_duplicate": [message]}, recent=recent
        )
        return answer.model_dump(mode="json"), 409
    db.session.commit()
    location = {"Location": f"{bp.url_prefix}/{visit.id}"}
    return Visit.of(visit).model_dump(mode="json"), 201, location

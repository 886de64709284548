"""JSON API over discovery: /api/v1/discovery."""

from collections.abc import Callable
from typing import Any

from flask import Blueprint, jsonify
from flask_babel import gettext as _

from crm.api.auth import api_user, token_required
from crm.api.cursors import CURSOR_PARAMS, keyset_answer
from crm.api.paging import QueryArgs
from crm.api.registry import created, documented, page_of
from crm.api.spec import OUT_OF_RANGE, error, query_param
from crm.clock import utcnow
from crm.discovery import events, queries, scope, screening, services, stats
from crm.discovery.names import duplicates_of_candidate, visible_duplicates
from crm.discovery.schemas import (
    Candidate,
    CandidateBody,
    ConversionRow,
    ConversionStats,
    DecisionBody,
    Event,
    ScreeningBody,
)
from crm.errors import ConflictError, ForbiddenError, conflict_answer
from models import CandidateState, SourceKind, db

bp = Blueprint("discovery_api", __name__, url_prefix="/api/v1/discovery")

NOT_FOUND = error("No such candidate, or outside the caller's scope")


@documented(
    "get",
    "/discovery/candidates",
    "Discovery candidates in the caller's scope, newest intake first",
    {200: page_of("One page of candidates", Candidate), 422: OUT_OF_RANGE},
    parameters=(
        query_param("state", "string", "new, screening, admitted, watching, declined, duplicate"),
        query_param("source_kind", "string", "investor, competition, roadshow, ..."),
        query_param("event_id", "integer", "Only candidates from this event"),
        *CURSOR_PARAMS,
    ),
)
@bp.get("/candidates")
@token_required
def list_candidates() -> Any:
    args = QueryArgs()
    paging = args.paging()
    event_id = args.whole_number("event_id")
    state = args.choice("state", CandidateState)
    source_kind = args.choice("source_kind", SourceKind)
    args.raise_if_invalid()
    filters = queries.CandidateFilter(state, source_kind, event_id)
    query = queries.candidate_query(api_user(), filters)
    return keyset_answer(
        queries.page_of, query, paging, lambda row: Candidate.of(row).answer_json()
    )


@documented(
    "get",
    "/discovery/candidates/{candidate_id}",
    "One candidate with its duplicates in the reservoir and among candidates",
    {200: ("The candidate", Candidate), 404: NOT_FOUND},
    description=(
        "Duplicates are sought across the whole reservoir; one the caller may not read comes "
        "with `outside_scope` true and no id, name or code."
    ),
)
@bp.get("/candidates/<int:candidate_id>")
@token_required
def get_candidate(candidate_id: int) -> Any:
    candidate = services.get_candidate(api_user(), candidate_id)
    duplicates = visible_duplicates(api_user(), duplicates_of_candidate(candidate))
    return Candidate.of(candidate, duplicates).answer_json()


@documented(
    "post",
    "/discovery/candidates",
    "Take in a candidate (a department's is its referral)",
    {
        201: created("Taken in", Candidate),
        403: error("The caller's role cannot take in candidates"),
    },
    body=CandidateBody,
)
@bp.post("/candidates")
@token_required
def propose_candidate() -> Any:
    if not scope.can_propose(api_user()):
        raise ForbiddenError(_("Your role cannot propose candidates."))
    body = CandidateBody.from_request()
    candidate = services.propose_candidate(api_user(), body.input(), utcnow())
    db.session.commit()
    location = {"Location": f"{bp.url_prefix}/candidates/{candidate.id}"}
    return Candidate.of(candidate).answer_json(), 201, location


@documented(
    "post",
    "/discovery/candidates/{candidate_id}/screening",
    "Record the screening visit and score (managers of its sub-district)",
    {
        200: ("The screened candidate", Candidate),
        403: error("Only the managers of its sub-district screen it"),
        404: NOT_FOUND,
        409: error("Already decided, or changed since it was read"),
    },
    body=ScreeningBody,
)
@bp.post("/candidates/<int:candidate_id>/screening")
@token_required
def screen_candidate(candidate_id: int) -> Any:
    return _screened(candidate_id, ScreeningBody, screening.screen_candidate)


@documented(
    "post",
    "/discovery/candidates/{candidate_id}/decision",
    "Admit (with a tier), keep watching, decline (with a reason) or link to a reservoir firm",
    {
        200: ("The decided candidate", Candidate),
        403: error("Only the managers of its sub-district decide"),
        404: NOT_FOUND,
        409: error("Already decided, changed since it was read, or its code is in the reservoir"),
    },
    body=DecisionBody,
    description=(
        "Admitting creates the firm in the reservoir in the same transaction; a code already "
        "held by a reservoir firm answers 409 naming `uscc` and `enterprise_id`: link instead."
    ),
)
@bp.post("/candidates/<int:candidate_id>/decision")
@token_required
def decide_candidate(candidate_id: int) -> Any:
    return _screened(candidate_id, DecisionBody, screening.decide_candidate)


@documented(
    "get",
    "/discovery/events",
    "Competitions, roadshows, horse races and open-innovation calls, latest first",
    {200: page_of("One page of events", Event), 422: OUT_OF_RANGE},
    parameters=tuple(CURSOR_PARAMS),
)
@bp.get("/events")
@token_required
def list_events() -> Any:
    args = QueryArgs()
    paging = args.paging()
    args.raise_if_invalid()
    return keyset_answer(
        events.page_of_events,
        events.event_query(),
        paging,
        lambda event: Event.of(event).model_dump(mode="json"),
    )


@documented(
    "get",
    "/discovery/statistics",
    "Conversion of the caller's candidates per source kind, named source and event",
    {200: ("Conversion counts", ConversionStats), 403: error("Department staff see no statistics")},
    description=(
        f"Named sources and events: the {stats.TOP_ROWS} with the most candidates; the others "
        "are summed in `by_source_name_other` and `by_event_other`, and `truncated` is true."
    ),
)
@bp.get("/statistics")
@token_required
def conversion_statistics() -> Any:
    if not scope.can_see_statistics(api_user()):
        raise ForbiddenError(_("You are not allowed to do this."))
    in_scope = scope.candidate_scope(api_user())
    by_name, by_event = stats.by_source_name(in_scope), stats.by_event(in_scope)
    answer = ConversionStats(
        by_source_kind=[ConversionRow.of(row) for row in stats.by_source_kind(in_scope)],
        by_source_name=[ConversionRow.of(row) for row in by_name.rows],
        by_event=[ConversionRow.of(row) for _event, row in by_event.rows],
        by_source_name_other=ConversionRow.of(by_name.other) if by_name.other else None,
        by_event_other=ConversionRow.of(by_event.other) if by_event.other else None,
        truncated=by_name.is_truncated or by_event.is_truncated,
    )
    return answer.model_dump(mode="json")


def _screened(
    candidate_id: int, body_shape: type[ScreeningBody | DecisionBody], write: Callable[..., object]
) -> Any:
    """`write` (a screener's step) as the body says: a duplicate firm's code answers 409 naming
    the firm to whoever may read it."""
    candidate = services.get_candidate(api_user(), candidate_id)
    screening.check_screener(api_user(), candidate)
    body = body_shape.from_request()
    try:
        write(api_user(), candidate, body.input(), body.version_id, utcnow())
    except screening.DuplicateFirmError as duplicate:
        db.session.rollback()
        errors = {"uscc": [duplicate.message]}
        if duplicate.enterprise is not None:  # named only to whoever may read the firm
            errors["enterprise_id"] = [str(duplicate.enterprise.id)]
        return jsonify(error=duplicate.message, errors=errors), 409
    except ConflictError as conflict:
        return conflict_answer(conflict, "state")
    db.session.commit()
    return Candidate.of(candidate).answer_json()

"""JSON API over the listing pipeline: /api/v1/listings."""

from collections.abc import Callable
from functools import partial
from typing import Any

from flask import Blueprint
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.api.auth import api_user, token_required
from crm.api.body import committed
from crm.api.cursors import CURSOR_PARAMS, keyset_answer
from crm.api.paging import QueryArgs
from crm.api.registry import View, created, documented, page_of
from crm.api.spec import OUT_OF_RANGE, error, query_param
from crm.clock import utcnow
from crm.errors import ForbiddenError
from crm.listings import blockers, queries, scope, services
from crm.listings.schemas import ListingBlocker, ListingBlockerBody, ListingMove, ListingTrack
from crm.listings.schemas import ListingTrackBody as TrackBody
from models import EnterpriseRequest, ListingBoard, ListingStage, db
from models import ListingBlocker as BlockerRow
from models import ListingStep as StepRow
from models import ListingTrack as TrackRow

bp = Blueprint("listings_api", __name__, url_prefix="/api/v1/listings")

NOT_FOUND = error("No such track, or outside the caller's scope")
FORBIDDEN = error("The caller's role cannot change listing tracks")
MOVE_ANSWERS: dict[int, Any] = {
    200: ("The track after the step", ListingTrack),
    403: FORBIDDEN,
    404: NOT_FOUND,
    409: error("Changed since it was read (`version_id`), or not allowed from this stage"),
}


def _documented_move(action: str, summary: str) -> Callable[[View], View]:
    """The record of a move: advance, pause, withdraw and resume answer alike."""
    return documented(
        "post", f"/listings/{{track_id}}/{action}", summary, MOVE_ANSWERS, body=ListingMove
    )


def _detailed(query: Any) -> Any:
    """Everything ListingTrack.of reads beyond the track and its firm, in one query per
    relation whatever the number of tracks, steps, actors and blockers."""
    return query.options(
        selectinload(TrackRow.steps).selectinload(StepRow.actor),
        selectinload(TrackRow.packages),
        selectinload(TrackRow.blockers)
        .selectinload(BlockerRow.request)
        .selectinload(EnterpriseRequest.department),
    )


def _answer(track_id: int) -> dict[str, object]:
    """One track as the API shows it, read afresh: after a commit every loaded relation is
    expired, and reading them lazily would cost a query per step's actor and blocker."""
    query = _detailed(select(TrackRow).where(TrackRow.id == track_id)).options(
        selectinload(TrackRow.enterprise)
    )
    track = db.session.scalars(query.execution_options(populate_existing=True)).one()
    return ListingTrack.of(track).answer_json()


def _page(query: Any, per_page: int, after: Any, before: Any, offset: int) -> Any:
    return queries.page_of(_detailed(query), per_page, after, before, offset)


@documented(
    "get",
    "/listings",
    "Listing tracks in the caller's scope, longest in their stage first",
    {200: page_of("One page of tracks", ListingTrack), 422: OUT_OF_RANGE},
    parameters=(
        query_param("stage", "string", "Only tracks at this stage"),
        query_param("board", "string", "Only tracks aiming at this board"),
        *CURSOR_PARAMS,
    ),
)
@bp.get("")
@token_required
def list_tracks() -> Any:
    args = QueryArgs()
    paging = args.paging()
    stage = args.choice("stage", ListingStage)
    board = args.choice("board", ListingBoard)
    args.raise_if_invalid()
    query = queries.track_query(api_user(), queries.TrackFilter(stage, board))
    return keyset_answer(_page, query, paging, lambda row: ListingTrack.of(row).answer_json())


@documented(
    "get",
    "/listings/{track_id}",
    "One track with its steps, blockers and attached packages",
    {200: ("The track", ListingTrack), 404: NOT_FOUND},
)
@bp.get("/<int:track_id>")
@token_required
def get_track(track_id: int) -> Any:
    return _answer(scope.get_track(api_user(), track_id).id)


@documented(
    "post",
    "/listings",
    "Open a firm's listing track",
    {
        201: created("Opened", ListingTrack),
        403: FORBIDDEN,
        404: error("No such firm, or outside the caller's scope"),
        409: error("The firm already has a listing track"),
    },
    body=TrackBody,
)
@bp.post("")
@token_required
def open_track() -> Any:
    if not scope.can_edit_tracks(api_user()):
        raise ForbiddenError(_("Your role cannot change listing tracks."))
    body = TrackBody.from_request()
    track = services.open_track(api_user(), body.enterprise_id, body.input(), utcnow())
    db.session.commit()
    return _answer(track.id), 201, {"Location": f"{bp.url_prefix}/{track.id}"}


@_documented_move(
    "advance", "Move a track forward one or more stages; reaching listed marks the firm listed"
)
@bp.post("/<int:track_id>/advance")
@token_required
def advance_track(track_id: int) -> Any:
    return _moved(track_id, services.advance_track)


@_documented_move("pause", "Pause a track, with the reason in `note`")
@bp.post("/<int:track_id>/pause")
@token_required
def pause_track(track_id: int) -> Any:
    return _moved(track_id, partial(services.halt_track, stage=ListingStage.PAUSED))


@_documented_move("withdraw", "Withdraw a track, with the reason in `note`")
@bp.post("/<int:track_id>/withdraw")
@token_required
def withdraw_track(track_id: int) -> Any:
    return _moved(track_id, partial(services.halt_track, stage=ListingStage.WITHDRAWN))


@_documented_move("resume", "Resume a paused track at the stage it left")
@bp.post("/<int:track_id>/resume")
@token_required
def resume_track(track_id: int) -> Any:
    return _moved(track_id, services.resume_track)


@documented(
    "post",
    "/listings/{track_id}/blockers",
    "Add a blocker: it is filed as a request to the owning department",
    {
        201: created("The blocker and its request", ListingBlocker),
        403: FORBIDDEN,
        404: NOT_FOUND,
        409: error("The track is no longer on its way"),
    },
    body=ListingBlockerBody,
)
@bp.post("/<int:track_id>/blockers")
@token_required
def add_blocker(track_id: int) -> Any:
    track = scope.editable_track(api_user(), track_id)
    body = ListingBlockerBody.from_request()
    blocker = blockers.add_blocker(api_user(), track, body.input(), utcnow())
    db.session.commit()
    location = f"{bp.url_prefix}/{track.id}#blocker-{blocker.id}"
    return ListingBlocker.of(blocker).answer_json(), 201, {"Location": location}


def _moved(track_id: int, move: Callable[..., object]) -> Any:
    """The track after `move`, a step the body describes."""
    track = scope.editable_track(api_user(), track_id)
    body = ListingMove.from_request()
    with committed("stage"):
        move(api_user(), track, data=body.input(), seen_version=body.version_id, now=utcnow())
    return _answer(track.id)

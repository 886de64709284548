"""What the firm and request pages show of a listing track."""

from dataclasses import dataclass

from sqlalchemy import select

from crm.listings import queries, scope
from crm.listings.labels import label
from models import Enterprise, EnterpriseRequest, ListingBlocker, ListingTrack, User, db
from models.listing import ROAD


@dataclass(frozen=True)
class FirmListing:
    enterprise_id: int
    track: ListingTrack | None
    board: str
    stage: str
    next_stage: str | None  # the next stage on the road, for a track on its way
    can_open: bool


def firm_listing(user: User, enterprise: Enterprise) -> FirmListing | None:
    """None when the user has nothing to see or do here (no track they may read, none to open)."""
    track = queries.track_of_firm(user, enterprise.id)
    can_open = track is None and scope.can_edit_tracks(user)
    if track is None and not can_open:
        return None
    if track is None:
        return FirmListing(enterprise.id, None, "", "", None, can_open=True)
    is_on_road = track.stage in ROAD[:-1]
    next_stage = label(ROAD[ROAD.index(track.stage) + 1]) if is_on_road else None
    return FirmListing(
        enterprise.id, track, label(track.board), label(track.stage), next_stage, can_open=False
    )


def _is_live(track: ListingTrack) -> bool:
    """A deleted track, or one of a deleted firm, is 404 (scope.get_track): no link to it."""
    return not track.is_deleted and not track.enterprise.is_deleted


@dataclass(frozen=True)
class RequestListing:
    blocker_id: int
    firm_name: str
    stage: str


def request_listing(user: User, request: EnterpriseRequest) -> RequestListing | None:
    """The track a request stands in the way of, when it was filed as a blocker the user may
    follow back to its track."""
    blocker = db.session.scalar(
        select(ListingBlocker).where(ListingBlocker.request_id == request.id)
    )
    if (
        blocker is None
        or not _is_live(blocker.track)
        or not scope.can_read_track(user, blocker.track)
    ):
        return None
    return RequestListing(blocker.id, blocker.track.enterprise.name, label(blocker.track.stage))

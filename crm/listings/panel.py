"""What the firm page shows of the firm's listing track."""

from dataclasses import dataclass

from crm.listings import queries, scope
from crm.listings.labels import label
from models import Enterprise, ListingTrack, User
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

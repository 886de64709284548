"""The listing records of the access matrix's world: a track of the world's firm (sub-district A)
with a blocker filed to department X (finance). Built once, on first use."""

from datetime import date, datetime
from typing import Any

from crm.listings import blockers, services
from models import User, db

NOW = datetime(2026, 3, 10, 9, 0)


def listing_ids(world: Any) -> dict[str, int]:
    """Committed at once: the matrix's coverage check rolls back what filling its URLs made."""
    cached: dict[str, int] | None = world.__dict__.get("_listing_ids")
    if cached is not None:
        return cached
    manager: User = world.users["manager"]
    data = services.TrackInput(board="star_market", stage_since=date(2026, 1, 5))
    track = services.open_track(manager, world.firm, data, NOW)
    blocker = blockers.add_blocker(
        manager, track, blockers.BlockerInput("财政补贴合规说明", "finance", date(2026, 4, 1)), NOW
    )
    db.session.commit()
    ids = {"track": track.id, "blocker": blocker.id}
    world.__dict__["_listing_ids"] = ids
    return ids

"""The demo's listing tracks: believable and consistent with the designations (the same seed
giving the same tracks is checked with the rest of the demo in tests/test_seeding.py)."""

from sqlalchemy import select

from models import Designation, ListingStage, ListingTrack, db
from tests.helpers import DEMO_AS_OF as AS_OF


def test_the_demo_has_tracks_in_many_stages_with_ordered_steps(demo_district):
    tracks = list(db.session.scalars(select(ListingTrack)))
    assert len(tracks) >= 10
    assert len({track.stage for track in tracks}) >= 4
    for track in tracks:
        days = [step.on for step in track.steps]
        assert days == sorted(days)
        assert days[-1] == track.stage_since <= AS_OF
        assert track.steps[-1].to_stage == track.stage
        if track.stage in {ListingStage.PAUSED, ListingStage.WITHDRAWN}:
            assert track.halt_reason


def test_listed_firms_have_a_listed_track_dated_by_their_designation(demo_district):
    for track in db.session.scalars(
        select(ListingTrack).where(ListingTrack.stage == ListingStage.LISTED)
    ):
        awarded = {row.designation: row.awarded_on for row in track.enterprise.designation_rows}
        assert awarded[Designation.LISTED] == track.listed_on == track.stage_since

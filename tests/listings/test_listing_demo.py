"""The demo's listing tracks: believable, consistent with the designations, deterministic."""

from collections.abc import Iterator
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import select

from models import Designation, ListingStage, ListingTrack, db
from tests.helpers import seeded_demo_app

AS_OF = date(2026, 12, 4)


def _tracks() -> list[tuple[object, ...]]:
    tracks = db.session.scalars(select(ListingTrack).order_by(ListingTrack.id))
    return [
        (t.enterprise.uscc, t.board, t.stage, t.stage_since, t.sponsor, len(t.steps))
        for t in tracks
    ]


@pytest.fixture(scope="module")
def seeded_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    app = seeded_demo_app(tmp_path_factory.mktemp("listings"), 400, 5, AS_OF)
    yield app
    with app.app_context():
        db.engine.dispose()


def test_the_demo_has_tracks_in_many_stages_with_ordered_steps(seeded_app):
    with seeded_app.app_context():
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


def test_listed_firms_have_a_listed_track_dated_by_their_designation(seeded_app):
    with seeded_app.app_context():
        for track in db.session.scalars(
            select(ListingTrack).where(ListingTrack.stage == ListingStage.LISTED)
        ):
            awarded = {row.designation: row.awarded_on for row in track.enterprise.designation_rows}
            assert awarded[Designation.LISTED] == track.listed_on == track.stage_since


def test_the_same_seed_gives_the_same_tracks(seeded_app, tmp_path):
    again = seeded_demo_app(tmp_path, 400, 5, AS_OF)
    with again.app_context():
        second = _tracks()
        db.engine.dispose()
    with seeded_app.app_context():
        assert _tracks() == second

"""Fixtures of the listing tests: a track opened for the daninglu firm."""

from datetime import date, datetime

import pytest

from crm.listings import services
from models import Enterprise, ListingTrack, User

NOW = datetime(2026, 12, 4, 9, 0)
TODAY = NOW.date()


def open_for(
    actor: User, firm: Enterprise, stage: str = "candidate", since: date = date(2025, 3, 1)
) -> ListingTrack:
    data = services.TrackInput(
        board="star_market", stage=stage, stage_since=since, sponsor="中信证券"
    )
    return services.open_track(actor, firm.id, data, NOW)


def move(stage: str, on: date, note: str | None = None) -> services.MoveInput:
    return services.MoveInput(stage=stage, on=on, note=note)


@pytest.fixture
def track(manager: User, firm: Enterprise) -> ListingTrack:
    return open_for(manager, firm)

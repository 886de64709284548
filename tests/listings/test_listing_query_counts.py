"""The pipeline pages issue as many statements for many tracks, steps, actors and blockers as for
few. Every track here is opened by another user and its blockers go to other departments: a page
that reads each step's actor or each request's department one by one grows with them."""

from collections.abc import Iterator
from datetime import date
from itertools import count

from crm.listings import blockers, services
from models import ListingTrack, User, db
from tests import factories
from tests.helpers import bearer, counted_queries, log_in
from tests.listings.conftest import NOW, move, open_for

DEPARTMENTS = ("construction", "hrss", "ecology", "planning", "finance", "stec")
ROAD_AFTER_CANDIDATE = ("shareholding_reform", "sponsor_signed", "tutoring_filed")


def _departments() -> Iterator[str]:
    for n in count():
        yield DEPARTMENTS[n % len(DEPARTMENTS)]


def _add_tracks(count_of: int) -> None:
    """Tracks each opened, moved and given a blocker by users of their own."""
    departments = _departments()
    for _ in range(count_of):
        opener, mover = (factories.UserFactory(role="leader") for _ in range(2))
        track = open_for(opener, factories.EnterpriseFactory(), since=date(2026, 1, 5))
        services.advance_track(mover, track, move("sponsor_signed", date(2026, 2, 1)), 1, NOW)
        package = factories.PolicyPackageFactory(enterprise=track.enterprise, proposed_by=opener)
        blockers.attach_package(opener, track, package.id)
        data = blockers.BlockerInput("消防验收备案", next(departments), date(2026, 12, 30))
        blockers.add_blocker(mover, track, data, NOW)
    db.session.commit()


def _track_with(steps: int, blocker_count: int) -> int:
    """A track whose `steps` later steps are each recorded by another leader, with blockers
    filed to as many departments."""
    opener = factories.UserFactory(role="leader")
    track = open_for(opener, factories.EnterpriseFactory(), since=date(2026, 1, 5))
    for n, stage in enumerate(ROAD_AFTER_CANDIDATE[:steps]):
        mover = factories.UserFactory(role="leader")
        on = date(2026, 2 + n, 1)
        services.advance_track(mover, track, move(stage, on), track.version_id, NOW)
    departments = _departments()
    for _ in range(blocker_count):
        data = blockers.BlockerInput("证明", next(departments), date(2027, 1, 5))
        blockers.add_blocker(factories.UserFactory(role="leader"), track, data, NOW)
    db.session.commit()
    return track.id


def _add_blockers(leader_id: int, track_id: int, slugs: tuple[str, ...]) -> None:
    leader, track = db.session.get(User, leader_id), db.session.get(ListingTrack, track_id)
    for slug in slugs:
        blockers.add_blocker(
            leader, track, blockers.BlockerInput("证明", slug, date(2027, 1, 5)), NOW
        )
    db.session.commit()


def _statements(client, url: str, headers: dict[str, str] | None = None) -> int:
    client.get(url, headers=headers or {})  # the first answer fills caches (labels, the token)
    db.session.expunge_all()  # a request starts with an empty session, as in production
    with counted_queries() as statements:
        answer = client.get(url, headers=headers or {})
        answer.get_data()  # a download streams: its rows are read as the body is
    assert answer.status_code == 200, url
    return len(statements)


def _move_statements(client, track_id: int, headers: dict[str, str]) -> int:
    """The statements of pausing the track through the API, whose answer carries every step."""
    version = db.session.get(ListingTrack, track_id).version_id
    db.session.expunge_all()
    body = {"on": "2026-11-01", "note": "审计机构更换", "version_id": version}
    with counted_queries() as statements:
        answer = client.post(f"/api/v1/listings/{track_id}/pause", json=body, headers=headers)
    assert answer.status_code == 200, answer.json
    return len(statements)


def test_the_list_the_api_and_the_funnel_do_not_grow_with_the_tracks(client, leader):
    log_in(client, leader)
    headers = bearer(leader)
    _add_tracks(2)
    urls = ["/listings/", "/listings/funnel", "/api/v1/listings", "/listings/export?format=csv"]
    few = [_statements(client, url, headers) for url in urls]

    _add_tracks(6)
    many = [_statements(client, url, headers) for url in urls]

    assert many == few


def test_one_track_does_not_grow_with_its_steps_actors_and_blockers(client, leader):
    log_in(client, leader)
    headers = bearer(leader)
    few_id, many_id = _track_with(steps=1, blocker_count=1), _track_with(steps=3, blocker_count=4)
    warm_up_id = _track_with(steps=1, blocker_count=1)
    _move_statements(client, warm_up_id, headers)  # the first write fills caches (the token)

    for url in ("/listings/{id}", "/api/v1/listings/{id}"):
        few = _statements(client, url.format(id=few_id), headers)
        many = _statements(client, url.format(id=many_id), headers)
        assert many == few, url
    assert _move_statements(client, many_id, headers) == _move_statements(client, few_id, headers)


def test_the_track_page_does_not_grow_with_its_blockers(client, leader):
    log_in(client, leader)
    track = open_for(leader, factories.EnterpriseFactory(), since=date(2026, 1, 5))
    track_id, leader_id = track.id, leader.id
    _add_blockers(leader_id, track_id, ("hrss",))
    few = _statements(client, f"/listings/{track_id}")

    _add_blockers(leader_id, track_id, ("ecology", "planning", "finance"))
    many = _statements(client, f"/listings/{track_id}")

    assert many == few

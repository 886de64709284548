"""The pipeline pages issue as many statements for many tracks and blockers as for few."""

from datetime import date

from crm.api.auth import issue_token
from crm.listings import blockers
from models import ListingTrack, User, db
from tests import factories
from tests.helpers import counted_queries, log_in
from tests.listings.conftest import NOW, open_for


def _add_tracks(leader_id: int, count: int) -> None:
    leader = db.session.get(User, leader_id)
    for _ in range(count):
        track = open_for(leader, factories.EnterpriseFactory(), since=date(2026, 1, 5))
        package = factories.PolicyPackageFactory(enterprise=track.enterprise, proposed_by=leader)
        blockers.attach_package(leader, track, package.id)
        data = blockers.BlockerInput("消防验收备案", "construction", date(2026, 12, 30))
        blockers.add_blocker(leader, track, data, NOW)
    db.session.commit()


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
    assert answer.status_code == 200, url
    return len(statements)


def test_the_list_the_api_and_the_funnel_do_not_grow_with_the_tracks(client, leader):
    log_in(client, leader)
    headers = {"Authorization": f"Bearer {issue_token(leader)}"}
    leader_id = leader.id
    _add_tracks(leader_id, 2)
    urls = ["/listings/", "/listings/funnel", "/api/v1/listings"]
    few = [_statements(client, url, headers) for url in urls]

    _add_tracks(leader_id, 6)
    many = [_statements(client, url, headers) for url in urls]

    assert many == few


def test_the_track_page_does_not_grow_with_its_blockers(client, leader):
    log_in(client, leader)
    track = open_for(leader, factories.EnterpriseFactory(), since=date(2026, 1, 5))
    track_id, leader_id = track.id, leader.id
    _add_blockers(leader_id, track_id, ("hrss",))
    few = _statements(client, f"/listings/{track_id}")

    _add_blockers(leader_id, track_id, ("ecology", "planning", "finance"))
    many = _statements(client, f"/listings/{track_id}")

    assert many == few

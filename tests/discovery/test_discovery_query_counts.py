"""The discovery pages issue as many statements for many candidates as for a few."""

from models import db
from tests.discovery.helpers import candidate, event
from tests.helpers import counted_queries, log_in

PAGES = ("/discovery/", "/discovery/statistics", "/discovery/events/{event}", "/discovery/export")


def statements(client, event_id: int) -> dict[str, int]:
    db.session.commit()
    client.get("/discovery/events")  # the session and the user loaded again after the commit
    counts = {}
    for url in PAGES:
        with counted_queries() as found:
            response = client.get(url.format(event=event_id))
            response.get_data()
        assert response.status_code == 200
        counts[url] = len(found)
    return counts


def test_the_pages_do_not_query_per_candidate(client, leader):
    contest = event(leader)
    for number in range(3):
        candidate(
            leader, f"上海少量{number}科技有限公司", source_kind="competition", event_id=contest.id
        )
    log_in(client, leader)
    few = statements(client, contest.id)
    for number in range(12):
        candidate(
            leader, f"上海更多{number}科技有限公司", source_kind="competition", event_id=contest.id
        )

    many = statements(client, contest.id)

    assert many == few

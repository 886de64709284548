"""The package list pages by cursor, newest first and ties by id; the decision queue is bounded."""

from crm.policies import queries
from models import User, db
from tests import factories
from tests.helpers import counted_queries, item, log_in, propose

PER_PAGE = 2


def propose_packages(manager: User, count: int) -> list[int]:
    """`count` packages proposed at the same moment: every page boundary is a tie."""
    return [
        propose(manager, factories.EnterpriseFactory(), item("talent_housing", "2")).id
        for _ in range(count)
    ]


def test_packages_proposed_at_one_moment_page_by_id_each_once(manager):
    ids = propose_packages(manager, 5)
    query = queries.package_query(manager)

    first = queries.page_of(query, PER_PAGE)
    second = queries.page_of(query, PER_PAGE, after=first.next_cursor)
    third = queries.page_of(query, PER_PAGE, after=second.next_cursor)
    back = queries.page_of(query, PER_PAGE, before=third.previous_cursor)

    pages = [[row.id for row in page.rows] for page in (first, second, third)]
    assert pages == [sorted(ids, reverse=True)[i : i + 2] for i in (0, 2, 4)]
    assert third.next_cursor is None
    assert [row.id for row in back.rows] == pages[1]


def test_a_manager_pages_through_their_sub_district_only(manager):
    mine = propose_packages(manager, 3)
    other = factories.UserFactory(role="manager", sub_district_slug="jingansi")
    elsewhere = factories.EnterpriseFactory(sub_district_slug="jingansi")
    theirs = propose(other, elsewhere, item("talent_housing", "2"))

    page = queries.page_of(queries.package_query(manager), 10)

    assert sorted(row.id for row in page.rows) == sorted(mine)
    assert theirs.id not in [row.id for row in page.rows]


def test_the_decision_queue_shows_the_oldest_and_counts_them_all(leader, manager, monkeypatch):
    monkeypatch.setattr(queries, "QUEUE_LIMIT", 2)
    ids = propose_packages(manager, 3)

    queue, waiting = queries.decision_queue(leader)

    assert [package.id for package in queue] == ids[:2]
    assert (waiting.value, waiting.is_exact) == (3, True)


def test_the_list_issues_as_many_queries_for_many_packages_as_for_few(client, leader, manager):
    propose_packages(manager, 3)
    log_in(client, leader)
    db.session.commit()
    with counted_queries() as few:
        client.get("/packages/")
    propose_packages(manager, 60)
    db.session.commit()

    with counted_queries() as many:
        page = client.get("/packages/")

    assert len(many) == len(few)
    assert 'rel="next"' in page.text

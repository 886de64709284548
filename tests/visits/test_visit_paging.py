"""Visit lists page by cursor: every visit once, in order, ties broken by id, scope kept."""

from datetime import timedelta
from functools import partial

import pytest
from flask.testing import FlaskClient

from crm.keyset import Count, capped_count, encode
from crm.visits import queries
from models import RedFlag, User, db
from tests.factories import EnterpriseFactory, UserFactory
from tests.helpers import bearer, counted_queries, log_in, page_ids
from tests.visits.helpers import TODAY, logged, on_site, phone_call

PER_PAGE = 3


@pytest.fixture
def firms(app):
    return [EnterpriseFactory(sub_district_slug="daninglu") for _ in range(4)]


def log_visits(manager: User, firms: list, count: int) -> list[int]:
    """`count` visits, two a day, so page boundaries fall between tied days; on-site ones raise
    a red flag, so the firms show on the risk list too."""
    visits = []
    for number in range(count):
        day = TODAY - timedelta(days=number // 2)
        data = on_site(day, RedFlag.DOWNSIZING) if number % 3 == 0 else phone_call(day)
        visits.append(logged(manager, firms[number % len(firms)], data))
    return [visit.id for visit in visits]


def walk(user: User, forward: bool = True) -> list[list[int]]:
    query = queries.visit_query(user, queries.VisitFilter())
    return page_ids(partial(queries.page_of_visits, query, PER_PAGE), forward)


def test_the_pages_hold_every_visit_once_newest_first_ties_by_id(manager, firms):
    log_visits(manager, firms, 8)
    expected = [
        visit.id
        for visit in sorted(
            db.session.scalars(queries.visit_query(manager, queries.VisitFilter())),
            key=lambda visit: (visit.visited_on, visit.id),
            reverse=True,
        )
    ]

    pages = walk(manager)

    assert [len(page) for page in pages] == [3, 3, 2]
    assert [visit_id for page in pages for visit_id in page] == expected


def test_previous_leads_back_through_the_same_pages(manager, firms):
    log_visits(manager, firms, 8)
    pages = walk(manager)
    last = queries.page_of_visits(
        queries.visit_query(manager, queries.VisitFilter()), PER_PAGE, after=None
    )
    for _ in range(len(pages) - 1):
        last = queries.page_of_visits(
            queries.visit_query(manager, queries.VisitFilter()), PER_PAGE, after=last.next_cursor
        )

    back = queries.page_of_visits(
        queries.visit_query(manager, queries.VisitFilter()), PER_PAGE, before=last.previous_cursor
    )

    assert [visit.id for visit in back.rows] == pages[-2]
    assert back.next_cursor is not None


def test_a_page_exactly_full_has_no_next(manager, firms):
    log_visits(manager, firms, PER_PAGE)

    page = queries.page_of_visits(
        queries.visit_query(manager, queries.VisitFilter()), PER_PAGE, after=None
    )

    assert len(page.rows) == PER_PAGE
    assert (page.next_cursor, page.previous_cursor) == (None, None)


def test_a_manager_pages_through_their_sub_district_only(manager, firms):
    log_visits(manager, firms, 5)
    elsewhere = EnterpriseFactory(sub_district_slug="jingansi")
    other = UserFactory(role="manager", sub_district_slug="jingansi")
    theirs = logged(other, elsewhere, phone_call(TODAY))

    seen = [visit_id for page in walk(manager) for visit_id in page]

    assert len(seen) == 5
    assert theirs.id not in seen


def test_department_staff_list_only_the_visits_they_took_part_in(manager, firms):
    staff = UserFactory(role="department", department_slug="finance")
    log_visits(manager, firms, 4)
    joined = logged(manager, firms[0], phone_call(TODAY))
    joined.participants.append(staff)
    db.session.flush()

    assert walk(staff) == [[joined.id]]


def test_the_visits_page_links_next_and_refuses_a_forged_cursor(client, manager, firms):
    log_visits(manager, firms, 30)
    log_in(client, manager)

    first = client.get("/visits/")
    forged = client.get("/visits/?after=" + encode(0, ["not a day", 1]))

    assert 'rel="next"' in first.text
    assert "30 visits" in first.text
    assert forged.status_code == 400


def test_the_api_hands_out_a_next_cursor_that_continues_the_list(client, manager, firms):
    ids = log_visits(manager, firms, 5)
    headers = bearer(manager)

    first = client.get("/api/v1/visits?per_page=3", headers=headers).json
    second = client.get(f"/api/v1/visits?per_page=3&after={first['next']}", headers=headers).json
    bad = client.get("/api/v1/visits?after=zzz", headers=headers)

    listed = [item["id"] for item in first["items"] + second["items"]]
    assert sorted(listed) == sorted(ids)
    assert (first["total"], first["total_is_exact"], second["next"]) == (5, True, None)
    assert bad.status_code == 422


@pytest.mark.parametrize("path", ["/visits/", "/visits/risks", "/visits/overdue"])
def test_a_visit_list_issues_as_many_queries_for_many_rows_as_for_few(
    client: FlaskClient, app, manager, firms, path
):
    app.config["CRM_PAGE_SIZE"] = 5
    log_visits(manager, firms, 6)
    log_in(client, manager)
    db.session.commit()  # both rounds start from an empty identity map
    with counted_queries() as few:
        client.get(path)
    log_visits(manager, firms, 20)
    db.session.commit()

    with counted_queries() as many:
        client.get(path)

    assert len(many) == len(few)


def test_the_count_stops_after_the_cap_and_says_so(manager, firms):
    log_visits(manager, firms, 5)
    query = queries.visit_query(manager, queries.VisitFilter())

    assert capped_count(query, cap=3) == Count(3, is_exact=False)
    assert capped_count(query, cap=5) == Count(5, is_exact=True)

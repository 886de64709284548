"""The inbox pages by cursor: pending work first, soonest due, ties by id, scope kept."""

from datetime import date, timedelta
from functools import partial

from crm.requests import queries
from models import EnterpriseRequest, RequestState, User, db
from tests.factories import EnterpriseRequestFactory
from tests.helpers import api_headers, counted_queries, log_in, page_ids

PER_PAGE = 3
TODAY = date(2026, 3, 3)
DUE = date(2026, 3, 12)


def raise_requests(firm: object, count: int, **fields: object) -> list[EnterpriseRequest]:
    """Alternately pending and closed, two per due day, so ties cross every page boundary."""
    return [
        EnterpriseRequestFactory(
            enterprise=firm,
            due_on=DUE + timedelta(days=number // 4),
            **{"state": RequestState.OPEN if number % 2 else RequestState.CLOSED, **fields},
        )
        for number in range(count)
    ]


def walk(user: User, filters: queries.RequestFilter, forward: bool = True) -> list[list[int]]:
    query = queries.request_query(user, filters, TODAY)
    return page_ids(partial(queries.page_of, query, filters, PER_PAGE), forward)


def test_the_pages_hold_pending_requests_first_then_finished_each_soonest_due(leader, firm):
    made = raise_requests(firm, 11)
    pending = sorted(
        (r for r in made if r.state == RequestState.OPEN), key=lambda r: (r.due_on, r.id)
    )
    finished = sorted(
        (r for r in made if r.state == RequestState.CLOSED), key=lambda r: (r.due_on, r.id)
    )

    pages = walk(leader, queries.RequestFilter())

    assert [len(page) for page in pages] == [3, 3, 3, 2]
    assert [row_id for page in pages for row_id in page] == [r.id for r in pending + finished]


def test_previous_pages_are_the_same_pages_backwards(leader, firm):
    raise_requests(firm, 11)
    forward = walk(leader, queries.RequestFilter())
    query = queries.request_query(leader, queries.RequestFilter(), TODAY)
    page = queries.page_of(query, queries.RequestFilter(), PER_PAGE)
    while page.next_cursor is not None:
        page = queries.page_of(query, queries.RequestFilter(), PER_PAGE, after=page.next_cursor)

    backward = []
    while page.previous_cursor is not None:
        page = queries.page_of(
            query, queries.RequestFilter(), PER_PAGE, before=page.previous_cursor
        )
        backward.append([row.id for row in page.rows])

    assert backward == forward[-2::-1]


def test_a_state_filter_reads_only_its_segment(leader, firm):
    made = raise_requests(firm, 8)

    pages = walk(leader, queries.RequestFilter(state="closed"))

    closed = [r.id for r in sorted(made, key=lambda r: (r.due_on, r.id)) if r.state == "closed"]
    assert [row_id for page in pages for row_id in page] == closed


def test_department_staff_page_through_their_inbox_only(finance_staff, firm):
    mine = raise_requests(firm, 5)
    raise_requests(firm, 4, department_slug="stec")

    seen = [row_id for page in walk(finance_staff, queries.RequestFilter()) for row_id in page]

    assert sorted(seen) == sorted(r.id for r in mine)


def test_the_inbox_and_the_api_issue_as_many_queries_for_many_rows_as_for_few(
    app, client, leader, firm, other_firm
):
    app.config["CRM_PAGE_SIZE"] = 5
    raise_requests(firm, 6)
    headers = api_headers(client, leader)
    log_in(client, leader)
    client.get("/api/v1/requests", headers=headers)  # a token's first use records last_used_at
    db.session.commit()
    with counted_queries() as few:
        client.get("/requests/")
        client.get("/api/v1/requests", headers=headers)
    # The first page still crosses from pending to finished: the same statements, more rows.
    raise_requests(other_firm, 20, department_slug="stec", state=RequestState.CLOSED)
    db.session.commit()

    with counted_queries() as many:
        page = client.get("/requests/")
        answer = client.get("/api/v1/requests", headers=headers).json

    assert len(many) == len(few)
    assert 'rel="next"' in page.text
    assert (answer["total"], len(answer["items"]), answer["next"] is not None) == (26, 5, True)

"""Paging the ranking by key: boundaries, tied ranks, scope, and a page's fixed query count."""

import pytest
from flask import Flask
from flask.testing import FlaskClient

from crm.enterprises.queries import ReservoirFilter
from crm.pipeline.ranking import PagePlace, parse_key, pipeline_page, run_tally
from crm.pipeline.rescoring import rescore
from models import Enterprise, User, db
from tests.factories import EnterpriseFactory, PotentialScoreFactory, ScoringRunFactory, UserFactory
from tests.helpers import PIPELINE_AS_OF as AS_OF
from tests.helpers import PIPELINE_NOW as NOW
from tests.helpers import api_headers, counted_queries, firm_with_figures, log_in

TIED_RANKS = (1, 2, 2, 2, 3, 4, 5)  # three firms share rank 2


def scored_by_hand(ranks: tuple[int, ...], sub_districts: tuple[str, ...]) -> list[Enterprise]:
    """One run scoring a firm per rank, in the given sub-districts (cycled)."""
    run = ScoringRunFactory(scorer="index", as_of=AS_OF, scored_at=NOW, firms=len(ranks))
    firms = []
    for number, rank in enumerate(ranks):
        firm = EnterpriseFactory(sub_district_slug=sub_districts[number % len(sub_districts)])
        PotentialScoreFactory(
            run=run, enterprise=firm, score=1 - rank / 10, percentile=1 - rank / 10, rank=rank
        )
        firms.append(firm)
    run.tally = run_tally(run)
    db.session.commit()
    return firms


def keys(rows: list) -> list[tuple[int, int]]:
    return [(row.score.rank, row.enterprise.id) for row in rows]


def test_pages_continue_from_the_last_key_across_tied_ranks(app: Flask, leader: User) -> None:
    firms = scored_by_hand(TIED_RANKS, ("daninglu",))
    everyone = ReservoirFilter()

    first = pipeline_page(leader, everyone, 3)
    second = pipeline_page(leader, everyone, 3, PagePlace(page=2, after=first.next_key))
    third = pipeline_page(leader, everyone, 3, PagePlace(page=3, after=second.next_key))
    back = pipeline_page(leader, everyone, 3, PagePlace(page=2, before=third.previous_key))

    expected = sorted((rank, firm.id) for rank, firm in zip(TIED_RANKS, firms, strict=True))
    assert keys(first.rows) + keys(second.rows) + keys(third.rows) == expected
    assert first.rows[-1].score.rank == second.rows[0].score.rank == 2  # the tie spans the break
    assert third.next_key is None
    assert first.previous_key is None
    assert keys(back.rows) == keys(second.rows)
    assert first.total == len(TIED_RANKS)


def test_a_page_number_lands_where_following_the_links_does(app: Flask, leader: User) -> None:
    scored_by_hand(TIED_RANKS, ("daninglu",))
    everyone = ReservoirFilter()

    first = pipeline_page(leader, everyone, 3)
    by_link = pipeline_page(leader, everyone, 3, PagePlace(page=2, after=first.next_key))
    by_number = pipeline_page(leader, everyone, 3, PagePlace(page=2))

    assert keys(by_number.rows) == keys(by_link.rows)


def test_a_manager_pages_through_their_sub_district_only_with_the_run_ranks(
    app: Flask, manager: User
) -> None:
    firms = scored_by_hand(TIED_RANKS, ("daninglu", "jiangninglu"))
    own = {firm.id for firm in firms if firm.sub_district.slug == "daninglu"}

    first = pipeline_page(manager, ReservoirFilter(), 2)
    rest = pipeline_page(manager, ReservoirFilter(), 2, PagePlace(page=2, after=first.next_key))

    shown = first.rows + rest.rows
    assert {row.enterprise.id for row in shown} == own
    assert [row.score.rank for row in shown] == sorted(
        rank for rank, firm in zip(TIED_RANKS, firms, strict=True) if firm.id in own
    )
    assert first.total == len(own)


def test_counts_come_from_the_runs_tally_and_a_search_has_none(app: Flask, leader: User) -> None:
    scored_by_hand(TIED_RANKS, ("daninglu", "jiangninglu"))

    narrowed = pipeline_page(leader, ReservoirFilter(sub_district="jiangninglu"), 10)
    searched = pipeline_page(leader, ReservoirFilter(q="a"), 10)

    assert narrowed.total == len(narrowed.rows) == 3
    assert searched.total is None


def queries_per_page(client: FlaskClient, path: str) -> int:
    client.get(path)  # the first request of a session loads what later ones find cached
    with counted_queries() as statements:
        assert client.get(path).status_code == 200
    return len(statements)


PATHS = ("/pipeline/", "/pipeline/?page=2", "/pipeline/?sub_district=daninglu")


@pytest.mark.parametrize("path", PATHS)
def test_a_page_issues_as_many_queries_for_a_few_firms_as_for_many(
    app: Flask, client: FlaskClient, path: str
) -> None:
    app.config["CRM_PAGE_SIZE"] = 3
    for number in range(4):
        firm_with_figures(number)
    manager = UserFactory(role="manager", sub_district_slug="daninglu")
    leader = UserFactory(role="leader")
    db.session.commit()
    rescore(AS_OF, NOW)
    rescore(AS_OF, NOW)  # a run before the latest: the page shows each firm's change
    counts = []
    for user in (leader, manager):
        log_in(client, user)
        counts.append(queries_per_page(client, path))

    for number in range(4, 24):
        firm_with_figures(number, sub_district="daninglu" if number % 2 else "jiangninglu")
    db.session.commit()
    rescore(AS_OF, NOW)
    more = []
    for user in (leader, manager):
        log_in(client, user)
        more.append(queries_per_page(client, path))

    assert more == counts


def test_the_api_continues_after_the_key_it_returned(client: FlaskClient, leader: User) -> None:
    scored_by_hand(TIED_RANKS, ("daninglu",))
    headers = api_headers(client, leader)

    first = client.get("/api/v1/pipeline?limit=3", headers=headers).json
    by_key = client.get(f"/api/v1/pipeline?limit=3&after={first['next']}", headers=headers)
    by_page = client.get("/api/v1/pipeline?limit=3&page=2", headers=headers)

    assert by_key.json["items"] == by_page.json["items"]
    assert first["total"] == len(TIED_RANKS)


@pytest.mark.parametrize("cursor", ["garbage", "²-1", "1-", "-1", "12345678901-1"])
def test_the_api_refuses_a_key_it_never_gave_naming_the_field(
    client: FlaskClient, leader: User, cursor: str
) -> None:
    scored_by_hand(TIED_RANKS, ("daninglu",))
    headers = api_headers(client, leader)

    response = client.get("/api/v1/pipeline", query_string={"after": cursor}, headers=headers)

    assert response.status_code == 422
    assert "after" in response.json["errors"]


def test_a_page_link_with_a_foreign_key_shows_the_first_page() -> None:
    assert parse_key("²-1") is None
    assert parse_key("3-17") == (3, 17)

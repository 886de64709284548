"""Lists that grow stay bounded (events paged, dropdowns of recent events, statistics of the
largest sources), and digits Python reads as digits but int() refuses never give a 500."""

import io
from datetime import date, timedelta

import pytest

from crm.clock import today
from crm.discovery import event_views, events, stats
from crm.discovery.importing import IntakeSource, intake_file
from crm.discovery.queries import CandidateFilter
from models import EventParticipant, SourceKind, db
from tests.discovery.helpers import NOW, candidate
from tests.helpers import bearer, log_in


def dated_event(leader, name: str, held_on: date):
    data = events.EventInput(kind="competition", name=name, held_on=held_on)
    return events.save_event(leader, None, data, NOW)


# -- digits --------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["²", "①", "٣", "12345678901"])
def test_a_non_ascii_event_id_is_no_filter(raw):
    assert CandidateFilter.from_args({"event_id": raw}).event_id is None


@pytest.mark.parametrize("url", ["/discovery/?event_id=²", "/discovery/export?event_id=①"])
def test_the_list_and_export_take_a_superscript_event_id(client, leader, url):
    log_in(client, leader)

    assert client.get(url).status_code == 200


@pytest.mark.parametrize(("written", "rank"), [("①", 1), ("⑳", 20), ("３", 3), ("7", 7)])
def test_circled_and_full_width_ranks_are_read(leader, written, rank):
    contest = dated_event(leader, "创新创业大赛", today())
    content = f"企业名称,产业赛道,名次\n上海甲科技有限公司,人工智能,{written}\n".encode()
    source = IntakeSource(SourceKind.COMPETITION.value, None, contest.id)

    report = intake_file(leader, "list.csv", content, source, NOW, dry_run=False)

    assert report.errors == []
    assert db.session.scalars(db.select(EventParticipant.rank)).all() == [rank]


@pytest.mark.parametrize("written", ["²", "㉑", "0", "100001", "1234567"])
def test_a_rank_that_is_no_whole_number_is_a_row_error(leader, written):
    content = f"企业名称,产业赛道,名次\n上海甲科技有限公司,人工智能,{written}\n".encode()
    source = IntakeSource(SourceKind.INVESTOR.value, "启明创投")

    report = intake_file(leader, "list.csv", content, source, NOW, dry_run=True)

    assert [(p.line, p.column, p.message) for p in report.errors] == [
        (2, "名次", "Write a whole number such as 3.")
    ]


def test_a_superscript_event_on_confirmation_is_no_500(client, leader):
    content = "企业名称,产业赛道\n上海甲智能科技有限公司,人工智能\n".encode()
    log_in(client, leader)
    preview = client.post(
        "/discovery/intake",
        data={"file": (io.BytesIO(content), "list.csv"), "source_kind": "investor"},
        content_type="multipart/form-data",
    )
    token = preview.text.split('name="token" type="hidden" value="')[1].split('"')[0]

    confirmed = client.post(
        "/discovery/intake/confirm",
        data={"token": token, "source_kind": "investor", "source_name": "", "event_id": "²"},
    )

    assert confirmed.status_code == 302


# -- events paged --------------------------------------------------------------------------


def test_the_events_page_is_paged_latest_first(client, leader, monkeypatch):
    for number in range(3):
        dated_event(leader, f"路演第{number}场", date(2026, 1, 1) + timedelta(days=number))
    monkeypatch.setattr(event_views, "EVENTS_PER_PAGE", 2)
    log_in(client, leader)

    first = client.get("/discovery/events")
    cursor = first.text.split("after=")[1].split('"')[0]
    second = client.get(f"/discovery/events?after={cursor}")

    assert "路演第2场" in first.text
    assert "路演第1场" in first.text
    assert "路演第0场" not in first.text
    assert "路演第0场" in second.text
    assert "路演第2场" not in second.text


def test_the_events_api_is_paged(client, leader):
    for number in range(3):
        dated_event(leader, f"路演第{number}场", date(2026, 1, 1) + timedelta(days=number))
    headers = bearer(leader)

    first = client.get("/api/v1/discovery/events?per_page=2", headers=headers)
    second = client.get(
        f"/api/v1/discovery/events?per_page=2&after={first.json['next']}", headers=headers
    )
    forged = client.get("/api/v1/discovery/events?after=bm9wZQ", headers=headers)
    too_many = client.get("/api/v1/discovery/events?per_page=999", headers=headers)

    assert [item["name"] for item in first.json["items"]] == ["路演第2场", "路演第1场"]
    assert (first.json["total"], first.json["total_is_exact"]) == (3, True)
    assert [item["name"] for item in second.json["items"]] == ["路演第0场"]
    assert second.json["next"] is None
    assert (forged.status_code, list(forged.json["errors"])) == (422, ["after"])
    assert (too_many.status_code, list(too_many.json["errors"])) == (422, ["per_page"])


def test_dropdowns_offer_recent_events_at_most_the_cap(client, leader, monkeypatch):
    old = dated_event(leader, "多年前的路演", today() - timedelta(days=4 * 365))
    for number in range(3):
        dated_event(leader, f"近期路演{number}", today() - timedelta(days=number))
    monkeypatch.setattr(events, "MAX_OPTIONS", 2)
    log_in(client, leader)

    form = client.get("/discovery/new").text
    filtered = client.get(f"/discovery/?event_id={old.id}").text

    assert "近期路演0" in form
    assert "近期路演1" in form
    assert "近期路演2" not in form  # past the cap
    assert "多年前的路演" not in form
    assert f'<option value="{old.id}" selected>多年前的路演' in filtered


def test_an_older_event_chosen_on_the_form_is_accepted(client, manager, leader):
    old = dated_event(leader, "多年前的路演", today() - timedelta(days=4 * 365))
    log_in(client, manager)

    response = client.post(
        "/discovery/new",
        data={
            "name": "上海往届科技有限公司",
            "track": "ai",
            "source_kind": "roadshow",
            "event_id": str(old.id),
        },
    )

    assert response.status_code == 302


# -- statistics bounded --------------------------------------------------------------------


def many_sources(leader, count: int) -> None:
    """`count` named sources, source i with i + 1 candidates (so the order is known)."""
    for source in range(count):
        for number in range(source + 1):
            candidate(
                leader,
                f"上海来源{source}第{number}科技有限公司",
                source_name=f"基金{source}",
            )


def test_the_statistics_list_the_largest_sources_and_sum_the_rest(leader):
    many_sources(leader, 4)

    found = stats.by_source_name(limit=2)

    assert [row.key for row in found.rows] == ["基金3", "基金2"]
    assert found.is_truncated
    assert found.other is not None
    assert found.other.candidates == 2 + 1
    assert not stats.by_source_name(limit=4).is_truncated


def test_the_statistics_page_and_api_say_more_sources_exist(client, leader, monkeypatch):
    many_sources(leader, 3)
    monkeypatch.setattr(stats, "TOP_ROWS", 2)
    headers = bearer(leader)
    log_in(client, leader)

    page = client.get("/discovery/statistics").text
    answer = client.get("/api/v1/discovery/statistics", headers=headers).json

    table = page.split('data-testid="by-source-name"')[1].split("</table>")[0]
    assert "基金0" not in table
    assert "Other sources" in table
    assert 'data-testid="by-source-name-truncated"' in page
    assert [row["key"] for row in answer["by_source_name"]] == ["基金2", "基金1"]
    assert answer["by_source_name_other"]["candidates"] == 1
    assert answer["by_event_other"] is None
    assert answer["truncated"] is True

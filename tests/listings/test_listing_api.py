from datetime import date

from models import Designation
from tests import factories
from tests.helpers import bearer
from tests.listings.conftest import open_for


def test_a_manager_opens_and_advances_a_track_through_the_api(client, manager, firm):
    headers = bearer(manager)
    opened = client.post(
        "/api/v1/listings",
        json={"enterprise_id": firm.id, "board": "chinext", "stage_since": "2026-01-05"},
        headers=headers,
    )
    assert opened.status_code == 201
    track_id = opened.json["id"]

    moved = client.post(
        f"/api/v1/listings/{track_id}/advance",
        json={"stage": "listed", "on": "2026-11-30", "stock_code": "301999", "version_id": 1},
        headers=headers,
    )

    assert moved.status_code == 200
    assert moved.json["stage"] == "listed"
    assert [step["to_stage"] for step in moved.json["steps"]] == ["candidate", "listed"]
    assert Designation.LISTED in firm.designations


def test_a_stale_version_answers_409_naming_it(client, manager, firm):
    track = open_for(manager, firm)

    answer = client.post(
        f"/api/v1/listings/{track.id}/advance",
        json={"stage": "inquiry", "on": "2026-05-01", "version_id": 7},
        headers=bearer(manager),
    )

    assert answer.status_code == 409
    assert "version_id" in answer.json["errors"]


def test_bad_input_answers_422_naming_the_field(client, manager, firm):
    track = open_for(manager, firm)
    headers = bearer(manager)

    bad_board = client.post(
        "/api/v1/listings", json={"enterprise_id": firm.id, "board": "nasdaq"}, headers=headers
    )
    no_reason = client.post(
        f"/api/v1/listings/{track.id}/pause",
        json={"on": "2026-05-01", "version_id": 1},
        headers=headers,
    )

    assert bad_board.status_code == 422
    assert "board" in bad_board.json["errors"]
    assert no_reason.status_code == 422
    assert "note" in no_reason.json["errors"]


def test_a_blocker_added_through_the_api_files_a_request(client, manager, firm):
    track = open_for(manager, firm)

    answer = client.post(
        f"/api/v1/listings/{track.id}/blockers",
        json={"description": "社保缴纳不规范", "department": "stec", "due_on": "2026-12-30"},
        headers=bearer(manager),
    )

    assert answer.status_code == 201
    assert answer.json["request_state"] == "open"
    assert answer.json["is_resolved"] is False


def test_another_sub_districts_manager_gets_404(client, manager, firm):
    track = open_for(manager, firm)
    stranger = factories.UserFactory(role="manager", sub_district_slug="linfenlu")
    headers = bearer(stranger)

    assert client.get(f"/api/v1/listings/{track.id}", headers=headers).status_code == 404
    moved = client.post(
        f"/api/v1/listings/{track.id}/advance",
        json={"stage": "inquiry", "on": "2026-05-01", "version_id": 1},
        headers=headers,
    )
    assert moved.status_code == 404
    listed = client.get("/api/v1/listings", headers=headers)
    assert listed.json["items"] == []


def test_the_list_pages_longest_in_stage_first(client, leader, manager):
    firms = [factories.EnterpriseFactory() for _ in range(3)]
    for firm, since in zip(
        firms, [date(2026, 3, 1), date(2025, 1, 1), date(2026, 1, 1)], strict=True
    ):
        open_for(manager, firm, since=since)

    answer = client.get("/api/v1/listings?per_page=2", headers=bearer(leader))

    assert [item["enterprise_id"] for item in answer.json["items"]] == [firms[1].id, firms[2].id]
    assert answer.json["next"]

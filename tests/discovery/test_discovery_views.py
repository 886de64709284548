import io

from models import CandidateState, DiscoveryCandidate, Enterprise, db
from tests import factories
from tests.discovery.helpers import candidate, event
from tests.factories import valid_uscc
from tests.helpers import bearer, log_in


def admit_on_the_page(client, record, tier, uscc_number):
    return client.post(
        f"/discovery/{record.id}/decision",
        data={
            "decision": "admit",
            "tier": tier,
            "uscc": valid_uscc(uscc_number),
            "version_id": str(record.version_id),
        },
    )


def test_the_list_shows_the_candidates_in_scope(manager, logged_in):
    mine = candidate(manager, "上海我的科技有限公司")
    theirs = candidate(
        factories.UserFactory(role="leader"), "上海别处科技有限公司", sub_district="jingansi"
    )

    page = logged_in.get("/discovery/")

    assert page.status_code == 200
    assert mine.name in page.text
    assert theirs.name not in page.text


def test_a_candidate_of_another_sub_district_is_not_found(client, leader):
    record = candidate(leader, sub_district="jingansi")
    log_in(client, factories.UserFactory(role="manager", sub_district_slug="daninglu"))

    assert client.get(f"/discovery/{record.id}").status_code == 404


def test_the_candidate_page_shows_its_reservoir_duplicate(manager, firm, logged_in):
    record = candidate(manager, "大宁智算科技（上海）有限公司")

    page = logged_in.get(f"/discovery/{record.id}")

    assert 'data-testid="duplicates"' in page.text
    assert firm.name in page.text


def test_a_manager_takes_in_a_candidate_through_the_form(logged_in):
    response = logged_in.post(
        "/discovery/new",
        data={
            "name": "上海新星科技有限公司",
            "track": "ai",
            "source_kind": "own_search",
            "event_id": "0",
        },
    )

    assert response.status_code == 302
    assert db.session.scalars(db.select(DiscoveryCandidate.name)).all() == ["上海新星科技有限公司"]


def test_a_stale_decision_answers_409(manager, logged_in):
    record = candidate(manager)

    response = logged_in.post(
        f"/discovery/{record.id}/decision",
        data={"decision": "decline", "reason": "太早", "version_id": "99"},
    )

    assert response.status_code == 409
    assert record.state == CandidateState.NEW


def test_declining_without_a_reason_shows_the_field_error(manager, logged_in):
    record = candidate(manager)

    response = logged_in.post(
        f"/discovery/{record.id}/decision",
        data={"decision": "decline", "version_id": str(record.version_id)},
    )

    assert response.status_code == 422
    assert "Say why the candidate is declined." in response.text


def test_admitting_through_the_page_puts_the_firm_in_the_reservoir(manager, logged_in):
    record = candidate(manager)

    response = admit_on_the_page(logged_in, record, "tech_based", 600001)

    assert response.status_code == 302
    firm = db.session.scalars(db.select(Enterprise).where(Enterprise.name == record.name)).one()
    assert logged_in.get(f"/enterprises/{firm.id}").status_code == 200


def test_the_firm_page_shows_the_events_it_took_part_in(manager, leader, logged_in):
    contest = event(leader, "张江路演", kind="roadshow")
    record = candidate(manager, source_kind="roadshow", event_id=contest.id)
    admit_on_the_page(logged_in, record, "reservoir", 600002)

    page = logged_in.get(f"/enterprises/{record.admitted_enterprise_id}")

    assert 'data-testid="discovery-panel"' in page.text
    assert "张江路演" in page.text


def test_a_leader_uploads_a_list_previews_and_confirms(leader, leader_client):
    contest = event(leader)
    content = "企业名称,产业赛道,奖项\n上海甲智能科技有限公司,人工智能,一等奖\n".encode()

    preview = leader_client.post(
        "/discovery/intake",
        data={
            "file": (io.BytesIO(content), "list.csv"),
            "source_kind": "competition",
            "event_id": str(contest.id),
        },
        content_type="multipart/form-data",
    )
    token = preview.text.split('name="token" type="hidden" value="')[1].split('"')[0]
    confirmed = leader_client.post(
        "/discovery/intake/confirm",
        data={
            "token": token,
            "source_kind": "competition",
            "source_name": "",
            "event_id": str(contest.id),
        },
    )

    assert preview.status_code == 200
    assert confirmed.status_code == 302
    assert db.session.scalars(db.select(DiscoveryCandidate.award)).all() == ["一等奖"]


def test_the_statistics_page_and_export_answer(manager, leader_client):
    candidate(manager)

    assert leader_client.get("/discovery/statistics").status_code == 200
    export = leader_client.get("/discovery/export?format=csv")
    assert export.status_code == 200
    assert "上海星河智能科技有限公司" in export.get_data(as_text=True)
    assert leader_client.get("/discovery/intake/template.xlsx").status_code == 200
    assert leader_client.get("/discovery/events").status_code == 200


def test_department_staff_get_403_on_the_statistics(client):
    log_in(client, factories.UserFactory(role="department"))

    assert client.get("/discovery/statistics").status_code == 403


def test_the_api_lists_only_the_callers_candidates(client, manager, leader):
    mine = candidate(manager)
    candidate(leader, "上海别处科技有限公司", sub_district="jingansi")

    response = client.get("/api/v1/discovery/candidates", headers=bearer(manager))

    assert response.status_code == 200
    assert [item["id"] for item in response.json["items"]] == [mine.id]


def test_the_api_gives_a_candidate_with_its_duplicates_and_404_out_of_scope(client, manager, firm):
    record = candidate(manager, "大宁智算科技有限公司")
    stranger = factories.UserFactory(role="manager", sub_district_slug="jingansi")

    found = client.get(f"/api/v1/discovery/candidates/{record.id}", headers=bearer(manager))
    hidden = client.get(f"/api/v1/discovery/candidates/{record.id}", headers=bearer(stranger))

    assert found.json["duplicates"] == [
        {
            "kind": "enterprise",
            "id": firm.id,
            "name": firm.name,
            "uscc": firm.uscc,
            "by_code": False,
            "outside_scope": False,
        }
    ]
    assert hidden.status_code == 404


def test_the_api_names_the_bad_field(client, manager):
    response = client.post(
        "/api/v1/discovery/candidates",
        json={
            "name": "上海甲科技有限公司",
            "track": "ai",
            "source_kind": "investor",
            "uscc": "123",
        },
        headers=bearer(manager),
    )

    assert response.status_code == 422
    assert "uscc" in response.json["errors"]


def test_the_api_screens_decides_and_refuses_a_stale_version(client, manager):
    headers = bearer(manager)
    created = client.post(
        "/api/v1/discovery/candidates",
        json={"name": "上海甲科技有限公司", "track": "ai", "source_kind": "investor"},
        headers=headers,
    )
    url = f"/api/v1/discovery/candidates/{created.json['id']}"

    screened = client.post(
        f"{url}/screening",
        json={"screened_on": "2026-12-01", "score": 4, "version_id": 1},
        headers=headers,
    )
    stale = client.post(
        f"{url}/decision",
        json={"decision": "decline", "reason": "x", "version_id": 1},
        headers=headers,
    )
    admitted = client.post(
        f"{url}/decision",
        json={
            "decision": "admit",
            "tier": "reservoir",
            "uscc": valid_uscc(600003),
            "zone": "daning",
            "version_id": 2,
        },
        headers=headers,
    )

    assert created.status_code == 201
    assert (screened.status_code, screened.json["state"]) == (200, "screening")
    assert (stale.status_code, list(stale.json["errors"])) == (409, ["version_id"])
    assert (admitted.status_code, admitted.json["state"]) == (200, "admitted")


def test_the_api_refuses_admitting_a_code_in_the_reservoir(client, manager, firm):
    record = candidate(manager, "上海别名科技有限公司", uscc=firm.uscc)

    response = client.post(
        f"/api/v1/discovery/candidates/{record.id}/decision",
        json={"decision": "admit", "tier": "reservoir", "version_id": record.version_id},
        headers=bearer(manager),
    )

    assert response.status_code == 409
    assert response.json["errors"]["enterprise_id"] == [str(firm.id)]


def test_the_api_lists_events_and_statistics(client, leader):
    event(leader)
    headers = bearer(leader)

    events = client.get("/api/v1/discovery/events", headers=headers)
    statistics = client.get("/api/v1/discovery/statistics", headers=headers)

    assert [item["name"] for item in events.json["items"]] == ["创新创业大赛静安赛区"]
    assert {"by_source_kind", "by_source_name", "by_event"} <= set(statistics.json)
    assert statistics.json["truncated"] is False


def test_the_form_shows_duplicates_and_saves_once_they_are_checked(firm, logged_in):
    data = {"name": "大宁智算科技（上海）有限公司", "track": "ai", "source_kind": "own_search"}

    shown = logged_in.post("/discovery/new", data=data | {"event_id": "0"})
    saved = logged_in.post(
        "/discovery/new", data=data | {"event_id": "0", "duplicates_checked": "y"}
    )

    assert shown.status_code == 422
    assert 'data-testid="duplicates"' in shown.text
    assert firm.name in shown.text
    assert saved.status_code == 302


def test_a_stale_edit_shows_the_form_again_with_409(client, manager):
    record = candidate(manager)
    log_in(client, manager)
    data = {"name": "上海改名科技有限公司", "track": "ai", "source_kind": "investor"}

    stale = client.post(f"/discovery/{record.id}/edit", data=data | {"version_id": "99"})
    saved = client.post(f"/discovery/{record.id}/edit", data=data | {"version_id": "1"})

    assert stale.status_code == 409
    assert saved.status_code == 302
    assert record.name == "上海改名科技有限公司"


def test_an_admitted_candidate_is_no_duplicate_of_its_own_firm(manager, logged_in):
    record = candidate(manager)
    admit_on_the_page(logged_in, record, "reservoir", 600009)

    page = logged_in.get(f"/discovery/{record.id}")

    assert 'data-testid="admitted-firm"' in page.text
    assert 'data-testid="duplicates"' not in page.text


def test_the_state_shows_as_a_coloured_badge(manager, logged_in):
    record = candidate(manager)

    page = logged_in.get(f"/discovery/{record.id}")

    assert 'class="badge text-bg-info" data-testid="candidate-state"' in page.text

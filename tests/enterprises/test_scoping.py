"""Who sees and changes which firms, through every door: pages and API alike."""

import pytest

from models import Enterprise, db
from tests.factories import EnterpriseFactory, UserFactory, valid_uscc
from tests.helpers import api_headers, firm_form_fields, log_in, row_count

OWN_FIRM = "上海大宁智算科技有限公司"
OTHER_FIRM = "上海静安寺金融科技有限公司"


@pytest.fixture
def firms(app) -> dict[str, Enterprise]:
    """One firm in daninglu (the manager fixture's sub-district) and one in jingansi."""
    return {
        "own": EnterpriseFactory(name=OWN_FIRM, sub_district_slug="daninglu"),
        "other": EnterpriseFactory(name=OTHER_FIRM, sub_district_slug="jingansi"),
    }


def firm_form(**changes: str) -> dict[str, str]:
    """What the firm form posts for a new daninglu firm, with some fields changed."""
    quantum = firm_form_fields("上海大宁量子计算有限公司", valid_uscc(700001), track="quantum")
    return quantum | changes


# Account managers: their own sub-district only


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/enterprises/{id}"),
        ("GET", "/enterprises/{id}/edit"),
        ("POST", "/enterprises/{id}/edit"),
        ("POST", "/enterprises/{id}/figures"),
        ("POST", "/enterprises/{id}/contacts"),
    ],
)
def test_a_manager_gets_404_on_pages_of_another_sub_districts_firm(
    client, manager, firms, method, url
):
    log_in(client, manager)
    other = firms["other"]

    response = client.open(url.format(id=other.id), method=method, data=firm_form(name="Taken"))

    assert response.status_code == 404
    assert db.session.get(Enterprise, other.id).name == OTHER_FIRM
    assert (other.yearly_figures, other.contacts) == ([], [])


def test_a_manager_gets_404_from_the_api_on_another_sub_districts_firm(client, manager, firms):
    headers = api_headers(client, manager)
    other = firms["other"]

    read = client.get(f"/api/v1/enterprises/{other.id}", headers=headers)
    patch = client.patch(
        f"/api/v1/enterprises/{other.id}", json={"version_id": 1, "name": "Taken"}, headers=headers
    )

    assert (read.status_code, patch.status_code) == (404, 404)
    assert db.session.get(Enterprise, other.id).name == OTHER_FIRM


def test_a_managers_list_shows_only_their_sub_district(client, manager, firms):
    log_in(client, manager)

    response = client.get("/enterprises/")

    assert OWN_FIRM in response.text
    assert OTHER_FIRM not in response.text


def test_a_managers_list_ignores_a_filter_for_another_sub_district(client, manager, firms):
    log_in(client, manager)

    response = client.get("/enterprises/?sub_district=jingansi")

    assert OTHER_FIRM not in response.text


def test_a_managers_api_list_shows_only_their_sub_district(client, manager, firms):
    headers = api_headers(client, manager)

    response = client.get("/api/v1/enterprises", headers=headers)

    assert [item["name"] for item in response.json["items"]] == [OWN_FIRM]
    assert response.json["total"] == 1


def test_a_manager_edits_a_firm_of_their_own_sub_district(client, manager, firms):
    headers = api_headers(client, manager)
    own = firms["own"]

    response = client.patch(
        f"/api/v1/enterprises/{own.id}", json={"version_id": 1, "notes": "Visited"}, headers=headers
    )

    assert response.status_code == 200
    assert db.session.get(Enterprise, own.id).notes == "Visited"


def test_a_manager_cannot_add_a_firm_of_another_sub_district_through_the_form(client, manager):
    log_in(client, manager)

    response = client.post(
        "/enterprises/new", data=firm_form(sub_district="jingansi", zone="nanxi")
    )

    assert response.status_code == 200
    assert 'invalid-feedback">You can only manage firms of your own sub-district.' in response.text
    assert row_count(Enterprise) == 0


def test_a_manager_cannot_add_a_firm_of_another_sub_district_through_the_api(client, manager):
    headers = api_headers(client, manager)
    body = {key: value for key, value in firm_form(sub_district="jingansi").items() if value}

    response = client.post("/api/v1/enterprises", json=body, headers=headers)

    assert response.status_code == 422
    assert list(response.json["errors"]) == ["sub_district"]
    assert row_count(Enterprise) == 0


def test_a_manager_cannot_move_their_firm_to_another_sub_district(client, manager, firms):
    headers = api_headers(client, manager)
    own = firms["own"]

    response = client.patch(
        f"/api/v1/enterprises/{own.id}",
        json={"version_id": 1, "sub_district": "jingansi"},
        headers=headers,
    )

    assert response.status_code == 422
    assert db.session.get(Enterprise, own.id).sub_district.slug == "daninglu"


def test_the_assigned_manager_must_belong_to_the_firms_sub_district(client, admin, firms):
    elsewhere = UserFactory(role="manager", sub_district_slug="jingansi")
    headers = api_headers(client, admin)
    own = firms["own"]

    response = client.patch(
        f"/api/v1/enterprises/{own.id}",
        json={"version_id": 1, "manager": elsewhere.username},
        headers=headers,
    )

    assert response.status_code == 422
    assert list(response.json["errors"]) == ["manager"]
    assert db.session.get(Enterprise, own.id).manager is None


def test_the_form_offers_a_manager_only_colleagues_of_their_sub_district(client, manager):
    colleague = UserFactory(role="manager", sub_district_slug="daninglu", display_name="Colleague")
    UserFactory(role="manager", sub_district_slug="jingansi", display_name="Stranger")
    log_in(client, manager)

    response = client.get("/enterprises/new")

    assert f'value="{colleague.username}"' in response.text
    assert "Stranger" not in response.text


# District leaders and admins: everything; leaders read only


@pytest.mark.parametrize("role", ["leader", "admin"])
def test_leaders_and_admins_see_every_sub_district(client, app, firms, role):
    user = UserFactory(role=role)
    log_in(client, user)

    listing = client.get("/enterprises/")
    page = client.get(f"/enterprises/{firms['other'].id}")

    assert OWN_FIRM in listing.text
    assert OTHER_FIRM in listing.text
    assert page.status_code == 200


@pytest.mark.parametrize("role", ["leader", "admin"])
def test_leaders_and_admins_see_every_sub_district_in_the_api(client, app, firms, role):
    headers = api_headers(client, UserFactory(role=role))

    response = client.get("/api/v1/enterprises", headers=headers)

    assert {item["name"] for item in response.json["items"]} == {OWN_FIRM, OTHER_FIRM}


def test_a_leader_gets_403_on_the_edit_pages(client, leader, firms):
    log_in(client, leader)
    own = firms["own"]

    responses = [
        client.get(f"/enterprises/{own.id}/edit"),
        client.post(f"/enterprises/{own.id}/edit", data=firm_form(name="Renamed")),
        client.get("/enterprises/new"),
        client.post("/enterprises/new", data=firm_form()),
        client.post(f"/enterprises/{own.id}/figures", data={"year": "2025", "employees": "5"}),
        client.post(f"/enterprises/{own.id}/contacts", data={"name": "王芳"}),
    ]

    assert [response.status_code for response in responses] == [403] * 6
    assert db.session.get(Enterprise, own.id).name == OWN_FIRM
    assert row_count(Enterprise) == 2


def test_a_leader_sees_no_edit_button_on_a_firm(client, leader, firms):
    log_in(client, leader)

    response = client.get(f"/enterprises/{firms['own'].id}")

    assert f"/enterprises/{firms['own'].id}/edit" not in response.text
    assert "/figures" not in response.text


def test_a_leader_gets_403_from_the_api_when_changing_or_adding_firms(client, leader, firms):
    headers = api_headers(client, leader)
    own = firms["own"]

    patch = client.patch(
        f"/api/v1/enterprises/{own.id}", json={"version_id": 1, "name": "Renamed"}, headers=headers
    )
    post = client.post("/api/v1/enterprises", json=firm_form(), headers=headers)
    empty_post = client.post("/api/v1/enterprises", json={}, headers=headers)

    assert (patch.status_code, post.status_code, empty_post.status_code) == (403, 403, 403)
    assert db.session.get(Enterprise, own.id).name == OWN_FIRM
    assert row_count(Enterprise) == 2


# Department staff: no reservoir at all


def test_department_staff_see_an_empty_list(client, app, firms):
    staff = UserFactory(role="department")
    log_in(client, staff)

    response = client.get("/enterprises/")

    assert response.status_code == 200
    assert OWN_FIRM not in response.text
    assert OTHER_FIRM not in response.text


def test_department_staff_get_404_on_any_firm(client, app, firms):
    staff = UserFactory(role="department")
    log_in(client, staff)

    responses = [client.get(f"/enterprises/{firm.id}") for firm in firms.values()]

    assert [response.status_code for response in responses] == [404, 404]


def test_department_staff_see_nothing_through_the_api(client, app, firms):
    headers = api_headers(client, UserFactory(role="department"))

    listing = client.get("/api/v1/enterprises", headers=headers)
    read = client.get(f"/api/v1/enterprises/{firms['own'].id}", headers=headers)

    assert (listing.json["items"], listing.json["total"]) == ([], 0)
    assert read.status_code == 404

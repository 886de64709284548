"""Out-of-range input answers a clear 4xx, never a stack trace."""

from models import EnterpriseRequest, db
from tests.conftest import log_in
from tests.factories import PASSWORD, EnterpriseFactory, UserFactory

HUGE = "99999999999999999999999"


def test_an_id_too_large_for_any_table_is_simply_not_found(client, manager):
    log_in(client, manager)

    pages = [client.get(f"/{kind}/{HUGE}") for kind in ("enterprises", "visits", "requests")]

    assert [page.status_code for page in pages] == [404, 404, 404]


def test_a_huge_figure_is_a_field_error(client, manager):
    firm = EnterpriseFactory()
    log_in(client, manager)

    response = client.post(
        f"/enterprises/{firm.id}/figures", data={"year": "2024", "revenue": "1e30"}
    )

    assert response.status_code == 422
    assert "Too large" in response.text


def test_a_huge_query_number_in_the_api_names_the_field(client, manager):
    db.session.commit()
    token = client.post(
        "/api/v1/auth/token", json={"username": manager.username, "password": PASSWORD}
    ).json["token"]

    response = client.get(
        f"/api/v1/visits?enterprise_id={HUGE}", headers={"Authorization": f"Bearer {token}"}
    )

    assert response.status_code == 422
    assert "enterprise_id" in response.json["errors"]


def test_a_tampered_version_is_refused_as_a_conflict_and_changes_nothing(client, manager):
    firm = EnterpriseFactory(name="上海原名科技有限公司")
    log_in(client, manager)
    form = {
        "name": "上海篡改科技有限公司",
        "uscc": firm.uscc,
        "sub_district": "daninglu",
        "zone": "daning",
        "track": "ai",
        "tier": "reservoir",
        "status": "active",
        "manager": "",
        "version_id": "abc",
    }

    response = client.post(f"/enterprises/{firm.id}/edit", data=form)

    db.session.expire_all()
    assert response.status_code == 200
    assert "Someone else saved this firm" in response.text
    assert firm.name == "上海原名科技有限公司"


def test_a_request_cannot_be_raised_in_the_future(client, manager):
    firm = EnterpriseFactory()
    UserFactory(role="department", department_slug="finance")
    db.session.commit()
    token = client.post(
        "/api/v1/auth/token", json={"username": manager.username, "password": PASSWORD}
    ).json["token"]

    response = client.post(
        "/api/v1/requests",
        json={
            "enterprise_id": firm.id,
            "category": "financing",
            "description": "贷款贴息",
            "raised_on": "2099-01-01",
        },
        headers={"Authorization": f"Bearer {token}"},
    )

    assert response.status_code == 422
    assert "raised_on" in response.json["errors"]
    assert db.session.query(EnterpriseRequest).count() == 0

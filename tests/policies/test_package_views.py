import re

import pytest
from sqlalchemy import select

from crm.policies import services
from models import PackageState, PolicyPackage, db
from tests import factories
from tests.helpers import PACKAGE_NOW as NOW
from tests.helpers import instrument, log_in


def form_data(**rows):
    data = {"title": "Support for growth", "rationale": "Scaling up"}
    for index in range(5):  # a browser sends every row, the empty ones too
        data |= {f"items-{index}-instrument_id": "0", f"items-{index}-amount": ""}
    for index, (slug, amount) in rows.items():
        data[f"items-{index}-instrument_id"] = str(instrument(slug).id)
        data[f"items-{index}-amount"] = amount
    return data


def test_a_manager_proposes_a_package_through_the_form_ignoring_empty_rows(client, manager, firm):
    log_in(client, manager)
    data = form_data(**{"0": ("rent_subsidy", "12000"), "3": ("talent_housing", "2")})

    response = client.post(f"/packages/new?enterprise_id={firm.id}", data=data)

    package = db.session.scalar(select(PolicyPackage))
    assert response.status_code == 302
    assert response.location == f"/packages/{package.id}"
    assert [i.instrument.slug for i in package.items] == ["rent_subsidy", "talent_housing"]


def test_the_ceiling_error_shows_on_the_row_that_exceeds_it(client, manager, firm):
    log_in(client, manager)
    data = form_data(**{"0": ("rent_subsidy", "12000"), "2": ("credit_whitelist", "3")})

    response = client.post(f"/packages/new?enterprise_id={firm.id}", data=data)

    assert response.status_code == 200
    assert "Over the ceiling" in response.text
    assert 'id="items-2-amount"' in response.text.split("Over the ceiling")[0]
    assert db.session.scalar(select(PolicyPackage)) is None


def test_the_form_for_a_firm_outside_the_sub_district_is_not_found(client, manager):
    log_in(client, manager)
    elsewhere = factories.EnterpriseFactory(sub_district_slug="jingansi")

    response = client.get(f"/packages/new?enterprise_id={elsewhere.id}")

    assert response.status_code == 404


def test_a_manager_posting_a_decision_is_forbidden(client, manager, proposed):
    log_in(client, manager)

    response = client.post(
        f"/packages/{proposed.id}/decision",
        data={"decision": "approve", "version_id": proposed.version_id},
    )

    assert response.status_code == 403


def test_a_leader_approves_on_the_page_and_sees_the_queue_first(client, leader, proposed):
    log_in(client, leader)
    listing = client.get("/packages/")

    response = client.post(
        f"/packages/{proposed.id}/decision",
        data={"decision": "approve", "version_id": proposed.version_id},
    )

    assert 'data-testid="decision-queue"' in listing.text
    assert response.status_code == 302
    db.session.refresh(proposed)
    assert proposed.state == PackageState.APPROVED


def test_deciding_twice_on_the_page_answers_409(client, leader, proposed):
    services.decide_package(leader, proposed, "approve", None, proposed.version_id, NOW)
    log_in(client, leader)

    response = client.post(
        f"/packages/{proposed.id}/decision",
        data={"decision": "reject", "comment": "No", "version_id": proposed.version_id},
    )

    assert response.status_code == 409


def test_a_stale_decision_on_the_page_answers_409(client, leader, proposed):
    log_in(client, leader)

    response = client.post(
        f"/packages/{proposed.id}/decision",
        data={"decision": "approve", "version_id": proposed.version_id + 5},
    )

    assert response.status_code == 409
    assert "Someone else changed this package" in response.text


def test_the_manager_grants_an_item_and_a_step_out_of_order_answers_409(
    client, manager, leader, proposed
):
    services.decide_package(leader, proposed, "approve", None, proposed.version_id, NOW)
    log_in(client, manager)
    loan = proposed.items[0]

    granted = client.post(
        f"/packages/{proposed.id}/items/{loan.id}/grant",
        data={"granted_on": "2026-03-05", "version_id": proposed.version_id},
    )
    db.session.refresh(proposed)
    early = client.post(
        f"/packages/{proposed.id}/items/{proposed.items[1].id}/review",
        data={"reviewed_on": "2026-03-05", "version_id": proposed.version_id},
    )

    assert granted.status_code == 302
    assert early.status_code == 409


def test_the_package_page_shows_items_overdue_milestones_and_history(client, manager, proposed):
    log_in(client, manager)

    page = client.get(f"/packages/{proposed.id}")

    assert page.status_code == 200
    assert "Loan interest subsidy" in page.text
    assert 'data-testid="overdue"' in page.text  # disburse_by 2026-04-01 has passed
    assert "create" in page.text


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Record created", "Package #", "Package title:", "Awaiting decision"]),
        ("zh_CN", ["新建", "服务包 #", "服务包名称：", "待审定"]),
    ],
)
def test_the_package_pages_history_reads_in_words(client, manager, proposed, language, words):
    log_in(client, manager)
    client.post(f"/language/{language}")

    page = client.get(f"/packages/{proposed.id}")
    history = page.text[page.text.index('data-testid="history"') :]

    assert all(word in history for word in words), words
    assert "package_item" not in history


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Firm: 上海大宁智算科技有限公司", "Instrument: Loan interest subsidy"]),
        ("zh_CN", ["企业： 上海大宁智算科技有限公司", "政策工具： 贷款贴息"]),
    ],
)
def test_the_package_pages_history_names_the_firm_and_the_instruments(
    client, manager, proposed, language, words
):
    log_in(client, manager)
    client.post(f"/language/{language}")

    page = client.get(f"/packages/{proposed.id}").text
    history = " ".join(page[page.index('data-testid="history"') :].split())
    text = re.sub(r"<[^>]+>", "", history)

    assert [word for word in words if word not in text] == []


def test_the_proposer_deletes_the_package_and_it_disappears(client, manager, proposed):
    log_in(client, manager)

    response = client.post(f"/packages/{proposed.id}/delete")

    assert response.status_code == 302
    assert client.get(f"/packages/{proposed.id}").status_code == 404
    assert "Growth support" not in client.get("/packages/").text


def test_the_totals_page_renders_for_a_leader_and_is_refused_to_department_staff(client, leader):
    staff = factories.UserFactory(role="department")
    log_in(client, leader)
    leader_page = client.get("/packages/totals")
    client.post("/logout")
    log_in(client, staff)

    staff_page = client.get("/packages/totals")

    assert leader_page.status_code == 200
    assert 'data-testid="by-instrument"' in leader_page.text
    assert staff_page.status_code == 403


def test_pages_need_a_login(client):
    response = client.get("/packages/")

    assert response.status_code == 302

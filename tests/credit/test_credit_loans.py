"""Loans on a listed quota: a new one moves the nomination's version (so two at once cannot both
pass the quota check), and a repayment recorded after the loan, on the page and in the API."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.orm.exc import StaleDataError

from crm.clock import utcnow
from crm.credit import decisions, services
from crm.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    StaleEditError,
)
from models import CreditDrawdown, Nomination, User, db
from tests import factories
from tests.credit.conftest import LATER
from tests.helpers import audit_entries, bearer, log_in

DRAWN_ON = date(2026, 11, 25)
REPAID_ON = date(2026, 12, 1)


def draw(actor: User, nomination: Nomination, amount: str = "600") -> CreditDrawdown:
    data = decisions.DrawdownInput(DRAWN_ON, Decimal(amount))
    return decisions.record_drawdown(actor, nomination, data, LATER)


def moved_on_elsewhere(nomination: Nomination) -> None:
    """Another request saved the nomination meanwhile: its row's version moves past this
    session's object, as when two requests read it at once."""
    db.session.execute(
        text("UPDATE nominations SET version_id = version_id + 1 WHERE id = :id"),
        {"id": nomination.id},
    )


# A new loan -------------------------------------------------------------------------------------


def test_a_loan_gives_the_nomination_a_new_version(manager, listed):
    version = listed.version_id

    draw(manager, listed)  # at LATER, the very moment the decision was recorded

    assert listed.version_id == version + 1


def test_a_loan_that_read_a_nomination_since_changed_is_not_recorded(manager, listed):
    draw(manager, listed)
    moved_on_elsewhere(listed)

    with pytest.raises(StaleDataError):
        draw(manager, listed, "300")


def test_a_loan_that_lost_the_race_answers_409_in_the_api(
    client, app, manager, listed, monkeypatch
):
    # The other loan is written between this request's quota check and its flush.
    check = decisions.drawn_total

    def total_then_someone_else_draws(nomination_id: int) -> Decimal:
        total = check(nomination_id)
        moved_on_elsewhere(listed)
        return total

    monkeypatch.setattr(decisions, "drawn_total", total_then_someone_else_draws)

    response = client.post(
        f"/api/v1/credit/nominations/{listed.id}/drawdowns",
        json={"drawn_on": DRAWN_ON.isoformat(), "amount": 600},
        headers=bearer(manager),
    )

    assert response.status_code == 409
    assert response.json["error"]


# A repayment, recorded after the loan -----------------------------------------------------------


def test_a_repayment_is_recorded_audited_and_lets_the_nomination_be_withdrawn(
    leader, manager, listed
):
    loan = draw(manager, listed)
    with pytest.raises(ConflictError, match="still owes"):
        services.withdraw(leader, listed, listed.version_id, LATER)
    version = listed.version_id

    decisions.record_repayment(manager, loan, REPAID_ON, version, LATER)
    services.withdraw(leader, listed, listed.version_id, LATER)

    assert loan.repaid_on == REPAID_ON
    assert listed.version_id > version
    assert listed.is_deleted
    [entry] = audit_entries("credit_drawdown", loan.id, "update")
    assert entry.changes == {"repaid_on": [None, REPAID_ON.isoformat()]}


@pytest.mark.parametrize(
    ("repaid_on", "message"),
    [
        (None, "Enter a date."),
        (LATER.date() + timedelta(days=1), "A loan cannot be repaid in the future."),
        (DRAWN_ON - timedelta(days=1), "A loan is repaid after it is drawn."),
    ],
)
def test_a_repayment_falls_between_the_loan_and_today(manager, listed, repaid_on, message):
    loan = draw(manager, listed)

    with pytest.raises(InvalidInputError) as refused:
        decisions.record_repayment(manager, loan, repaid_on, listed.version_id, LATER)

    assert refused.value.errors == {"repaid_on": [message]}


def test_a_repayment_on_a_stale_version_is_refused(manager, listed):
    loan = draw(manager, listed)

    with pytest.raises(StaleEditError):
        decisions.record_repayment(manager, loan, REPAID_ON, listed.version_id - 1, LATER)


def test_a_repayment_is_scoped_as_recording_a_loan(manager, listed):
    loan = draw(manager, listed)
    finance = factories.UserFactory(role="department", department_slug="finance")
    other_manager = factories.UserFactory(sub_district_slug="jingansi")

    with pytest.raises(ForbiddenError):
        decisions.record_repayment(finance, loan, REPAID_ON, listed.version_id, LATER)
    with pytest.raises(NotFoundError):
        decisions.get_drawdown(other_manager, loan.id)
    assert decisions.get_drawdown(manager, loan.id) is loan


# ... on the nomination's page -------------------------------------------------------------------


def test_the_page_records_a_repayment_on_the_loans_row(client, manager, listed):
    loan = draw(manager, listed)
    db.session.commit()
    log_in(client, manager)
    url = f"/credit/nominations/{listed.id}"

    page = client.get(url)
    done = client.post(
        f"{url}/repayment",
        data={
            "drawdown_id": str(loan.id),
            "repaid_on": REPAID_ON.isoformat(),
            "version_id": str(listed.version_id),
        },
    )

    assert 'data-testid="repayment-form"' in page.text
    assert done.status_code == 302
    db.session.refresh(loan)
    assert loan.repaid_on == REPAID_ON
    assert 'data-testid="repayment-form"' not in client.get(url).text


def test_the_page_shows_why_a_repayment_is_refused(client, manager, listed):
    loan = draw(manager, listed)
    db.session.commit()
    log_in(client, manager)
    url = f"/credit/nominations/{listed.id}/repayment"
    data = {"drawdown_id": str(loan.id), "version_id": str(listed.version_id)}
    tomorrow = utcnow().date() + timedelta(days=1)

    future = client.post(url, data=data | {"repaid_on": tomorrow.isoformat()})
    stale = client.post(url, data=data | {"repaid_on": "2026-12-01", "version_id": "1"})
    tampered = client.post(url, data=data | {"repaid_on": "2026-12-01", "drawdown_id": "²"})

    assert future.status_code == 422
    assert "A loan cannot be repaid in the future." in future.text
    assert tomorrow.isoformat() in future.text  # what was typed is kept
    assert stale.status_code == 409
    assert tampered.status_code == 404
    db.session.refresh(loan)
    assert loan.repaid_on is None


def test_a_loan_of_another_nomination_is_not_repaid_through_this_one(
    client, leader, manager, listed, batch
):
    loan = draw(manager, listed)
    other = services.nominate(
        manager,
        services.open_batch(leader, batch.product_id, "另一批", LATER),
        services.NominationInput(
            factories.EnterpriseFactory(sub_district_slug="daninglu").id, Decimal(5)
        ),
        None,
        LATER,
    )
    db.session.commit()
    log_in(client, leader)

    response = client.post(
        f"/credit/nominations/{other.id}/repayment",
        data={"drawdown_id": str(loan.id), "repaid_on": "2026-12-01", "version_id": "1"},
    )

    assert response.status_code == 404
    db.session.refresh(loan)
    assert loan.repaid_on is None


# ... and in the API -----------------------------------------------------------------------------


def test_the_api_records_a_repayment_with_the_nominations_version(client, manager, listed):
    created = client.post(
        f"/api/v1/credit/nominations/{listed.id}/drawdowns",
        json={"drawn_on": DRAWN_ON.isoformat(), "amount": 600},
        headers=bearer(manager),
    )
    url = f"/api/v1/credit/drawdowns/{created.json['id']}/repayment"
    version = created.json["nomination_version_id"]

    future = client.post(
        url, json={"repaid_on": "2099-01-01", "version_id": version}, headers=bearer(manager)
    )
    repaid = client.post(
        url,
        json={"repaid_on": REPAID_ON.isoformat(), "version_id": version},
        headers=bearer(manager),
    )
    stale = client.post(
        url,
        json={"repaid_on": REPAID_ON.isoformat(), "version_id": version},
        headers=bearer(manager),
    )

    assert created.status_code == 201
    assert future.status_code == 422
    assert list(future.json["errors"]) == ["repaid_on"]
    assert repaid.status_code == 200
    assert repaid.json["repaid_on"] == REPAID_ON.isoformat()
    assert repaid.json["nomination_version_id"] == version + 1
    assert stale.status_code == 409
    assert "version_id" in stale.json["errors"]


def test_the_api_keeps_repayments_in_scope(client, manager, listed):
    loan = draw(manager, listed)
    url = f"/api/v1/credit/drawdowns/{loan.id}/repayment"
    body = {"repaid_on": REPAID_ON.isoformat(), "version_id": listed.version_id}
    finance = factories.UserFactory(role="department", department_slug="finance")
    other_manager = factories.UserFactory(sub_district_slug="jingansi")

    assert client.post(url, json=body, headers=bearer(finance)).status_code == 403
    assert client.post(url, json=body, headers=bearer(other_manager)).status_code == 404
    missing = "/api/v1/credit/drawdowns/999999/repayment"
    assert client.post(missing, json=body, headers=bearer(manager)).status_code == 404

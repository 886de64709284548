"""Loans recorded at the same moment on one quota: never more drawn than granted.

Real threads with their own clients on a database file (or TEST_DATABASE_URL's PostgreSQL), as in
tests/test_concurrency.py: each request reads what is left of the quota before any has written.
"""

from collections import Counter
from datetime import date
from decimal import Decimal

from crm.credit import decisions, services
from models import db
from tests import factories
from tests.credit.conftest import LATER, NOW, listing, make_bank, make_product
from tests.test_concurrency import api_calls_at_once, shared_app

__all__ = ["shared_app"]  # the fixture, shared with the edits' concurrency tests
CLIENTS = 6  # each asks for more than half the quota: one loan fits, two do not


def test_simultaneous_loans_on_one_quota_never_draw_past_it(shared_app):
    manager = factories.UserFactory(role="manager", sub_district_slug="daninglu")
    leader = factories.UserFactory(role="leader")
    product = make_product(make_bank())
    batch = services.open_batch(leader, product.id, "并发批次", NOW)
    firm = factories.EnterpriseFactory(sub_district_slug="daninglu")
    nomination = services.nominate(
        manager, batch, services.NominationInput(firm.id, Decimal(1000)), None, NOW
    )
    services.submit_batch(leader, batch, batch.version_id, NOW)
    decisions.record_decision(leader, nomination, listing("1000"), nomination.version_id, LATER)
    nomination_id = nomination.id

    responses = api_calls_at_once(
        shared_app,
        manager,
        f"/api/v1/credit/nominations/{nomination_id}/drawdowns",
        lambda _n: {"drawn_on": date(2026, 11, 25).isoformat(), "amount": 600},
        count=CLIENTS,
    )

    statuses = Counter(response.status_code for response in responses)
    assert statuses[201] == 1
    assert set(statuses) <= {201, 409, 422}  # lost the race, or read the winner's loan
    assert decisions.drawn_total(nomination_id) == Decimal(600)
    db.session.remove()

"""The demo's white lists: banks with their formats, batches over 2025-2026, believable
decisions, loans within the quota, renewals coming due, requests answered."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from crm.seeding import DEMO_PASSWORD, seed_demo
from models import (
    BatchState,
    CreditDrawdown,
    Nomination,
    NominationBatch,
    NominationDecision,
    PartnerBank,
    User,
    db,
)
from tests.helpers import log_in

AS_OF = date(2026, 12, 4)
pytestmark = pytest.mark.usefixtures("quick_password_hashes")  # demo accounts


def test_the_demo_carries_white_lists(app):
    seed_demo(400, seed=2025, today=AS_OF)

    banks = db.session.scalars(select(PartnerBank)).all()
    batches = db.session.scalars(select(NominationBatch)).all()
    nominations = db.session.scalars(select(Nomination)).all()
    listed = [n for n in nominations if n.decision == NominationDecision.LISTED]
    drawn = dict(
        db.session.execute(
            select(CreditDrawdown.nomination_id, func.sum(CreditDrawdown.amount)).group_by(
                CreditDrawdown.nomination_id
            )
        ).all()
    )

    assert len(banks) == 5
    assert all(bank.nomination_columns for bank in banks)
    assert len(batches) == 12
    assert {batch.state for batch in batches} == set(BatchState)
    assert 45 <= len(nominations) <= 60
    assert all(Decimal(300) <= n.quota_granted <= Decimal(3000) for n in listed)
    assert all(Decimal("2.80") <= n.rate <= Decimal("4.20") for n in listed)
    assert all(n.term_months in {12, 24, 36} for n in listed)
    assert all(Decimal(total) <= n.quota_granted for n in listed if (total := drawn.get(n.id)))
    assert any(n.decision == NominationDecision.REFUSED and n.refusal_reason for n in nominations)
    assert any(AS_OF <= n.renewal_on <= AS_OF + timedelta(days=30) for n in listed)
    assert any(n.request_id is not None for n in nominations)
    assert all(n.figures["uscc"] == n.enterprise.uscc for n in nominations)


def test_the_demos_credit_pages_render_in_chinese(app, client):
    seed_demo(200, seed=2025, today=AS_OF)
    leader = db.session.scalar(select(User).where(User.username == "leader"))
    manager = db.session.scalar(select(User).where(User.username == "mgr.daninglu"))
    batch = db.session.scalars(select(NominationBatch).order_by(NominationBatch.id)).first()
    nomination = db.session.scalars(select(Nomination).order_by(Nomination.id)).first()
    log_in(client, leader, DEMO_PASSWORD)
    client.post("/language/zh_CN")

    pages = [
        client.get(url)
        for url in (
            "/credit/",
            "/credit/batches",
            f"/credit/batches/{batch.id}",
            f"/credit/nominations/{nomination.id}",
            f"/enterprises/{nomination.enterprise_id}",
            f"/credit/batches/{batch.id}/export?format=xlsx",
        )
    ]
    client.post("/logout")
    log_in(client, manager, DEMO_PASSWORD)
    mine = client.get("/credit/")

    assert [page.status_code for page in pages] == [200] * len(pages)
    assert "上海银行" in pages[0].text
    assert mine.status_code == 200

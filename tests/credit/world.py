"""The white-list records of the access matrix's world: a bank, its product, a draft batch with
the world's firm nominated against its financing request, and a submitted batch where the bank
listed the firm and a loan was drawn. Built once, on first use."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from crm.credit import decisions, services
from models import CreditDrawdown, User, db
from tests.credit.conftest import make_bank, make_product

NOW = datetime(2026, 3, 10, 9, 0)


def credit_ids(world: Any) -> dict[str, int]:
    """Committed at once: the matrix's coverage check rolls back what filling its URLs made."""
    cached: dict[str, int] | None = world.__dict__.get("_credit_ids")
    if cached is not None:
        return cached
    users: dict[str, User] = world.users
    bank = make_bank("matrix_bank")
    product = make_product(bank)
    batch = services.open_batch(users["leader"], product.id, "矩阵批次", NOW)
    data = services.NominationInput(world.firm, Decimal(500), world.request)
    nomination = services.nominate(users["manager"], batch, data, None, NOW)
    drawdown = _drawn_loan(users, product.id, world.firm)
    db.session.commit()
    ids = {
        "bank": bank.id,
        "product": product.id,
        "batch": batch.id,
        "nomination": nomination.id,
        "drawdown": drawdown.id,
    }
    world.__dict__["_credit_ids"] = ids
    return ids


def _drawn_loan(users: dict[str, User], product_id: int, firm: int) -> CreditDrawdown:
    """A loan on the firm's quota, in a batch of its own that the bank decided."""
    leader = users["leader"]
    batch = services.open_batch(leader, product_id, "矩阵已提交批次", NOW)
    data = services.NominationInput(firm, Decimal(500))
    nomination = services.nominate(users["manager"], batch, data, None, NOW)
    services.submit_batch(leader, batch, batch.version_id, NOW)
    listing = decisions.DecisionInput("listed", NOW.date(), Decimal(500), Decimal(3), 12)
    decisions.record_decision(leader, nomination, listing, nomination.version_id, NOW)
    loan = decisions.DrawdownInput(NOW.date(), Decimal(100))
    return decisions.record_drawdown(users["manager"], nomination, loan, NOW)

"""The white-list records of the access matrix's world: a bank, its product, a draft batch with
the world's firm nominated against its financing request. Built once, on first use."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from crm.credit import services
from models import User, db
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
    db.session.commit()
    ids = {"bank": bank.id, "product": product.id, "batch": batch.id, "nomination": nomination.id}
    world.__dict__["_credit_ids"] = ids
    return ids

"""Fixtures of the white-list tests: a bank with a product, a draft batch, a nominated firm."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from crm.credit import decisions, services
from models import CreditProduct, Enterprise, Nomination, NominationBatch, PartnerBank, User, db
from tests import factories

NOW = datetime(2026, 11, 2, 9, 0)
DECIDED_ON = date(2026, 11, 20)
LATER = datetime(2026, 12, 4, 9, 0)
COLUMNS = [
    ["name", "企业名称"],
    ["uscc", "统一社会信用代码"],
    ["quota_asked", "申请额度（万元）"],
    ["revenue", "上年营收（万元）"],
    ["zone", "所在功能区"],
]


def make_bank(slug: str = "bosc") -> PartnerBank:
    bank = PartnerBank(
        slug=slug, name_zh="上海银行", name_en="Bank of Shanghai", nomination_columns=COLUMNS
    )
    db.session.add(bank)
    db.session.flush()
    return bank


def make_product(bank: PartnerBank, **extra: object) -> CreditProduct:
    values: dict[str, object] = {
        "name": "数字经济白名单贷",
        "max_quota": Decimal(3000),
        "rate_min": Decimal("2.80"),
        "rate_max": Decimal("4.20"),
        "term_months": 24,
    }
    product = CreditProduct(bank=bank, **(values | extra))
    db.session.add(product)
    db.session.flush()
    return product


def nominate(
    actor: User, batch: NominationBatch, firm: Enterprise, quota: str = "1000", **extra: object
) -> Nomination:
    data = services.NominationInput(firm.id, Decimal(quota), **extra)  # type: ignore[arg-type]
    return services.nominate(actor, batch, data, None, NOW)


def listing(quota: str = "1000", term: int = 24) -> decisions.DecisionInput:
    return decisions.DecisionInput(
        decision="listed",
        decided_on=DECIDED_ON,
        quota_granted=Decimal(quota),
        rate=Decimal("3.45"),
        term_months=term,
    )


@pytest.fixture
def bank(app) -> PartnerBank:
    return make_bank()


@pytest.fixture
def product(bank: PartnerBank) -> CreditProduct:
    return make_product(bank)


@pytest.fixture
def batch(leader: User, product: CreditProduct) -> NominationBatch:
    return services.open_batch(leader, product.id, "2026年第四批数字经济白名单", NOW)


@pytest.fixture
def nominated(manager: User, batch: NominationBatch, firm: Enterprise) -> Nomination:
    factories.YearlyFiguresFactory(enterprise=firm, year=2025, revenue=Decimal("8200.00"))
    return nominate(manager, batch, firm)


@pytest.fixture
def submitted(leader: User, batch: NominationBatch, nominated: Nomination) -> Nomination:
    services.submit_batch(leader, batch, batch.version_id, NOW)
    return nominated


@pytest.fixture
def listed(leader: User, submitted: Nomination) -> Nomination:
    return decisions.record_decision(leader, submitted, listing(), submitted.version_id, LATER)

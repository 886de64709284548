"""Demo white lists: five partner banks with their products and export formats, twelve batches
over 2025-2026 with about 12 nominations per 100 firms, the banks' decisions, loans drawn,
renewals (some falling due in the coming weeks) and a few nominations answering financing
requests.

Deterministic from the seed, the firms and `today`: one stream per purpose and batch. Firms are
drawn mostly from the digital-economy tracks and the key zones; the figures sent are the firm's
latest as built, so no query per firm.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from crm.credit.decisions import default_renewal_on
from crm.demo.accounts import Staff
from crm.demo.randomness import at_hour, days_after, stream
from models import (
    BatchState,
    CreditDrawdown,
    CreditProduct,
    Enterprise,
    EnterpriseRequest,
    EnterpriseStatus,
    Nomination,
    NominationBatch,
    NominationDecision,
    PartnerBank,
    RequestCategory,
    User,
    db,
)

NOMINATIONS_PER_FIRM = 0.125  # 250 for the 2,000-firm demo
DIGITAL_TRACKS = {
    "big_data": 4,
    "cloud_computing": 4,
    "ai": 5,
    "blockchain": 3,
    "intelligent_computing": 3,
    "information_security": 3,
    "fintech": 3,
    "integrated_circuits": 2,
    "uhd_video": 2,
}
KEY_ZONES = {"shibei": 3, "daning": 3, "suhewan": 2, "nanxi": 1}
BASE = [["uscc", "统一社会信用代码"], ["name", "企业名称"]]
# (slug, zh, en, columns, products: (name, max quota, lowest %, highest %, term months))
BANKS: tuple[tuple[str, str, str, list[list[str]], tuple[tuple[Any, ...], ...]], ...] = (
    (
        "bosc",
        "上海银行",
        "Bank of Shanghai",
        [
            *BASE,
            ["track", "所属赛道"],
            ["revenue", "上年度营业收入（万元）"],
            ["rd_spend", "研发投入（万元）"],
            ["quota_asked", "拟申请额度（万元）"],
            ["contact_name", "联系人"],
            ["contact_phone", "联系电话"],
        ],
        (("数字经济白名单贷", 3000, "2.80", "3.80", 12), ("科创积分贷", 1000, "3.10", "4.20", 24)),
    ),
    (
        "spdb",
        "浦发银行",
        "Shanghai Pudong Development Bank",
        [
            ["name", "企业名称"],
            ["uscc", "社会信用代码"],
            ["zone", "所在园区"],
            ["registered_capital", "注册资本（万元）"],
            ["founded_on", "成立日期"],
            ["employees", "从业人数"],
            ["tax_paid", "上年纳税（万元）"],
            ["quota_asked", "需求额度"],
        ],
        (("科技快贷·白名单", 2000, "2.90", "3.90", 24),),
    ),
    (
        "cmb",
        "招商银行",
        "China Merchants Bank",
        [
            *BASE,
            ["designations", "资质荣誉"],
            ["revenue", "营收（万元）"],
            ["patents", "专利数"],
            ["quota_asked", "申请授信（万元）"],
        ],
        (("科创贷", 2500, "3.00", "4.00", 36), ("数智流贷", 800, "3.20", "4.20", 12)),
    ),
    (
        "bocom",
        "交通银行",
        "Bank of Communications",
        [
            *BASE,
            ["sub_district", "街道"],
            ["track", "行业"],
            ["revenue", "营业收入"],
            ["employees", "员工人数"],
            ["quota_asked", "融资需求（万元）"],
        ],
        (("数字经济专项贷", 3000, "2.85", "3.60", 24),),
    ),
    (
        "bob_sh",
        "北京银行上海分行",
        "Bank of Beijing, Shanghai Branch",
        [*BASE, ["address", "经营地址"], ["revenue", "上年营收"], ["quota_asked", "申请金额"]],
        (("专精特新白名单贷", 1500, "3.00", "4.10", 12),),
    ),
)
# (days before today it was opened, bank, product): two a year per bank, the last a draft and the
# one before it awaiting the bank. The 12-month listings of late 2025 fall due in the weeks ahead.
BATCHES = (
    (690, 0, 0), (640, 1, 0), (585, 2, 0), (530, 3, 0), (470, 4, 0), (400, 0, 0),
    (375, 2, 1), (300, 1, 0), (240, 3, 0), (170, 0, 1), (60, 2, 0), (12, 4, 0),
)  # fmt: skip
REFUSALS = (
    "近两年营收下滑，经营性现金流为负。",
    "存在未结清的对外担保，超出授信政策。",
    "成立时间不足两年，暂不符合准入条件。",
    "实际控制人征信存在逾期记录。",
    "所在行业不在本期白名单支持范围。",
)


@dataclass
class CreditContext:
    seed: int
    today: date
    staff: Staff
    pool: list[Enterprise]
    weights: list[float]


def seed_credit(seed: int, firms: list[Enterprise], today: date) -> None:
    """Add the banks, batches, nominations, decisions and loans. Flushes."""
    products = _banks()
    pool = [firm for firm in firms if firm.status == EnterpriseStatus.ACTIVE]
    context = CreditContext(seed, today, Staff(), pool, [_weight(firm) for firm in pool])
    per_batch = max(2, round(len(firms) * NOMINATIONS_PER_FIRM / len(BATCHES)))
    batches, nominations = [], []
    for index, (days_before, bank_index, product_index) in enumerate(BATCHES):
        product = products[bank_index][product_index]
        batch = _batch(context, index, product, today - timedelta(days=days_before))
        batches.append(batch)
        nominations += _nominations(context, index, batch, per_batch)
    _answer_requests(context, batches, nominations)
    db.session.add_all([*batches, *nominations])
    db.session.flush()
    db.session.add_all(d for i, n in enumerate(nominations) for d in _drawdowns(context, n, i))
    db.session.flush()


def _banks() -> list[list[CreditProduct]]:
    products = []
    for slug, name_zh, name_en, columns, offers in BANKS:
        bank = PartnerBank(slug=slug, name_zh=name_zh, name_en=name_en, nomination_columns=columns)
        products.append(
            [
                CreditProduct(
                    bank=bank,
                    name=name,
                    max_quota=Decimal(quota),
                    rate_min=Decimal(low),
                    rate_max=Decimal(high),
                    term_months=term,
                )
                for name, quota, low, high, term in offers
            ]
        )
        db.session.add(bank)
    db.session.flush()
    return products


def _weight(firm: Enterprise) -> float:
    return DIGITAL_TRACKS.get(firm.track.slug, 0.3) * KEY_ZONES.get(firm.zone.slug, 1)


def _batch(
    context: CreditContext, index: int, product: CreditProduct, opened: date
) -> NominationBatch:
    rng = stream(context.seed, "credit_batch", index)
    last = index == len(BATCHES) - 1
    awaiting = index == len(BATCHES) - 2
    submitted_on = None if last else days_after(rng, opened, 7, 14)
    decided_on = None
    if submitted_on is not None and not awaiting:
        decided_on = min(days_after(rng, submitted_on, 20, 45), context.today)
    state = BatchState.DRAFT if last else BatchState.SUBMITTED if awaiting else BatchState.DECIDED
    half = "上半年" if opened.month <= 6 else "下半年"
    return NominationBatch(
        bank_id=product.bank_id,
        product=product,
        title=f"{opened.year}年{half}{product.bank.name_zh}{product.name}名单（第{index + 1}批）",
        state=state,
        created_by=context.staff.leader,
        created_at=at_hour(opened, 10),
        submitted_on=submitted_on,
        decided_on=decided_on,
        updated_at=at_hour(decided_on or submitted_on or opened, 16),
    )


def _nominations(
    context: CreditContext, index: int, batch: NominationBatch, count: int
) -> list[Nomination]:
    rng = stream(context.seed, "credit_nominations", index)
    chosen: dict[int, Enterprise] = {}
    while len(chosen) < min(count, len(context.pool)):
        firm = rng.choices(context.pool, weights=context.weights)[0]
        chosen.setdefault(firm.id, firm)
    return [_nomination(context, rng, batch, firm) for firm in chosen.values()]


def _nomination(
    context: CreditContext, rng: random.Random, batch: NominationBatch, firm: Enterprise
) -> Nomination:
    product = batch.product
    quota = Decimal(
        min(int(product.max_quota), rng.choice((300, 500, 800, 1000, 1500, 2000, 3000)))
    )
    nominated_on = days_after(rng, batch.created_at.date(), 0, 6)
    nominator: User = context.staff.manager_of.get(firm.sub_district_id) or context.staff.leader
    nomination = Nomination(
        batch=batch,
        enterprise_id=firm.id,
        quota_asked=quota,
        figures=_figures(firm, quota),
        nominated_by=nominator,
        nominated_at=at_hour(nominated_on, 11),
        updated_at=at_hour(batch.decided_on or nominated_on, 16),
    )
    if batch.decided_on is not None:
        _decide(context, rng, nomination, batch.decided_on)
    return nomination


def _decide(context: CreditContext, rng: random.Random, nomination: Nomination, on: date) -> None:
    product = nomination.batch.product
    nomination.decided_on = on
    if rng.random() < 0.22:
        nomination.decision = NominationDecision.REFUSED
        nomination.refusal_reason = rng.choice(REFUSALS)
        return
    nomination.decision = NominationDecision.LISTED
    share = Decimal(rng.choice((6, 7, 8, 9, 10, 10, 10))) / 10
    granted = max(Decimal(300), (nomination.quota_asked * share / 50).quantize(Decimal(1)) * 50)
    nomination.quota_granted = min(granted, product.max_quota)
    span = float(product.rate_max - product.rate_min)
    nomination.rate = (product.rate_min + Decimal(str(round(rng.random() * span, 2)))).quantize(
        Decimal("0.01")
    )
    nomination.term_months = product.term_months
    renewal = default_renewal_on(on, product.term_months)
    # Most renewals already past were recorded; a few were not, and show as overdue.
    if renewal < context.today and rng.random() < 0.8:
        renewal = default_renewal_on(renewal, product.term_months)
        nomination.renewed_count = 1
    nomination.renewal_on = renewal


def _figures(firm: Enterprise, quota: Decimal) -> dict[str, Any]:
    latest = firm.latest_figures
    contact = firm.contacts[0] if firm.contacts else None

    def of_year(name: str) -> Any:
        value = getattr(latest, name) if latest is not None else None
        return str(value) if isinstance(value, Decimal) else value

    return {
        "uscc": firm.uscc,
        "name": firm.name,
        "zone": firm.zone.name_zh,
        "sub_district": firm.sub_district.name_zh,
        "track": firm.track.name_zh,
        "address": firm.address,
        "registered_capital": str(firm.registered_capital) if firm.registered_capital else None,
        "founded_on": firm.founded_on.isoformat() if firm.founded_on else None,
        "figures_year": latest.year if latest is not None else None,
        "revenue": of_year("revenue"),
        "rd_spend": of_year("rd_spend"),
        "employees": of_year("employees"),
        "tax_paid": of_year("tax_paid"),
        "patents": of_year("patents"),
        "designations": None,
        "quota_asked": str(quota),
        "contact_name": contact.name if contact else None,
        "contact_phone": contact.phone if contact else None,
    }


def _drawdowns(
    context: CreditContext, nomination: Nomination, ordinal: int
) -> list[CreditDrawdown]:
    if nomination.decision != NominationDecision.LISTED or nomination.decided_on is None:
        return []
    rng = stream(context.seed, "credit_drawdowns", ordinal)
    if rng.random() < 0.25:
        return []
    left, drawn_on, loans = nomination.quota_granted or Decimal(0), nomination.decided_on, []
    for _loan in range(rng.randint(1, 3)):
        drawn_on = days_after(rng, drawn_on, 10, 120)
        amount = (left * Decimal(rng.choice((3, 4, 5, 6))) / 10 / 10).quantize(Decimal(1)) * 10
        if drawn_on > context.today or amount <= 0:
            break
        left -= amount
        repaid = drawn_on + timedelta(days=365)
        loans.append(
            CreditDrawdown(
                nomination_id=nomination.id,
                drawn_on=drawn_on,
                amount=amount,
                repaid_on=repaid if repaid <= context.today else None,
                note=rng.choice((None, "流动资金贷款", "研发投入", "设备采购")),
                recorded_by_id=nomination.nominated_by.id,
                recorded_at=at_hour(drawn_on, 15),
            )
        )
    return loans


def _answer_requests(
    context: CreditContext, batches: list[NominationBatch], nominations: list[Nomination]
) -> None:
    """A few financing requests raised on visits are answered by a nomination of their firm in
    the first batch opened after them."""
    requests = db.session.scalars(
        select(EnterpriseRequest)
        .where(
            EnterpriseRequest.category == RequestCategory.FINANCING,
            EnterpriseRequest.deleted_at.is_(None),
        )
        .order_by(EnterpriseRequest.id)
    ).all()
    wanted = max(3, len(context.pool) // 250)
    taken = {(n.batch.created_at, n.enterprise_id) for n in nominations}
    firms = {firm.id: firm for firm in context.pool}
    for request in requests:
        batch = next((b for b in batches if b.created_at.date() > request.raised_on), None)
        firm = firms.get(request.enterprise_id)
        if batch is None or firm is None or (batch.created_at, firm.id) in taken:
            continue
        rng = stream(context.seed, "credit_request", len(nominations))
        nomination = _nomination(context, rng, batch, firm)
        nomination.request_id = request.id
        nominations.append(nomination)
        taken.add((batch.created_at, firm.id))
        wanted -= 1
        if wanted == 0:
            return

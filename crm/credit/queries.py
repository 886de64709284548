"""White-list reads within a user's scope: batches, a batch's rows, a firm's lists, renewals."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from crm import keyset
from crm.access import enterprise_scope
from crm.credit.scoping import nomination_scope
from crm.keyset import Key
from models import (
    BatchState,
    CreditDrawdown,
    CreditProduct,
    Enterprise,
    Nomination,
    NominationBatch,
    NominationDecision,
    User,
    db,
)

BATCH_ORDER = (
    Key(NominationBatch.created_at, datetime, is_descending=True),
    Key(NominationBatch.id, int, is_descending=True),
)
NOMINATION_ORDER = (Key(Nomination.id, int),)
RENEWAL_ORDER = (Key(Nomination.renewal_on, date), Key(Nomination.id, int))
DRAWDOWN_ORDER = (Key(CreditDrawdown.drawn_on, date), Key(CreditDrawdown.id, int))
ZERO = Decimal(0)


@dataclass(frozen=True)
class BatchCounts:
    nominated: int
    listed: int
    refused: int
    pending: int
    quota_granted: Decimal


@dataclass(frozen=True)
class FirmListing:
    """One white list a firm is on (or was put forward for), for its page and request panel."""

    nomination: Nomination
    drawn: Decimal


def batch_query(user: User, state: str | None = None) -> Select[NominationBatch]:
    query = select(NominationBatch).where(NominationBatch.deleted_at.is_(None))
    if state:
        query = query.where(NominationBatch.state == state)
    return query.order_by(NominationBatch.created_at.desc(), NominationBatch.id.desc())


batch_page: keyset.KeysetPager[NominationBatch] = keyset.KeysetPager(
    BATCH_ORDER,
    lambda batch: (batch.created_at, batch.id),
    (
        selectinload(NominationBatch.bank),
        selectinload(NominationBatch.product),
        selectinload(NominationBatch.created_by),
    ),
)


def batch_counts(user: User, batch_ids: list[int]) -> dict[int, BatchCounts]:
    """Per batch, the nominations the user may read by decision: one group-by for a page."""
    if not batch_ids:
        return {}
    query = (
        select(
            Nomination.batch_id,
            Nomination.decision,
            func.count(),
            func.coalesce(func.sum(Nomination.quota_granted), 0),
        )
        .where(
            Nomination.batch_id.in_(batch_ids),
            Nomination.deleted_at.is_(None),
            nomination_scope(user),
        )
        .group_by(Nomination.batch_id, Nomination.decision)
    )
    tally: dict[int, dict[str, Any]] = {}
    for batch_id, decision, count, granted in db.session.execute(query):
        row = tally.setdefault(batch_id, {"quota": ZERO})
        row[str(decision)] = count
        row["quota"] += Decimal(granted or 0)
    return {
        batch_id: BatchCounts(
            nominated=sum(v for k, v in row.items() if k != "quota"),
            listed=row.get(NominationDecision.LISTED.value, 0),
            refused=row.get(NominationDecision.REFUSED.value, 0),
            pending=row.get(NominationDecision.PENDING.value, 0),
            quota_granted=row["quota"],
        )
        for batch_id, row in tally.items()
    }


def nomination_query(user: User, batch_id: int) -> Select[Nomination]:
    return (
        select(Nomination)
        .where(
            Nomination.batch_id == batch_id,
            Nomination.deleted_at.is_(None),
            nomination_scope(user),
        )
        .order_by(Nomination.id)
    )


nomination_page: keyset.KeysetPager[Nomination] = keyset.KeysetPager(
    NOMINATION_ORDER,
    lambda nomination: (nomination.id,),
    (selectinload(Nomination.enterprise), selectinload(Nomination.nominated_by)),
)


def drawdown_query(nomination_id: int) -> Select[CreditDrawdown]:
    """The loans drawn against one nomination (read through it: the caller checked its scope)."""
    return (
        select(CreditDrawdown)
        .where(CreditDrawdown.nomination_id == nomination_id)
        .order_by(CreditDrawdown.drawn_on, CreditDrawdown.id)
    )


drawdown_page: keyset.KeysetPager[CreditDrawdown] = keyset.KeysetPager(
    DRAWDOWN_ORDER,
    lambda drawdown: (drawdown.drawn_on, drawdown.id),
    (selectinload(CreditDrawdown.nomination),),
)


def drawn_by_nomination(nomination_ids: list[int]) -> dict[int, Decimal]:
    if not nomination_ids:
        return {}
    query = (
        select(CreditDrawdown.nomination_id, func.sum(CreditDrawdown.amount))
        .where(CreditDrawdown.nomination_id.in_(nomination_ids))
        .group_by(CreditDrawdown.nomination_id)
    )
    return {row_id: Decimal(total) for row_id, total in db.session.execute(query)}


def _with_batch(query: Select[Nomination]) -> Select[Nomination]:
    return query.join(NominationBatch, NominationBatch.id == Nomination.batch_id).where(
        NominationBatch.deleted_at.is_(None), Nomination.deleted_at.is_(None)
    )


def firm_listings(user: User, enterprise_id: int, limit: int = 20) -> list[FirmListing]:
    """The lists the firm is on or was put forward for, newest first."""
    query = (
        _with_batch(select(Nomination))
        .where(Nomination.enterprise_id == enterprise_id, nomination_scope(user))
        .options(selectinload(Nomination.batch).selectinload(NominationBatch.bank))
        .order_by(Nomination.nominated_at.desc(), Nomination.id.desc())
        .limit(limit)
    )
    rows = list(db.session.scalars(query))
    drawn = drawn_by_nomination([row.id for row in rows])
    return [FirmListing(row, drawn.get(row.id, ZERO)) for row in rows]


def request_listings(user: User, request_id: int) -> list[FirmListing]:
    query = (
        _with_batch(select(Nomination))
        .where(Nomination.request_id == request_id, nomination_scope(user))
        .options(selectinload(Nomination.batch).selectinload(NominationBatch.bank))
        .order_by(Nomination.id)
    )
    rows = list(db.session.scalars(query))
    drawn = drawn_by_nomination([row.id for row in rows])
    return [FirmListing(row, drawn.get(row.id, ZERO)) for row in rows]


def listed_query(user: User, today: date, horizon_days: int | None = None) -> Select[Nomination]:
    """Listed firms the user may read, by their next renewal; within `horizon_days` if given."""
    query = _with_batch(select(Nomination)).where(
        Nomination.decision == NominationDecision.LISTED,
        Nomination.renewal_on.is_not(None),
        nomination_scope(user),
    )
    if horizon_days is not None:
        query = query.where(Nomination.renewal_on <= today + timedelta(days=horizon_days))
    return query.order_by(Nomination.renewal_on, Nomination.id)


listed_page: keyset.KeysetPager[Nomination] = keyset.KeysetPager(
    RENEWAL_ORDER,
    lambda nomination: (nomination.renewal_on, nomination.id),
    (
        selectinload(Nomination.enterprise),
        selectinload(Nomination.batch).selectinload(NominationBatch.bank),
    ),
)


def active_products() -> list[CreditProduct]:
    query = (
        select(CreditProduct)
        .where(CreditProduct.is_active)
        .options(selectinload(CreditProduct.bank))
        .order_by(CreditProduct.bank_id, CreditProduct.id)
    )
    return [product for product in db.session.scalars(query) if product.bank.is_active]


def draft_batches() -> list[NominationBatch]:
    query = (
        select(NominationBatch)
        .where(NominationBatch.deleted_at.is_(None), NominationBatch.state == BatchState.DRAFT)
        .options(selectinload(NominationBatch.bank), selectinload(NominationBatch.product))
        .order_by(NominationBatch.created_at.desc(), NominationBatch.id.desc())
    )
    return list(db.session.scalars(query))


def firm_by_code(user: User, uscc: str) -> Enterprise | None:
    return db.session.scalar(
        select(Enterprise).where(
            Enterprise.uscc == uscc.strip().upper(),
            Enterprise.deleted_at.is_(None),
            enterprise_scope(user),
        )
    )

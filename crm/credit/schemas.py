"""The JSON shapes of /api/v1/credit: banks and products, batches, nominations, decisions, loans.

Bodies carry types only; the services check quotas, states and scope and name the field they
refuse, as for the web forms. Quotas and amounts are in 10,000 yuan; rates are annual %.
"""

from datetime import date
from typing import Any, ClassVar, Self

from flask_babel import lazy_gettext as _l
from pydantic import Field

from crm.api.schema import Amount, Body, DatabaseId, MessageFor, Shape, Timestamp
from crm.credit.decisions import DecisionInput, DrawdownInput
from crm.credit.services import NominationInput
from models import (
    BatchState,
    CreditDrawdown,
    Nomination,
    NominationBatch,
    NominationDecision,
    PartnerBank,
)


class CreditProductAnswer(Shape):
    id: int
    name: str
    max_quota: float = Field(description="Per firm, in 10,000 yuan")
    rate_min: float
    rate_max: float
    term_months: int
    is_active: bool
    zone_id: int | None
    track_id: int | None


class CreditBank(Shape):
    id: int
    slug: str
    name_zh: str
    name_en: str
    is_active: bool
    nomination_columns: list[list[str]] = Field(
        description="The bank's export format: [field key, header] in column order"
    )
    products: list[CreditProductAnswer]

    @classmethod
    def of(cls, bank: PartnerBank) -> Self:
        return cls.model_validate(bank)


class CreditBankList(Shape):
    items: list[CreditBank]


class CreditDrawdownAnswer(Shape):
    id: int
    nomination_id: int
    drawn_on: date
    amount: float
    repaid_on: date | None
    note: str | None
    nomination_version_id: int = Field(
        description="The nomination's version_id after this loan: send it to record a repayment"
    )

    @classmethod
    def of(cls, drawdown: CreditDrawdown) -> Self:
        return cls.from_row(drawdown, nomination_version_id=drawdown.nomination.version_id)


class CreditNomination(Shape):
    id: int
    batch_id: int
    enterprise_id: int
    enterprise: str
    quota_asked: float
    figures: dict[str, Any] = Field(description="The firm's figures as sent to the bank")
    request_id: int | None
    decision: NominationDecision
    quota_granted: float | None
    rate: float | None
    term_months: int | None
    refusal_reason: str | None
    decided_on: date | None
    renewal_on: date | None
    nominated_by: str
    nominated_at: Timestamp
    version_id: int

    @classmethod
    def of(cls, nomination: Nomination) -> Self:
        return cls.from_row(
            nomination,
            enterprise=nomination.enterprise.name,
            nominated_by=nomination.nominated_by.username,
        )


class CreditBatch(Shape):
    id: int
    bank_id: int
    bank: str = Field(description="The bank's slug")
    product_id: int
    product: str
    title: str
    state: BatchState
    created_by: str
    created_at: Timestamp
    submitted_on: date | None
    decided_on: date | None
    version_id: int

    @classmethod
    def of(cls, batch: NominationBatch, **extra: Any) -> Self:
        """The batch; `extra` fills what a subclass adds (the detail's nominations)."""
        return cls.from_row(
            batch,
            bank=batch.bank.slug,
            product=batch.product.name,
            created_by=batch.created_by.username,
            **extra,
        )


class CreditBatchDetail(CreditBatch):
    nominations: list[CreditNomination] = Field(
        description="The nominations the caller may read (a manager: their firms'), the first "
        "500 by id"
    )
    nominations_next: str | None = Field(
        description="More than shown: pass as ?after= to /credit/batches/{batch_id}/nominations "
        "for the rest; null when all are shown"
    )


class RepaymentBody(Body):
    refusals: ClassVar[MessageFor] = {
        "version_id": _l("Send the version_id you last read."),
    }

    repaid_on: date
    version_id: int = Field(description="The nomination's version_id you last read")


class NominationBody(Body):
    refusals: ClassVar[MessageFor] = {
        "enterprise_id": _l("Send the firm's id."),
        "quota_asked": _l("A quota above zero, in 10,000 yuan."),
    }

    enterprise_id: DatabaseId
    quota_asked: Amount = Field(description="In 10,000 yuan")
    request_id: DatabaseId | None = Field(None, description="The financing request it answers")
    version_id: int | None = Field(None, description="The batch's version_id you last read")

    def input(self) -> NominationInput:
        return NominationInput(self.enterprise_id, self.quota_asked, self.request_id)


class CreditDecisionBody(Body):
    refusals: ClassVar[MessageFor] = {
        "version_id": _l("Send the version_id you last read."),
        "decision": _l("Choose listed or refused."),
    }

    decision: str = Field(json_schema_extra={"enum": ["listed", "refused"]})
    decided_on: date
    quota_granted: Amount | None = Field(None, description="Listed: in 10,000 yuan")
    rate: Amount | None = Field(None, description="Listed: annual %")
    term_months: int | None = Field(None, description="Listed: months")
    renewal_on: date | None = Field(None, description="Listed: default decided_on + term")
    refusal_reason: str | None = Field(None, description="Required when refused")
    version_id: int

    def input(self) -> DecisionInput:
        return DecisionInput(**self.model_dump(exclude={"version_id"}))


class DrawdownBody(Body):
    refusals: ClassVar[MessageFor] = {"amount": _l("An amount above zero, in 10,000 yuan.")}

    drawn_on: date
    amount: Amount = Field(description="In 10,000 yuan")
    repaid_on: date | None = None
    note: str | None = Field(None, json_schema_extra={"maxLength": 500})

    def input(self) -> DrawdownInput:
        return DrawdownInput(self.drawn_on, self.amount, self.repaid_on, self.note)

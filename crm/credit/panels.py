"""What the firm page and a financing request's page show of the white lists."""

from dataclasses import dataclass, field

from crm.credit import answers, queries, scoping
from crm.credit.labels import label
from crm.credit.queries import FirmListing
from models import EnterpriseRequest, NominationBatch, NominationDecision, RequestCategory, User


@dataclass(frozen=True)
class CreditPanel:
    listings: list[FirmListing]
    can_read: bool
    can_nominate: bool
    open_batches: list[NominationBatch] = field(default_factory=list)
    can_answer: bool = False
    decision_labels: dict[str, str] = field(default_factory=dict)


def firm_panel(user: User, enterprise_id: int) -> CreditPanel:
    if not scoping.can_read_credit(user):
        return CreditPanel([], can_read=False, can_nominate=False)
    return CreditPanel(
        queries.firm_listings(user, enterprise_id),
        can_read=True,
        can_nominate=scoping.can_nominate(user),
        decision_labels=_decision_labels(),
    )


def request_panel(user: User, request: EnterpriseRequest) -> CreditPanel:
    """A financing request's nominations, and whether the user can nominate its firm now."""
    if request.category != RequestCategory.FINANCING or not scoping.can_read_credit(user):
        return CreditPanel([], can_read=False, can_nominate=False)
    can_nominate = scoping.can_nominate(user)
    return CreditPanel(
        queries.request_listings(user, request.id),
        can_read=True,
        can_nominate=can_nominate,
        open_batches=queries.draft_batches() if can_nominate else [],
        can_answer=answers.can_answer(user, request),
        decision_labels=_decision_labels(),
    )


def _decision_labels() -> dict[str, str]:
    return {decision.value: label(decision) for decision in NominationDecision}

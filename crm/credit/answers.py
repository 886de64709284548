"""A financing request answered by a nomination: the answer quoting the bank's quota, given
through the request workflow's own resolve step (whoever that step allows takes it)."""

from datetime import datetime

from flask_babel import gettext as _

from crm.errors import ConflictError
from crm.requests import workflow
from models import EnterpriseRequest, Nomination, NominationDecision, User


def quota_answer(nomination: Nomination, locale: str) -> str:
    return _(
        "%(bank)s put the firm on its credit white list on %(day)s: a quota of %(quota)s "
        "(10,000 yuan) at %(rate)s %% a year for %(term)s months, renewal due %(renewal)s.",
        bank=nomination.batch.bank.name_for(locale),
        day=nomination.decided_on.isoformat() if nomination.decided_on else "",
        quota=f"{nomination.quota_granted or 0:,.0f}",
        rate=f"{nomination.rate or 0:.2f}",
        term=nomination.term_months or 0,
        renewal=nomination.renewal_on.isoformat() if nomination.renewal_on else "",
    )


def can_answer(user: User, request: EnterpriseRequest) -> bool:
    return workflow.Action.RESOLVE in workflow.allowed_actions(user, request)


def answer_request(
    actor: User,
    nomination: Nomination,
    answer: str,
    seen_version: int | None,
    now: datetime,
) -> EnterpriseRequest:
    """Resolve the nomination's request with `answer`: the workflow checks who may, and when."""
    request = nomination.request
    if request is None or nomination.decision != NominationDecision.LISTED:
        raise ConflictError(_("Only a listed nomination answers its request."))
    workflow.take_step(
        actor,
        request,
        workflow.Action.RESOLVE.value,
        workflow.StepInput(answer=answer),
        now,
        seen_version,
    )
    return request

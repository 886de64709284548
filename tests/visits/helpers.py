"""Visit inputs and saved visits for the tests: on-site answers with every red flag asked."""

from datetime import date, datetime

from crm.visits import services
from crm.visits.services import VisitInput
from crm.visits.validation import FlagAnswer
from models import Enterprise, RedFlag, User, Visit, VisitKind

NOW = datetime(2026, 3, 10, 15, 0)
TODAY = NOW.date()
ALL_NO = {f"flag_{flag.value}": "no" for flag in RedFlag}  # the visit form's red flags, unraised


def answers(*raised: RedFlag, reason: str | None = None) -> dict[str, FlagAnswer]:
    return {
        flag.value: FlagAnswer(
            raised=flag in raised, move_out_reason=reason if flag == RedFlag.MOVE_OUT else None
        )
        for flag in RedFlag
    }


def on_site(visited_on: date = TODAY, *raised: RedFlag, **changes: object) -> VisitInput:
    reason = "courted" if RedFlag.MOVE_OUT in raised else None
    data = VisitInput(
        visited_on=visited_on,
        kind=VisitKind.ON_SITE.value,
        summary="Met the CEO; expanding the lab.",
        red_flags_asked=True,
        red_flags=answers(*raised, reason=reason),
    )
    for name, value in changes.items():
        setattr(data, name, value)
    return data


def phone_call(visited_on: date = TODAY) -> VisitInput:
    return VisitInput(visited_on=visited_on, kind=VisitKind.PHONE.value, summary="Quick call.")


def logged(
    user: User, firm: Enterprise, data: VisitInput | None = None, confirm: bool = True
) -> Visit:
    return services.log_visit(user, firm, data or on_site(), NOW, confirm_duplicate=confirm)


def visit_form(**changes: str) -> dict[str, str]:
    """What the visit form posts for an on-site visit today with no red flag."""
    return {"visited_on": TODAY.isoformat(), "kind": "on_site", "summary": "Met the CFO."} | (
        ALL_NO | changes
    )

"""The request workflow: one table of allowed steps, and the one function that takes a step."""

import enum
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.audit import diff, record_change
from crm.errors import ConflictError, ForbiddenError, InvalidInputError, StaleEditError
from crm.reference import by_slug
from crm.requests.labels import label
from models import Department, EnterpriseRequest, RequestEvent, RequestState, Role, User, db

# The department still owes the firm an answer; only these can be overdue.
PENDING_STATES = frozenset({RequestState.OPEN, RequestState.ACCEPTED, RequestState.IN_PROGRESS})
SATISFACTION_RANGE = range(1, 6)
TEXT_MAX_LENGTH = 5000


class Action(enum.StrEnum):
    ACCEPT = "accept"
    START = "start"
    RESOLVE = "resolve"
    CLOSE = "close"
    REOPEN = "reopen"
    TRANSFER = "transfer"
    REJECT = "reject"


class Party(enum.StrEnum):
    DEPARTMENT = "department"  # staff of the department the request is routed to
    MANAGER = "manager"  # the firm's account manager, who speaks for the firm


@dataclass(frozen=True)
class Transition:
    title: Any  # a lazy translated string: the button's text
    from_states: frozenset[RequestState]
    to_state: RequestState
    parties: frozenset[Party]
    required: str | None = None  # the input this step cannot do without


DEPT, MGR = frozenset({Party.DEPARTMENT}), frozenset({Party.MANAGER})
# A transfer keeps the due date: the route's due days belong to the category, which a transfer
# does not change, and the firm's wait does not restart because the district moved its request.
TRANSITIONS: dict[Action, Transition] = {
    Action.ACCEPT: Transition(
        _l("Accept"), frozenset({RequestState.OPEN}), RequestState.ACCEPTED, DEPT
    ),
    Action.START: Transition(
        _l("Start work"), frozenset({RequestState.ACCEPTED}), RequestState.IN_PROGRESS, DEPT
    ),
    Action.RESOLVE: Transition(
        _l("Resolve"), frozenset({RequestState.IN_PROGRESS}), RequestState.RESOLVED, DEPT, "answer"
    ),
    Action.CLOSE: Transition(
        _l("Confirm closed"),
        frozenset({RequestState.RESOLVED}),
        RequestState.CLOSED,
        MGR,
        "satisfaction",
    ),
    Action.REOPEN: Transition(
        _l("Reopen"), frozenset({RequestState.RESOLVED}), RequestState.IN_PROGRESS, MGR, "note"
    ),
    Action.TRANSFER: Transition(
        _l("Transfer"), PENDING_STATES, RequestState.OPEN, DEPT | MGR, "department"
    ),
    Action.REJECT: Transition(_l("Reject"), PENDING_STATES, RequestState.REJECTED, DEPT, "reason"),
}


@dataclass
class StepInput:
    note: str | None = None
    answer: str | None = None
    satisfaction: int | None = None
    department: str | None = None  # slug of the department to transfer to
    reason: str | None = None


def is_overdue(request: EnterpriseRequest, today: date) -> bool:
    return request.state in PENDING_STATES and request.due_on < today


def parties_of(user: User, request: EnterpriseRequest) -> frozenset[Party]:
    """The sides of the workflow `user` acts for on `request` (an admin may act for either)."""
    if user.role == Role.ADMIN:
        return DEPT | MGR
    if user.role == Role.DEPARTMENT and user.department_id == request.department_id:
        return DEPT
    if user.role == Role.MANAGER and request.enterprise.sub_district_id == user.sub_district_id:
        return MGR
    return frozenset()  # leaders watch the workflow, they do not take its steps


def allowed_actions(user: User, request: EnterpriseRequest) -> list[Action]:
    parties = parties_of(user, request)
    return [
        action
        for action, step in TRANSITIONS.items()
        if request.state in step.from_states and step.parties & parties
    ]


def take_step(
    actor: User,
    request: EnterpriseRequest,
    action_name: str,
    data: StepInput,
    now: datetime,
    seen_version: int | None = None,
) -> RequestEvent:
    """Move `request` along the workflow; every refusal is a DomainError naming its reason."""
    try:
        action = Action(action_name)
    except ValueError:
        raise InvalidInputError({"action": [_("Unknown action.")]}) from None
    step = TRANSITIONS[action]
    if not step.parties & parties_of(actor, request):
        raise ForbiddenError(_("Your role cannot take this step on this request."))
    if request.state not in step.from_states:
        raise ConflictError(
            _(
                "This step is not possible while the request is “%(state)s”.",
                state=label(request.state),
            )
        )
    if seen_version is not None and seen_version != request.version_id:
        raise StaleEditError(
            _("Someone else changed this request after you opened it. Reload to see the change.")
        )
    target = _checked_input(request, step, data)
    before = {"state": request.state.value, "department": request.department.slug}
    from_state, from_department_id = request.state, request.department_id
    _apply_effects(action, request, data, target, now)
    request.state, request.updated_at = step.to_state, now
    event = RequestEvent(
        action=action.value,
        from_state=from_state,
        to_state=step.to_state,
        actor=actor,
        at=now,
        note=_clean(data.note) or _clean(data.answer) or _clean(data.reason),
        from_department_id=from_department_id,
        to_department_id=request.department_id,
    )
    request.events.append(event)
    db.session.flush()
    after = {"state": request.state.value, "department": request.department.slug}
    changes = diff(before, after)
    for name in ("answer", "satisfaction", "reason", "note"):
        if (value := getattr(data, name)) not in (None, ""):
            changes[name] = [None, value]
    record_change(actor, action.value, "request", request.id, changes)
    return event


def _checked_input(
    request: EnterpriseRequest, step: Transition, data: StepInput
) -> Department | None:
    """The transfer's target department, after checking the step's required input."""
    errors: dict[str, list[str]] = {}
    target = None
    if step.required in {"answer", "reason", "note"} and not _clean(getattr(data, step.required)):
        errors[step.required] = [_("This field is required.")]
    if step.required == "satisfaction" and data.satisfaction not in SATISFACTION_RANGE:
        errors["satisfaction"] = [_("Rate the firm's satisfaction from 1 to 5.")]
    if step.required == "department":
        target = by_slug(Department, data.department)
        if target is None:
            errors["department"] = [_("Choose a department from the list.")]
        elif target.id == request.department_id:
            errors["department"] = [_("The request is already with this department.")]
    for name in ("note", "answer", "reason"):
        if len(getattr(data, name) or "") > TEXT_MAX_LENGTH:
            errors[name] = [_("At most %(count)d characters.", count=TEXT_MAX_LENGTH)]
    if errors:
        raise InvalidInputError(errors)
    return target


def _apply_effects(
    action: Action,
    request: EnterpriseRequest,
    data: StepInput,
    target: Department | None,
    now: datetime,
) -> None:
    if action == Action.RESOLVE:
        request.answer, request.resolved_at = _clean(data.answer), now
    elif action == Action.CLOSE:
        request.satisfaction, request.closed_at = data.satisfaction, now
    elif action == Action.REOPEN:
        request.resolved_at = None  # time to resolution counts to the answer that finally holds
    elif action == Action.REJECT:
        request.rejection_reason = _clean(data.reason)
    elif action == Action.TRANSFER and target is not None:
        request.department, request.department_id = target, target.id


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None

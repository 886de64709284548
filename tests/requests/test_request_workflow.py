"""The workflow table, enforced by take_step: who may take which step from which state."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from crm.errors import ConflictError, ForbiddenError, InvalidInputError, StaleEditError
from crm.requests.workflow import (
    TRANSITIONS,
    Action,
    StepInput,
    allowed_actions,
    is_overdue,
    take_step,
)
from models import AuditEntry, RequestState, db
from tests.factories import EnterpriseRequestFactory, UserFactory
from tests.helpers import REQUEST_NOW as NOW
from tests.helpers import audit_entries


def audit_actions(request_id: int) -> list[str]:
    return [entry.action for entry in audit_entries("request", request_id)]


def test_a_request_goes_from_open_to_closed_with_an_event_and_an_audit_entry_per_step(
    open_request, finance_staff, manager
):
    steps = [
        (finance_staff, "accept", StepInput()),
        (finance_staff, "start", StepInput(note="已联系银行")),
        (finance_staff, "resolve", StepInput(answer="已对接浦发银行授信")),
        (manager, "close", StepInput(satisfaction=5)),
    ]

    for number, (actor, action, data) in enumerate(steps):
        take_step(actor, open_request, action, data, NOW + timedelta(days=number))

    assert open_request.state == RequestState.CLOSED
    assert open_request.answer == "已对接浦发银行授信"
    assert open_request.satisfaction == 5
    assert open_request.resolved_at == NOW + timedelta(days=2)
    assert open_request.closed_at == NOW + timedelta(days=3)
    assert [(e.action, e.from_state, e.to_state) for e in open_request.events] == [
        ("accept", RequestState.OPEN, RequestState.ACCEPTED),
        ("start", RequestState.ACCEPTED, RequestState.IN_PROGRESS),
        ("resolve", RequestState.IN_PROGRESS, RequestState.RESOLVED),
        ("close", RequestState.RESOLVED, RequestState.CLOSED),
    ]
    assert [e.actor for e in open_request.events] == [finance_staff] * 3 + [manager]
    assert audit_actions(open_request.id) == ["accept", "start", "resolve", "close"]


def test_each_step_leaves_the_state_change_in_the_audit_log(open_request, finance_staff):
    take_step(finance_staff, open_request, "accept", StepInput(), NOW)

    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity_id == open_request.id))

    assert entry.changes["state"] == ["open", "accepted"]
    assert entry.actor == finance_staff


def resolved(request, staff):
    for action, data in [("accept", StepInput()), ("start", StepInput())]:
        take_step(staff, request, action, data, NOW)
    take_step(staff, request, "resolve", StepInput(answer="已办结"), NOW)
    return request


def test_a_manager_reopens_a_resolved_request_back_to_in_progress_with_a_note(
    open_request, finance_staff, manager
):
    resolved(open_request, finance_staff)

    event = take_step(manager, open_request, "reopen", StepInput(note="企业表示仍未放款"), NOW)

    assert open_request.state == RequestState.IN_PROGRESS
    assert open_request.resolved_at is None
    assert event.note == "企业表示仍未放款"


def test_a_transfer_sends_the_request_back_to_open_at_the_new_department_keeping_its_due_date(
    open_request, finance_staff, stec_staff
):
    take_step(finance_staff, open_request, "accept", StepInput(), NOW)
    due_on = open_request.due_on

    event = take_step(
        finance_staff, open_request, "transfer", StepInput(department="stec", note="属科技类"), NOW
    )

    assert open_request.state == RequestState.OPEN
    assert open_request.department.slug == "stec"
    assert open_request.due_on == due_on
    assert (event.from_department_id, event.to_department_id) == (
        finance_staff.department_id,
        stec_staff.department_id,
    )
    assert allowed_actions(finance_staff, open_request) == []
    assert Action.ACCEPT in allowed_actions(stec_staff, open_request)


def test_the_department_rejects_a_request_with_a_reason(open_request, finance_staff):
    take_step(finance_staff, open_request, "reject", StepInput(reason="不属于区级事权"), NOW)

    assert open_request.state == RequestState.REJECTED
    assert open_request.rejection_reason == "不属于区级事权"


def test_a_step_not_allowed_from_the_current_state_is_a_conflict(open_request, finance_staff):
    with pytest.raises(ConflictError):
        take_step(finance_staff, open_request, "resolve", StepInput(answer="已办结"), NOW)

    assert open_request.state == RequestState.OPEN
    assert open_request.events == []


@pytest.mark.parametrize(
    ("role", "action"),
    [("manager", "accept"), ("leader", "accept"), ("department", "close")],
)
def test_a_role_that_does_not_take_a_step_is_forbidden(open_request, finance_staff, role, action):
    if action == "close":
        resolved(open_request, finance_staff)
    actor = finance_staff if role == "department" else UserFactory(role=role)

    with pytest.raises(ForbiddenError):
        take_step(actor, open_request, action, StepInput(satisfaction=4), NOW)


def test_staff_of_another_department_cannot_take_a_step(open_request, stec_staff):
    with pytest.raises(ForbiddenError):
        take_step(stec_staff, open_request, "accept", StepInput(), NOW)


@pytest.mark.parametrize(
    ("action", "data", "field"),
    [
        ("resolve", StepInput(answer="   "), "answer"),
        ("close", StepInput(), "satisfaction"),
        ("close", StepInput(satisfaction=6), "satisfaction"),
        ("reopen", StepInput(), "note"),
        ("transfer", StepInput(department="finance"), "department"),
        ("transfer", StepInput(department="nowhere"), "department"),
        ("reject", StepInput(), "reason"),
    ],
)
def test_a_step_without_its_required_input_names_the_missing_field(
    open_request, admin, action, data, field
):
    if action in {"resolve", "close", "reopen"}:
        take_step(admin, open_request, "accept", StepInput(), NOW)
        take_step(admin, open_request, "start", StepInput(), NOW)
    if action in {"close", "reopen"}:
        take_step(admin, open_request, "resolve", StepInput(answer="已办结"), NOW)

    with pytest.raises(InvalidInputError) as invalid:
        take_step(admin, open_request, action, data, NOW)

    assert list(invalid.value.errors) == [field]


def test_an_unknown_action_is_invalid_input(open_request, admin):
    with pytest.raises(InvalidInputError) as invalid:
        take_step(admin, open_request, "escalate", StepInput(), NOW)

    assert "action" in invalid.value.errors


def test_a_step_on_a_version_the_user_did_not_see_is_stale(open_request, finance_staff):
    seen = open_request.version_id
    take_step(finance_staff, open_request, "accept", StepInput(), NOW)

    with pytest.raises(StaleEditError):
        take_step(finance_staff, open_request, "start", StepInput(), NOW, seen_version=seen)


def test_the_actions_offered_come_from_the_same_table(open_request, finance_staff, manager):
    offered = allowed_actions(finance_staff, open_request)

    assert offered == [Action.ACCEPT, Action.TRANSFER, Action.REJECT]
    assert allowed_actions(manager, open_request) == [Action.TRANSFER]
    assert all(RequestState.OPEN in TRANSITIONS[action].from_states for action in offered)


@pytest.mark.parametrize(
    ("state", "due_in_days", "expected"),
    [
        (RequestState.OPEN, -1, True),
        (RequestState.IN_PROGRESS, -1, True),
        (RequestState.OPEN, 0, False),
        (RequestState.RESOLVED, -1, False),
        (RequestState.CLOSED, -5, False),
        (RequestState.REJECTED, -5, False),
    ],
)
def test_only_a_pending_request_past_its_due_date_is_overdue(app, state, due_in_days, expected):
    today = NOW.date()
    request = EnterpriseRequestFactory(state=state, due_on=today + timedelta(days=due_in_days))

    assert is_overdue(request, today) is expected

"""Raising, reading, editing and deleting firms' requests, within the acting user's scope."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from crm import access
from crm.audit import diff, record_change, snapshot
from crm.enterprises.services import get_enterprise
from crm.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    StaleEditError,
)
from crm.labels import label  # the visit enums register their labels there
from crm.records import soft_delete
from crm.reference import by_slug
from crm.requests import routing
from crm.requests.workflow import TEXT_MAX_LENGTH
from models import (
    Department,
    Enterprise,
    EnterpriseRequest,
    RedFlag,
    RequestCategory,
    RequestEvent,
    RequestState,
    RequestUrgency,
    Role,
    User,
    Visit,
    db,
)

CREATOR_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.MANAGER})
FINAL_STATES = frozenset({RequestState.CLOSED, RequestState.REJECTED})
AUDITED_FIELDS = (
    "category",
    "description",
    "urgency",
    "due_on",
    "raised_on",
    "visit_id",
    "red_flag",
)
# The request category a red flag turns into, when the manager files it as a request.
RED_FLAG_CATEGORY: dict[RedFlag, RequestCategory] = {
    RedFlag.MOVE_OUT: RequestCategory.SPACE,
    RedFlag.FINANCING_GAP: RequestCategory.FINANCING,
    RedFlag.KEY_PEOPLE_LEAVING: RequestCategory.TALENT,
    RedFlag.REGULATORY_TROUBLE: RequestCategory.PERMITS,
    RedFlag.DOWNSIZING: RequestCategory.OTHER,
}


@dataclass
class RequestInput:
    enterprise_id: int
    category: str
    description: str
    urgency: str = RequestUrgency.NORMAL.value
    department: str | None = None  # slug; None takes the category's route
    due_on: date | None = None  # None: raised_on plus the route's due days
    raised_on: date | None = None  # None: today
    visit_id: int | None = None
    red_flag: RedFlag | None = None  # with visit_id: the flag of that visit it was filed from


@dataclass
class RequestEdit:
    description: str
    urgency: str
    due_on: date


def get_request(actor: User, request_id: int) -> EnterpriseRequest:
    """The request, or NotFoundError when it is missing, deleted or outside the actor's scope."""
    request = db.session.get(EnterpriseRequest, request_id)
    if request is None or request.is_deleted or not access.can_read_request(actor, request):
        raise NotFoundError(_("Not found."))
    return request


def can_create_requests(user: User) -> bool:
    return user.role in CREATOR_ROLES


def can_edit_request(user: User, request: EnterpriseRequest) -> bool:
    return user.role in CREATOR_ROLES and access.can_read_request(user, request)


def can_delete_request(user: User, request: EnterpriseRequest) -> bool:
    return user.role == Role.ADMIN or request.created_by_id == user.id


def create_request(actor: User, data: RequestInput, now: datetime) -> EnterpriseRequest:
    if not can_create_requests(actor):
        raise ForbiddenError(_("Your role cannot raise requests."))
    enterprise = get_enterprise(actor, data.enterprise_id)
    raised_on = data.raised_on or now.date()
    category, urgency, department, errors = _checked(data)
    if raised_on > now.date():
        errors["raised_on"] = [_("A request cannot be raised in the future.")]
    if data.due_on is not None and data.due_on < raised_on:
        errors["due_on"] = [_("The due date cannot be before the day it was raised.")]
    if data.visit_id is not None and not _visit_of(data.visit_id, enterprise):
        errors["visit_id"] = [_("This visit is not one of the firm's.")]
    if errors or category is None or urgency is None:
        raise InvalidInputError(errors)
    suggestion = routing.suggest(category, raised_on)
    request = EnterpriseRequest(
        enterprise=enterprise,
        visit_id=data.visit_id,
        red_flag=data.red_flag,
        category=category,
        description=data.description.strip(),
        urgency=urgency,
        department=department or suggestion.department,
        state=RequestState.OPEN,
        raised_on=raised_on,
        due_on=data.due_on or suggestion.due_on,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    request.events.append(
        RequestEvent(
            action="create",
            to_state=RequestState.OPEN,
            actor=actor,
            at=now,
            to_department_id=request.department.id,
        )
    )
    db.session.add(request)
    db.session.flush()
    after = snapshot(request, AUDITED_FIELDS) | {"department": request.department.slug}
    record_change(actor, "create", "request", request.id, diff({}, after))
    return request


def file_red_flag(actor: User, visit: Visit, flag: RedFlag, now: datetime) -> EnterpriseRequest:
    """The request for one of the visit's raised flags, routed by the flag's category. Filing a
    flag again returns its request: a double tap or a second manager must not raise two."""
    if not can_create_requests(actor):
        raise ForbiddenError(_("Your role cannot raise requests."))
    row = next((row for row in visit.red_flags if row.flag == flag), None)
    if row is None:
        raise NotFoundError(_("Not found."))
    filed = db.session.scalar(
        select(EnterpriseRequest).where(
            EnterpriseRequest.visit_id == visit.id,
            EnterpriseRequest.red_flag == flag,
            EnterpriseRequest.deleted_at.is_(None),
        )
    )
    if filed is not None:
        return filed
    parts = (label(flag), row.move_out_reason and label(row.move_out_reason), row.note)
    data = RequestInput(
        enterprise_id=visit.enterprise_id,
        category=RED_FLAG_CATEGORY[flag].value,
        description=" — ".join(part for part in parts if part),
        visit_id=visit.id,
        red_flag=flag,
    )
    return create_request(actor, data, now)


def update_request(
    actor: User, request: EnterpriseRequest, data: RequestEdit, seen_version: int, now: datetime
) -> EnterpriseRequest:
    if not can_edit_request(actor, request):
        raise ForbiddenError(_("Your role cannot change this request."))
    if request.state in FINAL_STATES:
        raise ConflictError(_("A closed or rejected request can no longer be changed."))
    if seen_version != request.version_id:
        raise StaleEditError(
            _("Someone else changed this request after you opened it. Reload to see the change.")
        )
    errors = _text_problems(data.description)
    urgency = enum_member(RequestUrgency, data.urgency, "urgency", errors)
    if data.due_on < request.raised_on:
        errors["due_on"] = [_("The due date cannot be before the day it was raised.")]
    if errors or urgency is None:
        raise InvalidInputError(errors)
    before = snapshot(request, AUDITED_FIELDS)
    request.description, request.urgency, request.due_on = (
        data.description.strip(),
        urgency,
        data.due_on,
    )
    if changes := diff(before, snapshot(request, AUDITED_FIELDS)):
        request.updated_at = now
        db.session.flush()
        record_change(actor, "update", "request", request.id, changes)
    return request


def delete_request(actor: User, request: EnterpriseRequest, now: datetime) -> None:
    if not can_delete_request(actor, request):
        raise ForbiddenError(_("Only the request's creator or an administrator can delete it."))
    soft_delete(actor, "request", request, now)


def _checked(
    data: RequestInput,
) -> tuple[RequestCategory | None, RequestUrgency | None, Department | None, dict[str, list[str]]]:
    errors = _text_problems(data.description)
    category = enum_member(RequestCategory, data.category, "category", errors)
    urgency = enum_member(RequestUrgency, data.urgency, "urgency", errors)
    department = by_slug(Department, data.department) if data.department else None
    if data.department and department is None:
        errors["department"] = [_("Choose a department from the list.")]
    return category, urgency, department, errors


def _text_problems(description: str) -> dict[str, list[str]]:
    if not description.strip():
        return {"description": [_("Describe what the firm needs.")]}
    if len(description) > TEXT_MAX_LENGTH:
        return {"description": [_("At most %(count)d characters.", count=TEXT_MAX_LENGTH)]}
    return {}


def enum_member(kind: Any, value: str, name: str, errors: dict[str, list[str]]) -> Any:
    try:
        return kind(value)
    except ValueError:
        errors[name] = [_("Choose a value from the list.")]
        return None


def _visit_of(visit_id: int, enterprise: Enterprise) -> bool:
    visit = db.session.get(Visit, visit_id)
    return visit is not None and not visit.is_deleted and visit.enterprise_id == enterprise.id

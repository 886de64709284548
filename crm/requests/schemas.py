"""The JSON shapes of /api/v1/requests: raising a request, taking a step, and the request answered.

Bodies carry types only; the services check categories, departments, states and ranges and name
the field they refuse, as for the web forms.
"""

from datetime import date
from typing import Self

from pydantic import ConfigDict, Field

from crm.api.schema import Body, DatabaseId, Shape, Timestamp
from crm.requests.workflow import TRANSITIONS, is_overdue
from models import EnterpriseRequest as RequestRow
from models import RequestCategory, RequestState, RequestUrgency


class RequestBody(Body):
    model_config = ConfigDict(extra="forbid")

    enterprise_id: DatabaseId
    visit_id: DatabaseId | None = Field(None, description="A visit of the same firm")
    category: str = Field(min_length=1, json_schema_extra={"enum": [*RequestCategory]})
    description: str = Field(min_length=1, json_schema_extra={"maxLength": 5000})
    urgency: str = Field(RequestUrgency.NORMAL.value, json_schema_extra={"enum": [*RequestUrgency]})
    department: str | None = Field(
        None, description="Department slug; defaults to the category's route"
    )
    due_on: date | None = Field(None, description="Defaults to raised_on plus the route's days")
    raised_on: date | None = Field(None, description="Today")


class RequestTransition(Body):
    model_config = ConfigDict(extra="forbid")

    action: str = Field(min_length=1, json_schema_extra={"enum": [*TRANSITIONS]})
    note: str | None = Field(None, description="Required by reopen")
    answer: str | None = Field(None, description="Required by resolve")
    satisfaction: DatabaseId | None = Field(None, description="1 to 5; required by close")
    department: str | None = Field(None, description="Slug; required by transfer")
    reason: str | None = Field(None, description="Required by reject")
    version_id: DatabaseId | None = Field(None, description="If sent, a stale one answers 409")


class RequestEvent(Shape):
    action: str
    from_state: RequestState | None
    to_state: RequestState
    actor: str = Field(description="Username")
    at: Timestamp
    note: str | None
    from_department: str | None
    to_department: str | None


class EnterpriseRequest(Shape):
    id: int
    version_id: int
    enterprise_id: int
    enterprise_name: str
    visit_id: int | None
    category: RequestCategory
    description: str
    urgency: RequestUrgency
    department: str = Field(description="Department slug")
    state: RequestState
    raised_on: date
    due_on: date
    is_overdue: bool = Field(description="Due before today and still open or being worked on")
    answer: str | None
    rejection_reason: str | None
    satisfaction: int | None = Field(ge=1, le=5)
    created_by: str
    updated_at: Timestamp
    events: list[RequestEvent] = Field(
        default_factory=list, description="Sent with one request, not in lists"
    )

    @classmethod
    def of(cls, item: RequestRow, today: date, slugs: dict[int, str] | None = None) -> Self:
        """The request; with `slugs` (department id to slug) also its event timeline."""
        timeline = {} if slugs is None else {"events": _events(item, slugs)}
        return cls.from_row(
            item,
            enterprise_name=item.enterprise.name,
            department=item.department.slug,
            is_overdue=is_overdue(item, today),
            created_by=item.created_by.username,
            **timeline,
        )


def _events(item: RequestRow, slugs: dict[int, str]) -> list[RequestEvent]:
    return [
        RequestEvent.from_row(
            event,
            actor=event.actor.username,
            from_department=slugs.get(event.from_department_id or 0),
            to_department=slugs.get(event.to_department_id or 0),
        )
        for event in item.events
    ]

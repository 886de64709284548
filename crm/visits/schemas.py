"""The JSON shapes of /api/v1/visits: the body that logs a visit and the visit answered.

The body carries types only; the service checks what needs rules (a summary, the red flags of an
on-site visit, owners who exist) and names the field it refuses, as for the web form.
"""

from datetime import date
from typing import ClassVar, Self

from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from crm.api.schema import Body, DatabaseId, MessageFor, Shape, Timestamp
from crm.visits.services import FollowUpInput, VisitInput
from crm.visits.validation import FlagAnswer
from models import MoveOutReason, RedFlag, VisitKind
from models import Visit as VisitRow
from models.visit import FINDING_AREAS


class Findings(BaseModel):
    """One note per area of the firm's situation (models.visit.FINDING_AREAS)."""

    model_config = ConfigDict(extra="forbid")

    operations: str | None = None
    financing: str | None = None
    space: str | None = None
    talent: str | None = None
    market: str | None = None
    risks: str | None = None


def _longest(characters: int) -> JsonDict:
    # Documented only: the service refuses a longer text with a message naming the limit.
    return {"maxLength": characters}


class FollowUpBody(Body):
    description: str | None = Field(None, json_schema_extra=_longest(300))
    owner: str | None = Field(None, description="Username of the person who acts")
    due_on: date | None = None


class VisitBody(Body):
    refusals: ClassVar[MessageFor] = {"enterprise_id": _l("Send the firm's id.")}

    enterprise_id: DatabaseId
    visited_on: date | None = None
    kind: str | None = Field(None, json_schema_extra={"enum": [*VisitKind, None]})
    summary: str = Field("", json_schema_extra=_longest(5000))
    people_met: str | None = Field(None, json_schema_extra=_longest(300))
    findings: Findings = Findings()
    red_flags: dict[RedFlag, bool] | None = Field(
        None,
        description="Every red flag answered yes (true) or no (false); required on site visits",
    )
    move_out_reason: str | None = Field(
        None,
        description="Required when red_flags.move_out is true",
        json_schema_extra={"enum": [*MoveOutReason, None]},
    )
    participants: list[str] = Field(default_factory=list)
    follow_ups: list[FollowUpBody] = Field(default_factory=list)
    next_visit_on: date | None = None
    confirm_duplicate: bool = Field(
        False, description="Log it although another unit visited within 30 days"
    )

    def input(self) -> VisitInput:
        reason = self.move_out_reason
        return VisitInput(
            visited_on=self.visited_on,
            kind=self.kind or "",
            summary=self.summary,
            people_met=self.people_met,
            findings=self.findings.model_dump(exclude_unset=True),
            red_flags_asked=self.red_flags is not None,
            red_flags={
                flag.value: FlagAnswer(raised, reason if flag is RedFlag.MOVE_OUT else None)
                for flag, raised in (self.red_flags or {}).items()
            },
            participants=self.participants,
            follow_ups=[
                FollowUpInput(row.description or "", row.owner or None, row.due_on)
                for row in self.follow_ups
            ],
            next_visit_on=self.next_visit_on,
        )


class RaisedFlag(Shape):
    flag: RedFlag
    move_out_reason: MoveOutReason | None
    note: str | None


class FollowUp(Shape):
    id: int
    description: str
    owner: str
    due_on: date
    done_at: Timestamp | None


class RecentVisit(Shape):
    id: int
    visited_on: date
    kind: VisitKind
    created_by: str
    created_by_name: str

    @classmethod
    def of(cls, visit: VisitRow) -> Self:
        author = visit.created_by
        return cls.from_row(visit, created_by=author.username, created_by_name=author.display_name)


class DuplicateVisit(Shape):
    """409: another unit visited recently; resend with confirm_duplicate."""

    error: str
    errors: dict[str, list[str]]
    recent: list[RecentVisit]


class Visit(Shape):
    id: int
    enterprise_id: int
    enterprise_name: str
    visited_on: date
    kind: VisitKind
    summary: str
    people_met: str | None
    findings: Findings
    red_flags_asked: bool
    red_flags: list[RaisedFlag] = Field(description="The flags answered yes")
    participants: list[str]
    follow_ups: list[FollowUp]
    next_visit_on: date | None
    created_by: str
    created_at: Timestamp
    version_id: int

    @classmethod
    def of(cls, visit: VisitRow) -> Self:
        return cls.from_row(
            visit,
            enterprise_name=visit.enterprise.name,
            findings=Findings(
                **{area: getattr(visit, f"findings_{area}") for area in FINDING_AREAS}
            ),
            participants=sorted(user.username for user in visit.participants),
            follow_ups=[
                FollowUp.from_row(action, owner=action.owner.username)
                for action in visit.follow_ups
            ],
            created_by=visit.created_by.username,
        )

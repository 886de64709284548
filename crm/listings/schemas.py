"""The JSON shapes of /api/v1/listings: opening a track, moving it, a blocker, and the answers.

Bodies carry types only; the services check stages, days and reasons and name the field they
refuse, as for the web forms.
"""

from datetime import date
from typing import ClassVar, Self

from flask_babel import lazy_gettext as _l
from pydantic import Field

from crm.api.schema import Body, DatabaseId, MessageFor, Shape, Timestamp
from crm.listings.blockers import BlockerInput, is_resolved, resolved_on
from crm.listings.services import MoveInput, TrackInput
from models import ListingBlocker as BlockerRow
from models import ListingBoard, ListingStage, RequestState
from models import ListingTrack as TrackRow


class ListingTrackBody(Body):
    refusals: ClassVar[MessageFor] = {
        "enterprise_id": _l("Send the firm's id."),
        "board": _l("Choose a value from the list."),
    }

    enterprise_id: DatabaseId
    board: ListingBoard
    stage: ListingStage = ListingStage.CANDIDATE
    stage_since: date | None = Field(None, description="Default: today")
    sponsor: str | None = Field(None, json_schema_extra={"maxLength": 100})
    planned_listing_on: date | None = None

    def input(self) -> TrackInput:
        return TrackInput(
            board=self.board.value,
            stage=self.stage.value,
            stage_since=self.stage_since,
            sponsor=self.sponsor,
            planned_listing_on=self.planned_listing_on,
        )


class ListingMove(Body):
    refusals: ClassVar[MessageFor] = {
        "version_id": _l("Send the version_id you last read."),
        "on": _l("Give the day of this step."),
    }

    stage: ListingStage | None = Field(None, description="advance only: the stage reached")
    on: date
    note: str | None = Field(None, description="The reason: required to pause or withdraw")
    stock_code: str | None = Field(None, description="advance to listed only")
    version_id: int

    def input(self) -> MoveInput:
        stage = self.stage.value if self.stage else ""
        return MoveInput(stage=stage, on=self.on, note=self.note, stock_code=self.stock_code)


class ListingBlockerBody(Body):
    refusals: ClassVar[MessageFor] = {
        "description": _l("Describe what is in the way."),
        "department": _l("Choose the department that owns it."),
        "due_on": _l("Give the day it must be cleared by."),
    }

    description: str = Field(json_schema_extra={"maxLength": 200})
    department: str = Field(description="The owning department's slug")
    due_on: date
    category: str = Field("permits", description="The request category it is filed under")

    def input(self) -> BlockerInput:
        return BlockerInput(self.description, self.department, self.due_on, self.category)


class ListingStep(Shape):
    from_stage: ListingStage | None
    to_stage: ListingStage
    on: date
    actor: str
    note: str | None


class ListingBlocker(Shape):
    id: int
    description: str
    request_id: int
    department: str = Field(description="The owning department's slug")
    due_on: date
    request_state: RequestState
    is_resolved: bool
    resolved_on: date | None

    @classmethod
    def of(cls, blocker: BlockerRow) -> Self:
        request = blocker.request
        return cls.from_row(
            blocker,
            department=request.department.slug,
            due_on=request.due_on,
            request_state=request.state,
            is_resolved=is_resolved(request),
            resolved_on=resolved_on(request),
        )


class ListingTrack(Shape):
    id: int
    enterprise_id: int
    enterprise: str
    board: ListingBoard
    stage: ListingStage
    stage_since: date
    sponsor: str | None
    planned_listing_on: date | None
    halt_reason: str | None
    listed_on: date | None
    stock_code: str | None
    updated_at: Timestamp
    version_id: int
    steps: list[ListingStep]
    blockers: list[ListingBlocker]
    package_ids: list[int]

    @classmethod
    def of(cls, track: TrackRow) -> Self:
        return cls.from_row(
            track,
            enterprise=track.enterprise.name,
            steps=[ListingStep.from_row(step, actor=step.actor.username) for step in track.steps],
            blockers=[ListingBlocker.of(b) for b in track.blockers],
            package_ids=[package.id for package in track.packages],
        )

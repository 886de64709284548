"""Opening a firm's listing track and moving it along its stages, within the actor's scope."""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from crm.audit import diff, record_change, record_created, snapshot
from crm.enterprises.services import get_enterprise
from crm.errors import ConflictError, FieldErrors, ForbiddenError, InvalidInputError, StaleEditError
from crm.listings.scope import can_edit_track, can_edit_tracks
from crm.requests.services import enum_member
from models import (
    Designation,
    Enterprise,
    EnterpriseDesignation,
    ListingBoard,
    ListingStage,
    ListingStep,
    ListingTrack,
    Tier,
    User,
    db,
)
from models.listing import ROAD

SPONSOR_MAX_LENGTH = 100
STOCK_CODE_MAX_LENGTH = 20
REASON_MAX_LENGTH = 2000
EDITABLE_FIELDS = ("board", "sponsor", "planned_listing_on")  # the rest moves by steps
OPENING_STAGES = ROAD[:-1]  # a track is opened before listing; a listed firm is recorded so
LIVE_STAGES = frozenset(OPENING_STAGES)  # on the road and still moving
HALTED = frozenset({ListingStage.PAUSED, ListingStage.WITHDRAWN})


@dataclass
class TrackInput:
    board: str
    stage: str = ListingStage.CANDIDATE.value
    stage_since: date | None = None
    sponsor: str | None = None
    planned_listing_on: date | None = None


@dataclass
class MoveInput:
    stage: str
    on: date | None
    note: str | None = None
    stock_code: str | None = None  # when the move is to listed


def open_track(actor: User, enterprise_id: int, data: TrackInput, now: datetime) -> ListingTrack:
    """A firm's track, begun at `data.stage` on `data.stage_since` (its first step)."""
    if not can_edit_tracks(actor):
        raise ForbiddenError(_("Your role cannot change listing tracks."))
    enterprise = get_enterprise(actor, enterprise_id)
    if live_track_of(enterprise.id) is not None:
        raise ConflictError(_("This firm already has a listing track."))
    errors = FieldErrors()
    board = enum_member(ListingBoard, data.board, "board", errors)
    stage = enum_member(ListingStage, data.stage, "stage", errors)
    if stage is not None and stage not in LIVE_STAGES:
        errors.add("stage", _("A track opens at a stage before listing."))
    since = data.stage_since or now.date()
    if since > now.date():
        errors.add("stage_since", _("This day has not come yet."))
    sponsor = errors.text("sponsor", data.sponsor, SPONSOR_MAX_LENGTH) or None
    if errors or board is None or stage is None:
        raise InvalidInputError(errors)
    track = ListingTrack(
        enterprise=enterprise,
        board=board,
        stage=stage,
        stage_since=since,
        sponsor=sponsor,
        planned_listing_on=data.planned_listing_on,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    track.steps.append(ListingStep(from_stage=None, to_stage=stage, on=since, actor=actor))
    db.session.add(track)
    db.session.flush()
    record_created(
        actor,
        "listing_track",
        track.id,
        {
            "enterprise_id": enterprise.id,
            "board": board.value,
            "stage": stage.value,
            "stage_since": since.isoformat(),
            "sponsor": sponsor,
        },
    )
    return track


def update_track(
    actor: User, track: ListingTrack, data: TrackInput, seen_version: int, now: datetime
) -> ListingTrack:
    """Board, sponsor and planned date; the stage moves only by the steps below."""
    _check_writable(actor, track, seen_version)
    errors = FieldErrors()
    board = enum_member(ListingBoard, data.board, "board", errors)
    sponsor = errors.text("sponsor", data.sponsor, SPONSOR_MAX_LENGTH) or None
    if errors or board is None:
        raise InvalidInputError(errors)
    before = snapshot(track, EDITABLE_FIELDS)
    track.board, track.sponsor, track.planned_listing_on = board, sponsor, data.planned_listing_on
    changes = diff(before, snapshot(track, EDITABLE_FIELDS))
    if changes:
        track.updated_at = now
        db.session.flush()
        record_change(actor, "update", "listing_track", track.id, changes)
    return track


def advance_track(
    actor: User, track: ListingTrack, data: MoveInput, seen_version: int, now: datetime
) -> ListingTrack:
    """Forward along the road, one or more stages at once; reaching listed marks the firm."""
    _check_writable(actor, track, seen_version)
    if track.stage not in LIVE_STAGES:
        raise ConflictError(_("Only a track on its way can move forward."))
    errors = FieldErrors()
    stage = enum_member(ListingStage, data.stage, "stage", errors)
    if stage is not None and (stage not in ROAD or ROAD.index(stage) <= ROAD.index(track.stage)):
        errors.add("stage", _("Choose a later stage on the road to listing."))
    on = _step_day(track, data.on, now, errors)
    stock_code = errors.text("stock_code", data.stock_code, STOCK_CODE_MAX_LENGTH) or None
    if errors or stage is None or on is None:
        raise InvalidInputError(errors)
    extra: dict[str, list[object]] = {}
    if stage == ListingStage.LISTED:
        track.listed_on, track.stock_code = on, stock_code
        extra = {"listed_on": [None, on.isoformat()], "stock_code": [None, stock_code]}
    _move(actor, track, stage, on, data.note, now, extra)
    if stage == ListingStage.LISTED:
        mark_listed(actor, track.enterprise, on, now)
    return track


def halt_track(
    actor: User,
    track: ListingTrack,
    stage: ListingStage,
    data: MoveInput,
    seen_version: int,
    now: datetime,
) -> ListingTrack:
    """Pause or withdraw a track, with the reason: a halt nobody can explain helps no one."""
    _check_writable(actor, track, seen_version)
    allowed = LIVE_STAGES | ({ListingStage.PAUSED} if stage == ListingStage.WITHDRAWN else set())
    if stage not in HALTED or track.stage not in allowed:
        raise ConflictError(_("This track cannot be paused or withdrawn now."))
    errors = FieldErrors()
    on = _step_day(track, data.on, now, errors)
    reason = errors.text("note", data.note, REASON_MAX_LENGTH, _("Say why.")) or None
    if errors or on is None:
        raise InvalidInputError(errors)
    track.halt_reason = reason
    _move(actor, track, stage, on, reason, now, {"halt_reason": [None, reason]})
    return track


def resume_track(
    actor: User, track: ListingTrack, data: MoveInput, seen_version: int, now: datetime
) -> ListingTrack:
    """A paused track goes back to the stage it left."""
    _check_writable(actor, track, seen_version)
    if track.stage != ListingStage.PAUSED:
        raise ConflictError(_("Only a paused track can resume."))
    errors = FieldErrors()
    on = _step_day(track, data.on, now, errors)
    if errors or on is None:
        raise InvalidInputError(errors)
    left = stage_left(track)
    reason = track.halt_reason
    track.halt_reason = None
    _move(actor, track, left, on, data.note, now, {"halt_reason": [reason, None]})
    return track


def stage_left(track: ListingTrack) -> ListingStage:
    """The stage a paused track left: the one its latest step to paused came from."""
    pauses = [step for step in track.steps if step.to_stage == ListingStage.PAUSED]
    left = pauses[-1].from_stage if pauses else None
    return left if left in LIVE_STAGES and left is not None else ListingStage.CANDIDATE


def live_track_of(enterprise_id: int) -> ListingTrack | None:
    return db.session.scalar(
        select(ListingTrack).where(
            ListingTrack.enterprise_id == enterprise_id, ListingTrack.deleted_at.is_(None)
        )
    )


def mark_listed(actor: User | None, enterprise: Enterprise, on: date, now: datetime) -> None:
    """The firm holds the listed designation from `on` and has reached a milestone: the ranking
    learns from the designation's award date (scoring/labels.py), the tier shows the milestone."""
    before = {"designations": sorted(enterprise.designations), "tier": enterprise.tier.value}
    row = next(
        (r for r in enterprise.designation_rows if r.designation == Designation.LISTED), None
    )
    if row is None:
        row = EnterpriseDesignation(designation=Designation.LISTED, awarded_on=on)
        enterprise.designation_rows.append(row)
    awarded_before = row.awarded_on.isoformat() if row.awarded_on and row.awarded_on != on else None
    row.awarded_on = on
    enterprise.tier = Tier.ACHIEVED
    enterprise.updated_at = now
    after = {"designations": sorted(enterprise.designations), "tier": enterprise.tier.value}
    changes = diff(before, after)
    changes["listed_awarded_on"] = [awarded_before, on.isoformat()]
    db.session.flush()
    record_change(actor, "update", "enterprise", enterprise.id, changes)


def _move(
    actor: User,
    track: ListingTrack,
    stage: ListingStage,
    on: date,
    note: str | None,
    now: datetime,
    extra: dict[str, list[object]],
) -> None:
    previous = track.stage
    note = (note or "").strip() or None
    track.steps.append(
        ListingStep(from_stage=previous, to_stage=stage, on=on, actor=actor, note=note)
    )
    track.stage, track.stage_since, track.updated_at = stage, on, now
    db.session.flush()
    changes: dict[str, list[object]] = {
        "stage": [previous.value, stage.value],
        "on": [None, on.isoformat()],
    }
    changes.update(extra)
    record_change(actor, "move", "listing_track", track.id, changes)


def _check_writable(actor: User, track: ListingTrack, seen_version: int) -> None:
    if not can_edit_track(actor, track):
        raise ForbiddenError(_("Your role cannot change listing tracks."))
    if seen_version != track.version_id:
        raise StaleEditError(
            _("Someone else changed this track after you opened it. Reload to see the change.")
        )


def _step_day(
    track: ListingTrack, on: date | None, now: datetime, errors: FieldErrors
) -> date | None:
    if on is None:
        errors.add("on", _("Give the day of this step."))
    elif on > now.date():
        errors.add("on", _("This day has not come yet."))
    elif on < track.stage_since:
        errors.add(
            "on", _("A step cannot come before the previous one (%(day)s).", day=track.stage_since)
        )
    else:
        return on
    return None

"""A track's blockers (each filed as a request to its department) and the support attached."""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from crm.audit import record_change, record_created
from crm.errors import ConflictError, FieldErrors, ForbiddenError, InvalidInputError
from crm.listings.scope import can_edit_track
from crm.listings.services import LIVE_STAGES
from crm.requests.services import RequestInput, create_request
from models import (
    EnterpriseRequest,
    ListingBlocker,
    ListingTrack,
    PolicyPackage,
    RequestCategory,
    RequestState,
    User,
    db,
)

DESCRIPTION_MAX_LENGTH = 200
# The track page's choice of packages to attach: the firm's newest, as many as a select can show.
ATTACHABLE_SHOWN = 50
RESOLVED_STATES = frozenset({RequestState.RESOLVED, RequestState.CLOSED})
# What stands between a firm and its listing is mostly a certificate of compliance (permits),
# but land titles, IP disputes and financing gaps are blockers too.
BLOCKER_CATEGORIES = (
    RequestCategory.PERMITS,
    RequestCategory.SPACE,
    RequestCategory.INTELLECTUAL_PROPERTY,
    RequestCategory.FINANCING,
    RequestCategory.POLICY,
    RequestCategory.OTHER,
)


@dataclass
class BlockerInput:
    description: str
    department: str | None  # slug of the department that owns it
    due_on: date | None
    category: str = RequestCategory.PERMITS.value


def is_resolved(request: EnterpriseRequest) -> bool:
    """A blocker is out of the way when its request is resolved or closed (read, never stored)."""
    return request.state in RESOLVED_STATES


def resolved_on(request: EnterpriseRequest) -> date | None:
    if not is_resolved(request):
        return None
    moment = request.resolved_at or request.closed_at
    return moment.date() if moment else None


def add_blocker(
    actor: User, track: ListingTrack, data: BlockerInput, now: datetime
) -> ListingBlocker:
    if not can_edit_track(actor, track):
        raise ForbiddenError(_("Your role cannot change listing tracks."))
    if track.stage not in LIVE_STAGES:
        raise ConflictError(_("Blockers are added to a track still on its way."))
    errors = FieldErrors()
    description = errors.text(
        "description", data.description, DESCRIPTION_MAX_LENGTH, _("Describe what is in the way.")
    )
    if not data.department:
        errors.add("department", _("Choose the department that owns it."))
    if data.due_on is None:
        errors.add("due_on", _("Give the day it must be cleared by."))
    if data.category not in {category.value for category in BLOCKER_CATEGORIES}:
        errors.add("category", _("Choose a value from the list."))
    errors.raise_if_any()
    request = create_request(
        actor,
        RequestInput(
            enterprise_id=track.enterprise_id,
            category=data.category,
            description=_("Listing blocker: %(text)s", text=description),
            department=data.department,
            due_on=data.due_on,
            raised_on=now.date(),
        ),
        now,
    )
    blocker = ListingBlocker(
        track=track, request=request, description=description, created_by=actor, created_at=now
    )
    db.session.add(blocker)
    db.session.flush()
    record_created(
        actor,
        "listing_blocker",
        blocker.id,
        {"track_id": track.id, "request_id": request.id, "description": description},
    )
    return blocker


def attachable_packages(track: ListingTrack) -> list[PolicyPackage]:
    """The firm's newest live packages not yet attached to the track, ATTACHABLE_SHOWN at most."""
    attached = [package.id for package in track.packages]
    query = (
        select(PolicyPackage)
        .where(
            PolicyPackage.enterprise_id == track.enterprise_id,
            PolicyPackage.deleted_at.is_(None),
            PolicyPackage.id.not_in(attached),
        )
        .order_by(PolicyPackage.proposed_at.desc(), PolicyPackage.id.desc())
        .limit(ATTACHABLE_SHOWN)
    )
    return list(db.session.scalars(query))


def attach_package(actor: User, track: ListingTrack, package_id: int | None) -> ListingTrack:
    """Support for the listing: only a live package of the same firm."""
    if not can_edit_track(actor, track):
        raise ForbiddenError(_("Your role cannot change listing tracks."))
    package = db.session.get(PolicyPackage, package_id or 0)
    if package is None or package.is_deleted or package.enterprise_id != track.enterprise_id:
        raise InvalidInputError({"package_id": [_("Choose one of this firm's packages.")]})
    if package in track.packages:
        return track
    before = sorted(p.id for p in track.packages)
    track.packages.append(package)
    db.session.flush()
    after = sorted(p.id for p in track.packages)
    record_change(actor, "update", "listing_track", track.id, {"packages": [before, after]})
    return track

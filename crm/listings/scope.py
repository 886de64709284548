"""Who may see and change which listing tracks (role scoping, built on crm.access)."""

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, false, select, true

from crm import access
from crm.errors import ForbiddenError, NotFoundError
from models import (
    EnterpriseRequest,
    ListingBlocker,
    ListingTrack,
    Role,
    User,
    db,
)

WRITER_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.MANAGER})


def _routed_tracks(user: User) -> ColumnElement[bool]:
    """Department staff see a track only through a blocker filed as a request to them."""
    routed = (
        select(ListingBlocker.track_id)
        .join(EnterpriseRequest, EnterpriseRequest.id == ListingBlocker.request_id)
        .where(
            EnterpriseRequest.department_id == user.department_id,
            EnterpriseRequest.deleted_at.is_(None),
        )
    )
    return ListingTrack.id.in_(routed)


def track_scope(user: User) -> ColumnElement[bool]:
    """A WHERE clause (the query joins Enterprise) limiting tracks to those the user may read."""
    if user.role in {Role.ADMIN, Role.LEADER}:
        return true()
    if user.role == Role.MANAGER:
        return access.enterprise_scope(user)
    if user.role == Role.DEPARTMENT:
        return _routed_tracks(user)
    return false()


def can_read_track(user: User, track: ListingTrack) -> bool:
    if user.role == Role.DEPARTMENT:
        query = select(ListingTrack.id).where(ListingTrack.id == track.id, _routed_tracks(user))
        return db.session.scalar(query) is not None
    return user.role in {Role.ADMIN, Role.LEADER, Role.MANAGER} and access.can_read_enterprise(
        user, track.enterprise
    )


def can_edit_tracks(user: User) -> bool:
    return user.role in WRITER_ROLES


def can_edit_track(user: User, track: ListingTrack) -> bool:
    return can_edit_tracks(user) and access.can_read_enterprise(user, track.enterprise)


def can_see_funnel(user: User) -> bool:
    return user.role in {Role.ADMIN, Role.LEADER}


def get_track(actor: User, track_id: int) -> ListingTrack:
    """The track, or NotFoundError when it is missing, deleted or outside the actor's scope."""
    track = db.session.get(ListingTrack, track_id)
    if track is None or track.is_deleted or track.enterprise.is_deleted:
        raise NotFoundError(_("Not found."))
    if not can_read_track(actor, track):
        raise NotFoundError(_("Not found."))
    return track


def editable_track(actor: User, track_id: int) -> ListingTrack:
    """The track the actor may change: 404 outside scope, 403 for a read-only role."""
    track = get_track(actor, track_id)
    if not can_edit_track(actor, track):
        raise ForbiddenError(_("Your role cannot change listing tracks."))
    return track

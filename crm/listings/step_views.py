"""The track page's forms: move a track, add a blocker, attach a package."""

from collections.abc import Callable
from typing import Any

from flask import redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from crm.clock import utcnow
from crm.enterprises.labels import reference_choices
from crm.errors import seen_version
from crm.form_views import save
from crm.listings import blockers, scope, services
from crm.listings.forms import AdvanceForm, AttachForm, BlockerForm, EditTrackForm, HaltForm
from crm.listings.labels import choices
from crm.listings.views import bp, render_track
from models import Department, ListingBoard, ListingStage, ListingTrack

HALTS = {"pause": ListingStage.PAUSED, "withdraw": ListingStage.WITHDRAWN}


@bp.post("/<int:track_id>/advance")
@login_required
def advance_track(track_id: int) -> tuple[str, int] | Response:
    track = scope.editable_track(current_user, track_id)
    form = AdvanceForm()
    form.stage.choices = [(stage.value, stage.value) for stage in ListingStage]

    def write() -> object:
        seen = seen_version(form.version_id.data)
        return services.advance_track(current_user, track, form.to_input(), seen, utcnow())

    return _posted(track, form, "advance_form", write, _("Stage recorded."))


@bp.post("/<int:track_id>/<any(pause, withdraw, resume):action>")
@login_required
def halt_track(track_id: int, action: str) -> tuple[str, int] | Response:
    track = scope.editable_track(current_user, track_id)
    form = HaltForm()

    def write() -> object:
        seen = seen_version(form.version_id.data)
        if action == "resume":
            return services.resume_track(current_user, track, form.to_input(), seen, utcnow())
        stage = HALTS[action]
        return services.halt_track(current_user, track, stage, form.to_input(), seen, utcnow())

    done = _("Track resumed.") if action == "resume" else _("Track halted.")
    return _posted(track, form, "halt_form", write, done, halt_action=action)


@bp.post("/<int:track_id>/edit")
@login_required
def edit_track(track_id: int) -> tuple[str, int] | Response:
    track = scope.editable_track(current_user, track_id)
    form = EditTrackForm()
    form.board.choices = choices(ListingBoard)

    def write() -> object:
        seen = seen_version(form.version_id.data)
        return services.update_track(current_user, track, form.to_input(), seen, utcnow())

    return _posted(track, form, "edit_form", write, _("Changes saved."))


@bp.post("/<int:track_id>/blockers")
@login_required
def add_blocker(track_id: int) -> tuple[str, int] | Response:
    track = scope.editable_track(current_user, track_id)
    form = BlockerForm()
    form.category.choices = [(c.value, c.value) for c in blockers.BLOCKER_CATEGORIES]
    form.department.choices = reference_choices(Department)

    def write() -> object:
        return blockers.add_blocker(current_user, track, form.to_input(), utcnow())

    return _posted(track, form, "blocker_form", write, _("Blocker added and filed as a request."))


@bp.post("/<int:track_id>/packages")
@login_required
def attach_package(track_id: int) -> tuple[str, int] | Response:
    track = scope.editable_track(current_user, track_id)
    form = AttachForm()

    def write() -> object:
        return blockers.attach_package(current_user, track, form.package_id.data)

    return _posted(track, form, "attach_form", write, _("Package attached."))


def _posted(
    track: ListingTrack,
    form: FlaskForm,
    name: str,
    write: Callable[[], object],
    done: str,
    **extra: Any,
) -> tuple[str, int] | Response:
    """Validate, write, commit and go back to the track; or show the page with the errors."""
    if form.validate_on_submit():
        saved = save(form, write, done)
        if saved.done:
            return redirect(url_for(".show_track", track_id=track.id))
        if saved.conflict is not None:
            return render_track(track, 409)
    return render_track(track, 422, **{name: form}, **extra)

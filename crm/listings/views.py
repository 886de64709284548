"""Listing pipeline pages: the list, a track, opening a track from a firm, the leader's funnel."""

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from crm.clock import utcnow
from crm.cursor_args import cursor_page
from crm.enterprises.labels import reference_choices
from crm.enterprises.services import get_enterprise
from crm.errors import record_id
from crm.form_views import save
from crm.keyset import capped_count
from crm.listings import blockers, funnel, queries, scope, services
from crm.listings.forecast import MIN_OBSERVATIONS
from crm.listings.forms import (
    AdvanceForm,
    AttachForm,
    BlockerForm,
    EditTrackForm,
    HaltForm,
    TrackForm,
)
from crm.listings.labels import BADGES, choices, label
from crm.records import history_of
from crm.requests.labels import label as request_label
from crm.view_helpers import require
from models import (
    Department,
    ListingBlocker,
    ListingBoard,
    ListingStage,
    ListingTrack,
    Role,
    SubDistrict,
    db,
)
from models.listing import ROAD

bp = Blueprint("listings", __name__, url_prefix="/listings")
TRACKS_PER_PAGE = 50


@bp.route("/")
@login_required
def list_tracks() -> str:
    filters = queries.TrackFilter.from_args(request.args)
    if current_user.role not in {Role.ADMIN, Role.LEADER}:
        filters = queries.TrackFilter(filters.stage, filters.board)
    query = queries.track_query(current_user, filters)
    page = cursor_page(queries.page_of, query, TRACKS_PER_PAGE)
    return render_template(
        "listings/list_tracks.html",
        filters=filters,
        page=page,
        count=capped_count(query),
        open_blockers=queries.open_blocker_counts([track.id for track in page.rows]),
        stages=choices(ListingStage),
        boards=choices(ListingBoard),
        sub_districts=reference_choices(SubDistrict)
        if current_user.role in {Role.ADMIN, Role.LEADER}
        else [],
        can_see_funnel=scope.can_see_funnel(current_user),
        settled=queries.SETTLED,
        today=utcnow().date(),
        label=label,
        stage_badges=BADGES,
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def open_track() -> tuple[str, int] | Response:
    # record_id, not type=int: an id past the database's range is no firm (404), not an overflow.
    enterprise = get_enterprise(current_user, record_id(request.args.get("enterprise_id")) or 0)
    require(scope.can_edit_tracks(current_user))
    if (existing := services.live_track_of(enterprise.id)) is not None:
        return redirect(url_for(".show_track", track_id=existing.id))
    form = TrackForm()
    form.board.choices = choices(ListingBoard)
    form.stage.choices = [(stage.value, label(stage)) for stage in services.OPENING_STAGES]
    if form.validate_on_submit():
        opened = save(
            form,
            lambda: services.open_track(current_user, enterprise.id, form.to_input(), utcnow()),
            _("Listing track opened."),
        )
        if opened.value is not None:
            return redirect(url_for(".show_track", track_id=opened.value.id))
    status = 422 if form.errors else 200
    return render_template("listings/open_track.html", form=form, enterprise=enterprise), status


@bp.route("/<int:track_id>")
@login_required
def show_track(track_id: int) -> str:
    return render_track(scope.get_track(current_user, track_id))[0]


@bp.route("/blockers/<int:blocker_id>")
@login_required
def show_blocker(blocker_id: int) -> Response:
    blocker = db.session.get(ListingBlocker, blocker_id) or abort(404)
    track = scope.get_track(current_user, blocker.track_id)
    return redirect(url_for(".show_track", track_id=track.id) + f"#blocker-{blocker.id}")


@bp.route("/funnel")
@login_required
def show_funnel() -> str:
    require(scope.can_see_funnel(current_user))
    today = utcnow().date()
    return render_template(
        "listings/show_funnel.html",
        counts=funnel.funnel_counts([]),
        stuck=funnel.stuck_longest([]),
        forecast=funnel.listing_forecast([], today),
        target=funnel.listed_target(),
        min_observations=MIN_OBSERVATIONS,
        stages=list(ListingStage),
        boards=list(ListingBoard),
        today=today,
        label=label,
    )


def render_track(track: ListingTrack, status: int = 200, **forms: Any) -> tuple[str, int]:
    today = utcnow().date()
    track = queries.with_details(track)
    can_edit = scope.can_edit_track(current_user, track)
    later = [stage for stage in ROAD if ROAD.index(stage) > _road_index(track.stage)]
    advance = forms.get("advance_form") or AdvanceForm(formdata=None, on=today)
    advance.stage.choices = [(stage.value, label(stage)) for stage in later]
    blocker = forms.get("blocker_form") or BlockerForm(formdata=None)
    blocker.category.choices = [(c.value, request_label(c)) for c in blockers.BLOCKER_CATEGORIES]
    blocker.department.choices = reference_choices(Department)
    attach = forms.get("attach_form") or AttachForm(formdata=None)
    attachable = blockers.attachable_packages(track) if can_edit else []
    attach.package_id.choices = [(p.id, p.title) for p in attachable]
    edit = forms.get("edit_form") or EditTrackForm(
        formdata=None,
        board=track.board.value,
        sponsor=track.sponsor,
        planned_listing_on=track.planned_listing_on,
    )
    edit.board.choices = choices(ListingBoard)
    for form in (advance, forms.get("halt_form"), edit):
        if form is not None and not form.version_id.data:
            form.version_id.data = str(track.version_id)
    page = render_template(
        "listings/show_track.html",
        track=track,
        can_edit=can_edit,
        is_live=track.stage in services.LIVE_STAGES,
        resume_to=services.stage_left(track) if track.stage == ListingStage.PAUSED else None,
        advance_form=advance,
        edit_form=edit,
        halt_form=forms.get("halt_form") or HaltForm(formdata=None, on=today),
        halt_action=forms.get("halt_action", ""),
        blocker_form=blocker,
        attach_form=attach,
        has_attachable=bool(attachable),
        is_resolved=blockers.is_resolved,
        resolved_on=blockers.resolved_on,
        today=today,
        label=label,
        request_label=request_label,
        stage_badges=BADGES,
        history=history_of("listing_track", track.id),
    )
    return page, status


def _road_index(stage: ListingStage) -> int:
    return ROAD.index(stage) if stage in ROAD else len(ROAD)

"""Event pages: the list, one event with its participants and awards, creating and editing."""

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from crm.clock import utcnow
from crm.cursor_args import cursor_page
from crm.discovery import events, scope, stats
from crm.discovery.forms import EventForm, ParticipantForm
from crm.discovery.labels import choices, label
from crm.discovery.views import bp
from crm.errors import seen_version
from crm.form_views import commit_and_redirect, save
from crm.records import history_of
from crm.view_helpers import require
from models import EventKind, Role

EVENTS_PER_PAGE = 50
PARTICIPANTS_PER_PAGE = 50


@bp.route("/events")
@login_required
def list_events() -> str:
    return render_template(
        "discovery/list_events.html",
        page=cursor_page(events.page_of_events, events.event_query(), EVENTS_PER_PAGE),
        can_manage=scope.can_manage_events(current_user),
        label=label,
    )


@bp.route("/events/new", methods=["GET", "POST"])
@login_required
def create_event() -> tuple[str, int] | Response:
    require(scope.can_manage_events(current_user))
    form = EventForm()
    form.kind.choices = choices(EventKind)
    if form.validate_on_submit():
        saved = save(
            form,
            lambda: events.save_event(current_user, None, _event_input(form), utcnow()),
            _("Event saved."),
        )
        if saved.value is not None:
            return redirect(url_for(".show_event", event_id=saved.value.id))
    status = 422 if form.is_submitted() else 200
    return render_template("discovery/edit_event.html", form=form, event=None), status


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@login_required
def edit_event(event_id: int) -> tuple[str, int] | Response:
    event = events.get_event(event_id)
    require(scope.can_manage_events(current_user))
    form = EventForm(obj=event)
    form.kind.choices = choices(EventKind)
    status = 422 if form.is_submitted() else 200
    if not form.is_submitted():
        form.version_id.data = str(event.version_id)
    if form.validate_on_submit():
        seen = seen_version(form.version_id.data)
        saved = save(
            form,
            lambda: events.save_event(current_user, event, _event_input(form), utcnow(), seen),
            _("Event saved."),
        )
        if saved.done:
            return redirect(url_for(".show_event", event_id=event.id))
        status = saved.refused_status
    return render_template("discovery/edit_event.html", form=form, event=event), status


@bp.route("/events/<int:event_id>")
@login_required
def show_event(event_id: int) -> str:
    return _render_event(event_id, ParticipantForm(formdata=None))[0]


@bp.route("/events/<int:event_id>/delete", methods=["POST"])
@login_required
def delete_event(event_id: int) -> Response:
    event = events.get_event(event_id)
    require(scope.can_manage_events(current_user))
    events.delete_event(current_user, event, utcnow())
    return commit_and_redirect(_("Event deleted."), url_for(".list_events"))


@bp.route("/events/<int:event_id>/participants", methods=["POST"])
@login_required
def add_participant(event_id: int) -> tuple[str, int] | Response:
    event = events.get_event(event_id)
    require(scope.can_manage_events(current_user))
    form = ParticipantForm()
    if form.validate_on_submit():
        saved = save(
            form,
            lambda: events.add_firm_participant(
                current_user, event, form.uscc.data or "", form.award.data, form.rank.data
            ),
            _("Participant added."),
        )
        if saved.done:
            return redirect(url_for(".show_event", event_id=event.id))
    return _render_event(event_id, form, 422)


def _render_event(event_id: int, form: ParticipantForm, status: int = 200) -> tuple[str, int]:
    event = events.get_event(event_id)
    participants = events.participant_query(current_user, event)
    html = render_template(
        "discovery/show_event.html",
        event=event,
        page=cursor_page(events.page_of_participants, participants, PARTICIPANTS_PER_PAGE),
        # Counted over the candidates the user may read, as the list of participants is.
        conversion=stats.of_event(event.id, scope.candidate_scope(current_user)),
        sees_everyone=current_user.role in {Role.ADMIN, Role.LEADER},
        can_manage=scope.can_manage_events(current_user),
        participant_form=form,
        history=history_of("discovery_event", event.id),
        label=label,
    )
    return html, status


def _event_input(form: EventForm) -> events.EventInput:
    return events.EventInput(
        kind=form.kind.data or "",
        name=form.name.data or "",
        held_on=form.held_on.data,
        organiser=form.organiser.data,
        round=form.round.data,
        place=form.place.data,
        notes=form.notes.data,
    )

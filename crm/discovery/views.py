"""Candidate pages: the list, taking one in, its page with screening, decision and assignment."""

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from crm.access import can_read_enterprise
from crm.clock import today, utcnow
from crm.cursor_args import cursor_page
from crm.discovery import events, queries, scope, screening, services
from crm.discovery.forms import AssignForm, CandidateForm, DecisionForm, ScreeningForm
from crm.discovery.labels import BADGES, choices, label
from crm.discovery.names import duplicates_of_candidate, find_duplicates, visible_duplicates
from crm.errors import ConflictError, InvalidInputError, seen_version
from crm.form_views import attach_errors, save
from crm.i18n import current_locale
from crm.keyset import capped_count
from crm.records import history_of
from crm.reference import all_of
from models import (
    CandidateState,
    DiscoveryCandidate,
    IndustryTrack,
    Role,
    SourceKind,
    SubDistrict,
    Tier,
    Zone,
    db,
)

bp = Blueprint("discovery", __name__, url_prefix="/discovery")
CANDIDATES_PER_PAGE = 50


def reference_options(model: type[Any], blank: str | None = None) -> list[tuple[str, str]]:
    options = [(row.slug, row.name_for(current_locale())) for row in all_of(model)]
    return [("", blank), *options] if blank is not None else options


def event_options(selected: int | None = None) -> list[tuple[int, str]]:
    """A dropdown's events: the recent ones (bounded), and the one chosen however old."""
    return [(0, _("— none —"))] + [
        (
            event.id,
            f"{event.name} {event.round or ''} ({event.held_on:%Y-%m-%d})".replace("  ", " "),
        )
        for event in events.recent_events(today(), selected)
    ]


@bp.route("/")
@login_required
def list_candidates() -> str:
    filters = queries.CandidateFilter.from_args(request.args)
    query = queries.candidate_query(current_user, filters)
    return render_template(
        "discovery/list_candidates.html",
        filters=filters,
        states=choices(CandidateState),
        sources=choices(SourceKind),
        event_choices=event_options(filters.event_id)[1:],
        page=cursor_page(queries.page_of, query, CANDIDATES_PER_PAGE),
        count=capped_count(query),
        can_propose=scope.can_propose(current_user),
        can_import=scope.can_import(current_user),
        can_see_statistics=scope.can_see_statistics(current_user),
        label=label,
        state_badges=BADGES,
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def propose_candidate() -> tuple[str, int] | Response:
    if not scope.can_propose(current_user):
        abort(403)
    form = _candidate_form(CandidateForm())
    found = find_duplicates(form.name.data, form.uscc.data) if form.name.data else []
    duplicates = visible_duplicates(current_user, found)
    is_valid = form.validate_on_submit()
    if is_valid and duplicates and not form.duplicates_checked.data:
        # Possible duplicates are shown first; saving needs the box ticked after reading them.
        form.duplicates_checked.errors = [_("Check the possible duplicates above first.")]
    elif is_valid:
        created = save(
            form,
            lambda: services.propose_candidate(current_user, form.to_input(), utcnow()),
            _("Candidate taken in."),
        )
        if created.value is not None:
            return redirect(url_for(".show_candidate", candidate_id=created.value.id))
    page = render_template("discovery/propose_candidate.html", form=form, duplicates=duplicates)
    return page, 422 if form.is_submitted() else 200


@bp.route("/<int:candidate_id>")
@login_required
def show_candidate(candidate_id: int) -> str:
    return _render_candidate(services.get_candidate(current_user, candidate_id))[0]


@bp.route("/<int:candidate_id>/edit", methods=["GET", "POST"])
@login_required
def edit_candidate(candidate_id: int) -> tuple[str, int] | Response:
    candidate = services.get_candidate(current_user, candidate_id)
    if not services.can_edit(current_user, candidate):
        abort(403)
    values = _form_values(candidate) if request.method == "GET" else None
    form = _candidate_form(CandidateForm(data=values), candidate.event_id)
    form.event_id.render_kw = {"disabled": True}
    status = 200
    if form.validate_on_submit():
        seen = seen_version(form.version_id.data)
        saved = save(
            form,
            lambda: services.update_candidate(
                current_user, candidate, form.to_input(), seen, utcnow()
            ),
            _("Candidate saved."),
        )
        if saved.done:
            return redirect(url_for(".show_candidate", candidate_id=candidate.id))
        status = saved.status if saved.status != 200 else 422
    elif form.is_submitted():
        status = 422
    page = render_template("discovery/edit_candidate.html", form=form, candidate=candidate)
    return page, status


@bp.route("/<int:candidate_id>/screening", methods=["POST"])
@login_required
def screen_candidate(candidate_id: int) -> tuple[str, int] | Response:
    candidate = services.get_candidate(current_user, candidate_id)
    if not scope.can_screen(current_user, candidate):
        abort(403)
    form = ScreeningForm()
    if not form.validate_on_submit():
        return _render_candidate(candidate, 422, screening_form=form)
    data = screening.ScreeningInput(
        form.screened_on.data, form.score.data, form.rationale.data, form.notes.data
    )
    return _posted(
        candidate,
        form,
        "screening_form",
        lambda seen: screening.screen_candidate(current_user, candidate, data, seen, utcnow()),
        _("Screening recorded."),
    )


@bp.route("/<int:candidate_id>/decision", methods=["POST"])
@login_required
def decide_candidate(candidate_id: int) -> tuple[str, int] | Response:
    candidate = services.get_candidate(current_user, candidate_id)
    if not scope.can_screen(current_user, candidate):
        abort(403)
    form = _decision_form(DecisionForm())
    if not form.validate_on_submit():
        return _render_candidate(candidate, 422, decision_form=form)
    data = screening.DecisionInput(
        decision=form.decision.data or "",
        reason=form.reason.data,
        tier=form.tier.data or None,
        uscc=form.uscc.data or None,
        zone=form.zone.data or None,
        watch_until=form.watch_until.data,
    )
    return _posted(
        candidate,
        form,
        "decision_form",
        lambda seen: screening.decide_candidate(current_user, candidate, data, seen, utcnow()),
        _("Screening decision recorded."),
    )


@bp.route("/<int:candidate_id>/assignment", methods=["POST"])
@login_required
def assign_candidate(candidate_id: int) -> tuple[str, int] | Response:
    candidate = services.get_candidate(current_user, candidate_id)
    if not scope.can_assign(current_user):
        abort(403)
    form = AssignForm()
    form.sub_district.choices = reference_options(SubDistrict)
    if not form.validate_on_submit():
        return _render_candidate(candidate, 422, assign_form=form)
    return _posted(
        candidate,
        form,
        "assign_form",
        lambda seen: services.assign_candidate(
            current_user, candidate, form.sub_district.data or "", seen, utcnow()
        ),
        _("Candidate assigned."),
    )


@bp.route("/<int:candidate_id>/delete", methods=["POST"])
@login_required
def delete_candidate(candidate_id: int) -> Response:
    candidate = services.get_candidate(current_user, candidate_id)
    services.delete_candidate(current_user, candidate, utcnow())
    db.session.commit()
    flash(_("Candidate deleted."), "success")
    return redirect(url_for(".list_candidates"))


def _posted(
    candidate: DiscoveryCandidate, form: Any, name: str, write: Any, done: str
) -> tuple[str, int] | Response:
    try:
        write(seen_version(form.version_id.data))
    except InvalidInputError as invalid:
        db.session.rollback()
        attach_errors(form, invalid)
        return _render_candidate(candidate, 422, **{name: form})
    except screening.DuplicateFirmError as duplicate:
        db.session.rollback()
        flash(duplicate.message, "danger")
        return _render_candidate(candidate, 409, **{name: form, "firm": duplicate.enterprise})
    except ConflictError as conflict:
        db.session.rollback()
        flash(conflict.message, "danger")
        return _render_candidate(candidate, 409, **{name: form})
    db.session.commit()
    flash(done, "success")
    return redirect(url_for(".show_candidate", candidate_id=candidate.id))


def _candidate_form(form: CandidateForm, event_id: int | None = None) -> CandidateForm:
    form.track.choices = reference_options(IndustryTrack, _("— choose —"))
    form.zone.choices = reference_options(Zone, _("— not known —"))
    form.sub_district.choices = reference_options(SubDistrict, _("— a leader assigns it —"))
    form.source_kind.choices = choices(SourceKind)
    form.event_id.choices = event_options(event_id or form.event_id.data)
    if current_user.role == Role.MANAGER and request.method == "GET":
        form.sub_district.data = current_user.sub_district.slug
    if current_user.role == Role.DEPARTMENT:
        form.source_kind.choices = [
            (value, text)
            for value, text in form.source_kind.choices
            if value == SourceKind.DEPARTMENT_REFERRAL
        ]
    return form


def _form_values(candidate: DiscoveryCandidate) -> dict[str, object]:
    return {
        "name": candidate.name,
        "uscc": candidate.uscc or "",
        "track": candidate.track.slug,
        "zone": candidate.zone.slug if candidate.zone else "",
        "sub_district": candidate.sub_district.slug if candidate.sub_district else "",
        "source_kind": candidate.source_kind.value,
        "source_name": candidate.source_name or "",
        "event_id": candidate.event_id or 0,
        "award": candidate.award or "",
        "profile": candidate.profile or "",
        "version_id": str(candidate.version_id),
    }


def _decision_form(form: DecisionForm) -> DecisionForm:
    form.tier.choices = [("", _("— choose —")), *choices(Tier)]
    form.zone.choices = reference_options(Zone, _("— as recorded —"))
    return form


def _render_candidate(
    candidate: DiscoveryCandidate, status: int = 200, **forms: Any
) -> tuple[str, int]:
    screening_form = forms.get("screening_form") or ScreeningForm(formdata=None)
    decision_form = forms.get("decision_form") or _decision_form(DecisionForm(formdata=None))
    assign_form = forms.get("assign_form") or AssignForm(formdata=None)
    assign_form.sub_district.choices = reference_options(SubDistrict)
    for form in (screening_form, decision_form, assign_form):
        form.version_id.data = str(candidate.version_id)
    admitted = candidate.admitted_enterprise
    html = render_template(
        "discovery/show_candidate.html",
        candidate=candidate,
        duplicates=visible_duplicates(current_user, duplicates_of_candidate(candidate)),
        # The firm it became or was linked to: linked only for whoever may open it.
        can_read_firm=admitted is not None and can_read_enterprise(current_user, admitted),
        history=history_of("discovery_candidate", candidate.id),
        can_screen=scope.can_screen(current_user, candidate) and candidate.is_open,
        can_assign=scope.can_assign(current_user) and candidate.is_open,
        can_edit=services.can_edit(current_user, candidate),
        can_delete=services.can_delete(current_user, candidate),
        screening_form=screening_form,
        decision_form=decision_form,
        assign_form=assign_form,
        firm=forms.get("firm"),
        label=label,
        state_badges=BADGES,
    )
    return html, status

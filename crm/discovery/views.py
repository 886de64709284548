"""Candidate pages: the list, taking one in, its page with screening, decision and assignment."""

from collections.abc import Callable
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from crm.access import can_read_enterprise
from crm.clock import today, utcnow
from crm.cursor_args import cursor_page
from crm.discovery import events, queries, scope, screening, services
from crm.discovery.forms import AssignForm, CandidateForm, DecisionForm, ScreeningForm
from crm.discovery.labels import BADGES, choices, label
from crm.discovery.names import duplicates_of_candidate, find_duplicates, visible_duplicates
from crm.enterprises.labels import reference_choices
from crm.errors import seen_version
from crm.form_views import commit_and_redirect, save
from crm.keyset import capped_count
from crm.records import history_of
from crm.view_helpers import require
from models import (
    CandidateState,
    DiscoveryCandidate,
    IndustryTrack,
    Role,
    SourceKind,
    SubDistrict,
    Tier,
    Zone,
)

bp = Blueprint("discovery", __name__, url_prefix="/discovery")
CANDIDATES_PER_PAGE = 50


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
    require(scope.can_propose(current_user))
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
    require(services.can_edit(current_user, candidate))
    values = _form_values(candidate) if request.method == "GET" else None
    form = _candidate_form(CandidateForm(data=values), candidate.event_id)
    form.event_id.render_kw = {"disabled": True}
    status = 422 if form.is_submitted() else 200
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
        status = saved.refused_status
    page = render_template("discovery/edit_candidate.html", form=form, candidate=candidate)
    return page, status


@bp.route("/<int:candidate_id>/screening", methods=["POST"])
@login_required
def screen_candidate(candidate_id: int) -> tuple[str, int] | Response:
    candidate = services.get_candidate(current_user, candidate_id)
    require(scope.can_screen(current_user, candidate))
    form = ScreeningForm()

    def write(seen: int) -> object:
        data = screening.ScreeningInput(
            form.screened_on.data, form.score.data, form.rationale.data, form.notes.data
        )
        return screening.screen_candidate(current_user, candidate, data, seen, utcnow())

    return _posted(candidate, form, "screening_form", write, _("Screening recorded."))


@bp.route("/<int:candidate_id>/decision", methods=["POST"])
@login_required
def decide_candidate(candidate_id: int) -> tuple[str, int] | Response:
    candidate = services.get_candidate(current_user, candidate_id)
    require(scope.can_screen(current_user, candidate))
    form = _decision_form(DecisionForm())

    def write(seen: int) -> object:
        data = screening.DecisionInput(
            decision=form.decision.data or "",
            reason=form.reason.data,
            tier=form.tier.data or None,
            uscc=form.uscc.data or None,
            zone=form.zone.data or None,
            watch_until=form.watch_until.data,
        )
        return screening.decide_candidate(current_user, candidate, data, seen, utcnow())

    return _posted(candidate, form, "decision_form", write, _("Screening decision recorded."))


@bp.route("/<int:candidate_id>/assignment", methods=["POST"])
@login_required
def assign_candidate(candidate_id: int) -> tuple[str, int] | Response:
    candidate = services.get_candidate(current_user, candidate_id)
    require(scope.can_assign(current_user))
    form = AssignForm()
    form.sub_district.choices = reference_choices(SubDistrict)

    def write(seen: int) -> object:
        district = form.sub_district.data or ""
        return services.assign_candidate(current_user, candidate, district, seen, utcnow())

    return _posted(candidate, form, "assign_form", write, _("Candidate assigned."))


@bp.route("/<int:candidate_id>/delete", methods=["POST"])
@login_required
def delete_candidate(candidate_id: int) -> Response:
    candidate = services.get_candidate(current_user, candidate_id)
    services.delete_candidate(current_user, candidate, utcnow())
    return commit_and_redirect(_("Candidate deleted."), url_for(".list_candidates"))


def _posted(
    candidate: DiscoveryCandidate,
    form: FlaskForm,
    name: str,
    write: Callable[[int], object],
    done: str,
) -> tuple[str, int] | Response:
    """Validate, write at the version posted, commit and go back to the candidate; or show the
    page with the errors, and with the reservoir's firm when its code is already there."""
    if not form.validate_on_submit():
        return _render_candidate(candidate, 422, **{name: form})
    saved = save(form, lambda: write(seen_version(form.version_id.data)), done)
    if saved.done:
        return redirect(url_for(".show_candidate", candidate_id=candidate.id))
    duplicate = saved.conflict if isinstance(saved.conflict, screening.DuplicateFirmError) else None
    firm = duplicate.enterprise if duplicate else None
    return _render_candidate(candidate, saved.refused_status, **{name: form, "firm": firm})


def _candidate_form(form: CandidateForm, event_id: int | None = None) -> CandidateForm:
    form.track.choices = [("", _("— choose —")), *reference_choices(IndustryTrack)]
    form.zone.choices = [("", _("— not known —")), *reference_choices(Zone)]
    form.sub_district.choices = [
        ("", _("— a leader assigns it —")),
        *reference_choices(SubDistrict),
    ]
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
    form.zone.choices = [("", _("— as recorded —")), *reference_choices(Zone)]
    return form


def _render_candidate(
    candidate: DiscoveryCandidate, status: int = 200, **forms: Any
) -> tuple[str, int]:
    screening_form = forms.get("screening_form") or ScreeningForm(formdata=None)
    decision_form = forms.get("decision_form") or _decision_form(DecisionForm(formdata=None))
    assign_form = forms.get("assign_form") or AssignForm(formdata=None)
    assign_form.sub_district.choices = reference_choices(SubDistrict)
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

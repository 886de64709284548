"""Visit pages: log, show, edit and delete a visit; lists of visits, overdue and flagged firms."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask import session as browser_session
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from crm.clock import utcnow
from crm.cursor_args import cursor_page
from crm.enterprises.firm_search import search_firms
from crm.errors import InvalidInputError, seen_version
from crm.form_views import commit_and_redirect, save
from crm.keyset import capped_count
from crm.records import history_of
from crm.requests.services import can_create_requests, file_red_flag
from crm.visits import queries, services
from crm.visits.form_pages import (
    DRAFT_SAVED_KEY,
    attach_errors,
    form_for_visit,
    leader_choices,
    people_choices,
    sub_district_choices,
)
from crm.visits.forms import ContactLeaderForm, VisitForm
from crm.visits.labels import finding_label, label
from models import RedFlag, Role, Visit, db

bp = Blueprint("visits", __name__, url_prefix="/visits")
OVERDUE_LIMIT = 200
FIRMS_PER_PAGE = 100  # the risk list and a leader's roster: a screenful to work through


@bp.route("/")
@login_required
def list_visits() -> str:
    is_overseer = current_user.role in {Role.ADMIN, Role.LEADER}
    sub_district = request.args.get("sub_district", "") if is_overseer else ""
    query = queries.visit_query(current_user, queries.VisitFilter(sub_district=sub_district))
    page = cursor_page(queries.page_of_visits, query, current_app.config["CRM_PAGE_SIZE"])
    return render_template(
        "visits/list_visits.html",
        page=page,
        count=capped_count(query),
        sub_district=sub_district,
        sub_districts=sub_district_choices() if is_overseer else [],
        label=label,
    )


@bp.route("/new")
@login_required
def choose_firm() -> str | Response:
    """Log a visit without opening the firm first: find it by name or credit code."""
    if (enterprise_id := request.args.get("enterprise_id", type=int)) is not None:
        enterprise = services.enterprise_for_visit(current_user, enterprise_id)
        return redirect(url_for(".log_visit", enterprise_id=enterprise.id))
    text = request.args.get("q", "")
    firms = search_firms(current_user, text)
    return render_template("visits/choose_firm.html", q=text, firms=firms)


@bp.route("/new/<int:enterprise_id>", methods=["GET", "POST"])
@login_required
def log_visit(enterprise_id: int) -> str | Response:
    enterprise = services.enterprise_for_visit(current_user, enterprise_id)
    form = VisitForm().prepare(people_choices(current_user), current_user.username)
    if request.method == "GET":
        form.visited_on.data = utcnow().date()
    recent: list[Visit] = []
    if form.validate_on_submit():
        try:
            visit = services.log_visit(
                current_user,
                enterprise,
                form.to_input(),
                utcnow(),
                form.confirm_duplicate.data == "1",
            )
        except InvalidInputError as invalid:
            attach_errors(form, invalid)
        except services.DuplicateVisitError as duplicate:
            recent, form.confirm_duplicate.data = duplicate.recent, "1"
        else:
            db.session.commit()
            browser_session[DRAFT_SAVED_KEY] = enterprise.id
            flash(_("Visit saved."), "success")
            return redirect(url_for(".show_visit", visit_id=visit.id))
    return render_template(
        "visits/log_visit.html", form=form, enterprise=enterprise, recent=recent, label=label
    )


@bp.route("/<int:visit_id>")
@login_required
def show_visit(visit_id: int) -> str:
    visit = services.get_visit(current_user, visit_id)
    return render_template(
        "visits/show_visit.html",
        visit=visit,
        history=history_of("visit", visit.id),
        can_file_flags=can_create_requests(current_user),
        cleared_draft=browser_session.pop(DRAFT_SAVED_KEY, None),
        can_change=visit.created_by_id == current_user.id or current_user.role == Role.ADMIN,
        label=label,
        finding_label=finding_label,
        today=utcnow().date(),
    )


@bp.post("/<int:visit_id>/flags/<flag>/request")
@login_required
def file_flag_request(visit_id: int, flag: str) -> Response:
    """File a raised red flag as a request; filing it again opens the request it became."""
    visit = services.get_visit(current_user, visit_id)
    if flag not in set(RedFlag):
        abort(404)
    now = utcnow()
    filed = file_red_flag(current_user, visit, RedFlag(flag), now)
    db.session.commit()
    if filed.created_at == now:  # created by this post, not found from an earlier one
        flash(_("Request raised and routed."), "success")
    return redirect(url_for("requests.show_request", request_id=filed.id))


@bp.route("/<int:visit_id>/edit", methods=["GET", "POST"])
@login_required
def edit_visit(visit_id: int) -> tuple[str, int] | Response:
    visit = services.get_visit(current_user, visit_id)
    form, status = form_for_visit(visit, current_user), 200
    if form.validate_on_submit():
        seen = seen_version(form.version_id.data)
        saved = save(
            form,
            lambda: services.update_visit(current_user, visit, form.to_input(), seen, utcnow()),
            _("Changes saved."),
            show_errors=attach_errors,
        )
        if saved.done:
            return redirect(url_for(".show_visit", visit_id=visit.id))
        status = saved.status
    html = render_template("visits/edit_visit.html", form=form, visit=visit, label=label)
    return html, status


@bp.route("/<int:visit_id>/delete", methods=["POST"])
@login_required
def delete_visit(visit_id: int) -> Response:
    visit = services.get_visit(current_user, visit_id)
    services.delete_visit(current_user, visit, utcnow())
    return commit_and_redirect(
        _("Visit deleted. An administrator can restore it."), url_for(".list_visits")
    )


@bp.route("/follow-ups/<int:follow_up_id>/done", methods=["POST"])
@login_required
def complete_follow_up(follow_up_id: int) -> Response:
    follow_up = services.complete_follow_up(current_user, follow_up_id, utcnow())
    return commit_and_redirect(
        _("Follow-up marked as done."),
        url_for(".show_visit", visit_id=follow_up.visit_id) + "#follow-ups",
    )


@bp.route("/overdue")
@login_required
def list_overdue() -> str:
    firms = queries.overdue_firms(current_user, utcnow().date(), OVERDUE_LIMIT)
    return render_template("visits/list_overdue.html", firms=firms, limit=OVERDUE_LIMIT)


@bp.route("/risks")
@login_required
def list_risks() -> str:
    if current_user.role not in {Role.ADMIN, Role.LEADER, Role.MANAGER}:
        abort(403)
    rows, page = cursor_page(queries.page_of_flagged_firms, current_user, FIRMS_PER_PAGE)
    return render_template("visits/list_risks.html", rows=rows, page=page, label=label)


@bp.route("/my-firms")
@login_required
def list_my_firms() -> str:
    if current_user.role != Role.LEADER:
        abort(403)
    roster, page = cursor_page(queries.page_of_roster, current_user, FIRMS_PER_PAGE)
    return render_template(
        "visits/list_my_firms.html", roster=roster, page=page, label=label, today=utcnow().date()
    )


@bp.route("/contact-leader/<int:enterprise_id>", methods=["GET", "POST"])
@login_required
def set_contact_leader(enterprise_id: int) -> str | Response:
    if current_user.role not in {Role.ADMIN, Role.LEADER}:
        abort(403)
    enterprise = services.enterprise_for_visit(current_user, enterprise_id)
    form = ContactLeaderForm(
        leader=enterprise.contact_leader.username if enterprise.contact_leader else ""
    )
    form.leader.choices = [("", _("— none —")), *leader_choices()]
    if form.validate_on_submit():
        saved = save(
            form,
            lambda: services.set_contact_leader(current_user, enterprise, form.leader.data or None),
            _("Contact leader saved."),
            show_errors=attach_errors,
        )
        if saved.done:
            return redirect(url_for("enterprises.show_enterprise", enterprise_id=enterprise.id))
    return render_template("visits/set_contact_leader.html", form=form, enterprise=enterprise)

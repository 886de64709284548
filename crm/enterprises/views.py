"""Reservoir pages: the list, a firm's page, create and edit forms, figures and contacts."""

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from crm import access
from crm.clock import utcnow
from crm.credit.panels import firm_panel as credit_panel
from crm.discovery.panel import firm_panel
from crm.enterprises import figures, keyset, queries, services
from crm.enterprises.contacts import shown_contacts
from crm.enterprises.forms import ContactForm, EnterpriseForm, FiguresForm
from crm.enterprises.labels import filter_options
from crm.enterprises.timeline import firm_timeline
from crm.errors import seen_version
from crm.form_views import commit_and_redirect, save
from crm.labels import label
from crm.listings.panel import firm_listing
from crm.pipeline.cards import firm_score_card
from crm.policies.queries import support_totals_of_enterprise
from crm.records import history_of
from crm.view_helpers import require
from crm.visits.queries import last_visit_on
from models import Enterprise, Role

bp = Blueprint("enterprises", __name__, url_prefix="/enterprises")


@bp.route("/")
@login_required
def list_enterprises() -> str:
    filters = queries.ReservoirFilter.from_args(request.args)
    per_page = current_app.config["CRM_PAGE_SIZE"]
    try:
        page = queries.reservoir_page(current_user, filters, per_page, request.args.get("cursor"))
    except keyset.BadCursorError:  # an edited or stale link: start from the top
        page = queries.reservoir_page(current_user, filters, per_page, None)
    return render_template(
        "enterprises/list_enterprises.html",
        page=page,
        filters=filters,
        options=filter_options(current_user),
        can_edit=access.can_edit_enterprises(current_user),
        label=label,
    )


@bp.route("/<int:enterprise_id>")
@login_required
def show_enterprise(enterprise_id: int) -> str:
    enterprise = services.get_enterprise(current_user, enterprise_id)
    return _firm_page(enterprise)


@bp.post("/<int:enterprise_id>/delete")
@login_required
def delete_enterprise(enterprise_id: int) -> Response:
    enterprise = services.get_enterprise(current_user, enterprise_id)
    services.delete_enterprise(current_user, enterprise, utcnow())
    return commit_and_redirect(
        _("Firm deleted. An administrator can restore it."), url_for(".list_enterprises"), "info"
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create_enterprise() -> str | Response:
    require(access.can_edit_enterprises(current_user))
    form = _prepared_form(EnterpriseForm())
    if request.method == "GET" and current_user.role == Role.MANAGER:
        form.sub_district.data = current_user.sub_district.slug
        form.manager.data = current_user.username
    if form.validate_on_submit():
        created = save(
            form,
            lambda: services.create_enterprise(current_user, form.to_input(), utcnow()),
            _("Firm added to the reservoir."),
        )
        if created.value is not None:
            return redirect(url_for(".show_enterprise", enterprise_id=created.value.id))
    return render_template("enterprises/edit_enterprise.html", form=form, enterprise=None)


@bp.route("/<int:enterprise_id>/edit", methods=["GET", "POST"])
@login_required
def edit_enterprise(enterprise_id: int) -> tuple[str, int] | Response:
    enterprise = services.get_enterprise(current_user, enterprise_id)
    require(access.can_edit_enterprise(current_user, enterprise))
    form = _prepared_form(EnterpriseForm(data=vars(services.input_from_enterprise(enterprise))))
    if request.method == "GET":
        form.version_id.data = str(enterprise.version_id)
    status = 200
    if form.validate_on_submit():
        seen = seen_version(form.version_id.data)
        saved = save(
            form,
            lambda: services.update_enterprise(
                current_user, enterprise, form.to_input(), seen, utcnow()
            ),
            _("Changes saved."),
        )
        if saved.done:
            return redirect(url_for(".show_enterprise", enterprise_id=enterprise.id))
        status = saved.status
    page = render_template("enterprises/edit_enterprise.html", form=form, enterprise=enterprise)
    return page, status


@bp.route("/<int:enterprise_id>/figures", methods=["POST"])
@login_required
def save_figures(enterprise_id: int) -> tuple[str, int] | Response:
    enterprise = services.get_enterprise(current_user, enterprise_id)
    require(access.can_edit_enterprise(current_user, enterprise))
    form = FiguresForm()
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in figures.FIGURE_FIELDS}
        data = figures.FiguresInput(year=form.year.data or 0, **values)
        saved = save(
            form,
            lambda: figures.upsert_yearly_figures(
                current_user, enterprise, data, latest_year=utcnow().year
            ),
            _("Figures for %(year)d saved.", year=form.year.data),
        )
        if saved.done:
            return redirect(url_for(".show_enterprise", enterprise_id=enterprise.id) + "#figures")
    return _firm_page(enterprise, figures_form=form), 422


@bp.route("/<int:enterprise_id>/contacts", methods=["POST"])
@login_required
def add_contact(enterprise_id: int) -> tuple[str, int] | Response:
    enterprise = services.get_enterprise(current_user, enterprise_id)
    require(access.can_edit_enterprise(current_user, enterprise))
    form = ContactForm()
    if form.validate_on_submit():
        data = figures.ContactInput(
            name=form.name.data or "",
            title=form.title.data,
            phone=form.phone.data,
            email=form.email.data,
        )
        added = save(
            form, lambda: figures.add_contact(current_user, enterprise, data), _("Contact added.")
        )
        if added.done:
            return redirect(url_for(".show_enterprise", enterprise_id=enterprise.id) + "#contacts")
    return _firm_page(enterprise, contact_form=form), 422


def _firm_page(enterprise: Enterprise, **forms: FlaskForm) -> str:
    page_forms: dict[str, FlaskForm] = {
        "figures_form": FiguresForm(formdata=None, year=utcnow().year - 1),
        "contact_form": ContactForm(formdata=None),
    }
    page_forms.update(forms)
    return render_template(
        "enterprises/show_enterprise.html",
        enterprise=enterprise,
        contacts=shown_contacts(current_user, enterprise),
        can_edit=access.can_edit_enterprise(current_user, enterprise),
        history=history_of("enterprise", enterprise.id),
        timeline=firm_timeline(current_user, enterprise.id, utcnow().date()),
        last_visit_on=last_visit_on(enterprise.id),
        support=support_totals_of_enterprise(enterprise.id),
        listing=firm_listing(current_user, enterprise),
        score_card_shown=access.can_read_reservoir(current_user),
        card=firm_score_card(enterprise.id) if access.can_read_reservoir(current_user) else None,
        discovery_panel=firm_panel(current_user, enterprise.id),
        credit=credit_panel(current_user, enterprise.id),
        label=label,
        **page_forms,
    )


def _prepared_form(form: EnterpriseForm) -> EnterpriseForm:
    options = filter_options(current_user)
    form.sub_district.choices = options["sub_district"]
    form.zone.choices = options["zone"]
    form.track.choices = options["track"]
    form.tier.choices = options["tier"]
    form.designations.choices = options["designation"]
    form.status.choices = options["status"]
    form.manager.choices = [("", _("— none —")), *options["manager"]]
    return form

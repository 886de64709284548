"""Admin pages for the reference data: sub-districts, zones, tracks, departments."""

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from crm.admin import reference_services as services
from crm.admin.reference_forms import ReferenceForm
from crm.admin.views import admin_required, bp
from crm.audit_words import RECORDS
from crm.errors import seen_version
from crm.form_views import save
from models import db

KIND_TITLES = {kind: RECORDS[kind] for kind in services.REFERENCE_KINDS}


@bp.route("/reference")
@admin_required
def list_reference() -> str:
    tables = {kind: services.rows_of(kind) for kind in services.REFERENCE_KINDS}
    return render_template(
        "admin/list_reference.html",
        tables=tables,
        titles=KIND_TITLES,
        extensible=services.EXTENSIBLE_KINDS,
    )


@bp.route("/reference/<kind>/<int:row_id>", methods=["GET", "POST"])
@admin_required
def edit_reference(kind: str, row_id: int) -> tuple[str, int] | Response:
    model = services.REFERENCE_KINDS.get(kind) or abort(404)
    row = db.session.get(model, row_id) or abort(404)
    form, status = ReferenceForm(obj=row), 200
    if form.validate_on_submit():
        data = services.ReferenceInput(form.name_zh.data or "", form.name_en.data or "")
        # As posted: an empty POST leaves the field holding the row's own (int) version.
        seen = seen_version(request.form.get("version_id"))
        saved = save(
            form,
            lambda: services.rename_reference(current_user, kind, row, data, seen),
            _("Saved."),
        )
        if saved.done:
            return redirect(url_for(".list_reference") + f"#{kind}")
        status = saved.status
    title = KIND_TITLES[kind]
    page = render_template("admin/edit_reference.html", form=form, row=row, title=title, kind=kind)
    return page, status


@bp.route("/reference/<kind>/new", methods=["GET", "POST"])
@admin_required
def add_reference(kind: str) -> str | Response:
    if kind not in services.EXTENSIBLE_KINDS:
        abort(404)
    form = ReferenceForm()
    if form.validate_on_submit():
        data = services.ReferenceInput(
            form.name_zh.data or "", form.name_en.data or "", form.slug.data or ""
        )
        if save(form, lambda: services.add_reference(current_user, kind, data), _("Added.")).done:
            return redirect(url_for(".list_reference") + f"#{kind}")
    title = KIND_TITLES[kind]
    return render_template("admin/edit_reference.html", form=form, row=None, title=title, kind=kind)

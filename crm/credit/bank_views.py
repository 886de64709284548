"""Partner bank pages: a bank with its nomination format, and its credit products."""

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from crm.credit import banks
from crm.credit.fields import FIELDS
from crm.credit.forms import BankForm, ProductForm
from crm.credit.scoping import can_manage
from crm.credit.views import bp
from crm.errors import seen_version
from crm.form_views import save
from crm.i18n import current_locale
from crm.reference import all_of
from models import IndustryTrack, PartnerBank, Zone


def _manager_only() -> None:
    if not can_manage(current_user):
        abort(403)


@bp.route("/banks/new", methods=["GET", "POST"])
@bp.route("/banks/<int:bank_id>/edit", methods=["GET", "POST"])
@login_required
def edit_bank(bank_id: int | None = None) -> tuple[str, int] | Response:
    _manager_only()
    bank = banks.get_bank(bank_id) if bank_id is not None else None
    form = BankForm(obj=bank if request.method == "GET" else None)
    if request.method == "GET":
        form.columns.data = banks.columns_text(bank)
        form.version_id.data = str(bank.version_id) if bank else ""
    status = 200
    if form.validate_on_submit():
        saved = save(
            form,
            lambda: banks.save_bank(current_user, bank, _bank_input(form), _seen(form, bank)),
            _("Bank saved."),
        )
        if saved.done:
            return redirect(url_for(".show_credit"))
        status = saved.status
    return render_template("credit/edit_bank.html", form=form, bank=bank, fields=FIELDS), status


@bp.route("/banks/<int:bank_id>/products/new", methods=["GET", "POST"])
@bp.route("/banks/<int:bank_id>/products/<int:product_id>/edit", methods=["GET", "POST"])
@login_required
def edit_product(bank_id: int, product_id: int | None = None) -> tuple[str, int] | str | Response:
    _manager_only()
    bank = banks.get_bank(bank_id)
    product = banks.get_product(product_id) if product_id is not None else None
    if product is not None and product.bank_id != bank.id:
        abort(404)
    form = ProductForm(obj=product if request.method == "GET" else None)
    loc = current_locale()
    form.zone_id.choices = [(0, _("Any zone"))] + [(z.id, z.name_for(loc)) for z in all_of(Zone)]
    form.track_id.choices = [(0, _("Any track"))] + [
        (t.id, t.name_for(loc)) for t in all_of(IndustryTrack)
    ]
    if request.method == "GET":
        form.version_id.data = str(product.version_id) if product else ""
    if form.validate_on_submit():
        data = banks.ProductInput(
            name=form.name.data or "",
            max_quota=form.max_quota.data,
            rate_min=form.rate_min.data,
            rate_max=form.rate_max.data,
            term_months=form.term_months.data,
            is_active=bool(form.is_active.data),
            zone_id=form.zone_id.data or None,
            track_id=form.track_id.data or None,
        )
        seen = seen_version(form.version_id.data) if product else None
        saved = save(
            form,
            lambda: banks.save_product(current_user, bank, product, data, seen),
            _("Product saved."),
        )
        if saved.done:
            return redirect(url_for(".show_credit"))
    return render_template("credit/edit_product.html", form=form, bank=bank, product=product)


def _bank_input(form: BankForm) -> banks.BankInput:
    return banks.BankInput(
        slug=form.slug.data or "",
        name_zh=form.name_zh.data or "",
        name_en=form.name_en.data or "",
        is_active=bool(form.is_active.data),
        columns=banks.parse_columns(form.columns.data or ""),
    )


def _seen(form: BankForm, bank: PartnerBank | None) -> int | None:
    return seen_version(form.version_id.data) if bank is not None else None

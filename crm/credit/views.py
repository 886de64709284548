"""White-list pages: the overview, batches, nominating, a nomination with its decision and loans."""

from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from crm import access
from crm.clock import utcnow
from crm.credit import answers, banks, decisions, queries, scoping, services
from crm.credit.forms import (
    AnswerForm,
    BatchForm,
    DecisionForm,
    DrawdownForm,
    NominationForm,
    RenewalForm,
    RepaymentForm,
    VersionForm,
)
from crm.credit.labels import BADGES, choices, label
from crm.cursor_args import cursor_page
from crm.errors import InvalidInputError, record_id, seen_version
from crm.form_views import save
from crm.i18n import current_locale
from crm.keyset import capped_count
from crm.records import history_of
from crm.reminders.settings import ReminderSettings
from crm.view_helpers import require
from models import BatchState, CreditDrawdown, Enterprise, Nomination, NominationBatch, db

bp = Blueprint("credit", __name__, url_prefix="/credit")
PER_PAGE = 50
RENEWALS_SHOWN = 20


def _reader() -> None:
    require(scoping.can_read_credit(current_user))


def _lead_days() -> int:
    """The reminders' lead days: the page flags the renewals the reminders announce."""
    return ReminderSettings.from_config(current_app.config).credit_renewal_lead_days


@bp.route("/")
@login_required
def show_credit() -> str:
    _reader()
    today = utcnow().date()
    listed = queries.listed_query(current_user, today)
    return render_template(
        "credit/show_credit.html",
        banks=banks.banks_with_products(),
        page=cursor_page(queries.listed_page, listed, PER_PAGE),
        count=capped_count(listed),
        due_soon=today.toordinal() + _lead_days(),
        can_manage=scoping.can_manage(current_user),
        today=today,
        label=label,
        badges=BADGES,
    )


@bp.route("/batches")
@login_required
def list_batches() -> str:
    _reader()
    state = request.args.get("state", "")
    state = state if state in {s.value for s in BatchState} else ""
    query = queries.batch_query(current_user, state or None)
    page = cursor_page(queries.batch_page, query, PER_PAGE)
    return render_template(
        "credit/list_batches.html",
        page=page,
        counts=queries.batch_counts(current_user, [batch.id for batch in page.rows]),
        count=capped_count(query),
        state=state,
        states=choices(BatchState),
        can_manage=scoping.can_manage(current_user),
        label=label,
        badges=BADGES,
    )


@bp.route("/batches/new", methods=["GET", "POST"])
@login_required
def open_batch() -> str | Response:
    require(scoping.can_manage(current_user))
    form = BatchForm()
    form.product_id.choices = [
        (p.id, f"{p.bank.name_for(current_locale())} · {p.name}") for p in queries.active_products()
    ]
    if form.validate_on_submit():
        opened = save(
            form,
            lambda: services.open_batch(
                current_user, form.product_id.data or 0, form.title.data or "", utcnow()
            ),
            _("Batch opened: managers can now nominate their firms."),
        )
        if opened.value is not None:
            return redirect(url_for(".show_batch", batch_id=opened.value.id))
    return render_template("credit/open_batch.html", form=form)


@bp.route("/batches/<int:batch_id>/edit", methods=["GET", "POST"])
@login_required
def edit_batch(batch_id: int) -> tuple[str, int] | Response:
    batch = services.get_batch(current_user, batch_id)
    require(scoping.can_manage(current_user) and batch.state == BatchState.DRAFT)
    form = BatchForm(obj=batch if request.method == "GET" else None)
    form.product_id.choices = [
        (p.id, p.name) for p in queries.active_products() if p.bank_id == batch.bank_id
    ]
    if request.method == "GET":
        form.version_id.data = str(batch.version_id)
    status = 200
    if form.validate_on_submit():
        seen = seen_version(form.version_id.data)
        saved = save(
            form,
            lambda: services.edit_batch(
                current_user,
                batch,
                form.product_id.data or 0,
                form.title.data or "",
                seen,
                utcnow(),
            ),
            _("Batch saved."),
        )
        if saved.done:
            return redirect(url_for(".show_batch", batch_id=batch.id))
        status = saved.status
    return render_template("credit/edit_batch.html", form=form, batch=batch), status


@bp.post("/batches/<int:batch_id>/delete")
@login_required
def delete_batch(batch_id: int) -> tuple[str, int] | Response:
    batch = services.get_batch(current_user, batch_id)
    form = VersionForm()
    seen = seen_version(form.version_id.data)
    saved = save(
        form,
        lambda: services.delete_batch(current_user, batch, seen, utcnow()),
        _("Batch deleted."),
    )
    if saved.done:
        return redirect(url_for(".list_batches"))
    return _batch_page(batch), saved.refused_status


@bp.route("/batches/<int:batch_id>")
@login_required
def show_batch(batch_id: int) -> str:
    return _batch_page(services.get_batch(current_user, batch_id))


@bp.post("/batches/<int:batch_id>/submit")
@login_required
def submit_batch(batch_id: int) -> tuple[str, int] | Response:
    batch = services.get_batch(current_user, batch_id)
    form = VersionForm()
    saved = save(
        form,
        lambda: services.submit_batch(
            current_user, batch, seen_version(form.version_id.data), utcnow()
        ),
        _("Batch submitted to the bank."),
    )
    if saved.done:
        return redirect(url_for(".show_batch", batch_id=batch.id))
    return _batch_page(batch), saved.refused_status


@bp.route("/nominate", methods=["GET", "POST"])
@login_required
def nominate() -> tuple[str, int] | Response:
    require(scoping.can_nominate(current_user))
    form = NominationForm()
    batches = queries.draft_batches()
    loc = current_locale()
    form.batch_id.choices = [
        (b.id, f"{b.title} · {b.bank.name_for(loc)} · {b.product.name}") for b in batches
    ]
    if request.method == "GET":
        _prefill(form)
    status = 200
    if form.validate_on_submit():
        nominated = save(form, lambda: _nominate(form), _("Firm nominated."))
        if nominated.value is not None:
            return redirect(_after_nomination(nominated.value))
        status = nominated.status
    return render_template("credit/nominate.html", form=form, batches=batches), status


@bp.route("/nominations/<int:nomination_id>")
@login_required
def show_nomination(nomination_id: int) -> str:
    return _nomination_page(services.get_nomination(current_user, nomination_id))


@bp.post("/nominations/<int:nomination_id>/<step>")
@login_required
def change_nomination(nomination_id: int, step: str) -> tuple[str, int] | Response:
    nomination = services.get_nomination(current_user, nomination_id)
    if step not in STEPS:
        abort(404)
    require(_may_take(step, nomination))
    form_class, write, message = STEPS[step]
    form = form_class()
    if form.validate_on_submit():
        saved = save(form, lambda: write(form, nomination), str(message()))
        if saved.done:
            if step == "withdraw":
                return redirect(url_for(".show_batch", batch_id=nomination.batch_id))
            return redirect(url_for(".show_nomination", nomination_id=nomination.id))
        return _nomination_page(nomination, **{f"{step}_form": form}), saved.refused_status
    return _nomination_page(nomination, **{f"{step}_form": form}), 422


def _decide(form: DecisionForm, nomination: Nomination) -> Any:
    data = decisions.DecisionInput(
        decision=form.decision.data or "",
        decided_on=form.decided_on.data,
        quota_granted=form.quota_granted.data,
        rate=form.rate.data,
        term_months=form.term_months.data,
        refusal_reason=form.refusal_reason.data,
        renewal_on=form.renewal_on.data,
    )
    seen = seen_version(form.version_id.data)
    return decisions.record_decision(current_user, nomination, data, seen, utcnow())


def _renew(form: RenewalForm, nomination: Nomination) -> Any:
    seen = seen_version(form.version_id.data)
    return decisions.renew(current_user, nomination, form.renewal_on.data, seen, utcnow())


def _draw(form: DrawdownForm, nomination: Nomination) -> Any:
    data = decisions.DrawdownInput(
        form.drawn_on.data, form.amount.data, form.repaid_on.data, form.note.data
    )
    return decisions.record_drawdown(current_user, nomination, data, utcnow())


def _repay(form: RepaymentForm, nomination: Nomination) -> Any:
    drawdown_id = record_id(form.drawdown_id.data)
    drawdown = db.session.get(CreditDrawdown, drawdown_id) if drawdown_id else None
    if drawdown is None or drawdown.nomination_id != nomination.id:
        abort(404)
    seen = seen_version(form.version_id.data)
    return decisions.record_repayment(current_user, drawdown, form.repaid_on.data, seen, utcnow())


def _withdraw(form: VersionForm, nomination: Nomination) -> Any:
    seen = seen_version(form.version_id.data)
    return services.withdraw(current_user, nomination, seen, utcnow())


def _answer(form: AnswerForm, nomination: Nomination) -> Any:
    seen = seen_version(form.version_id.data)
    return answers.answer_request(current_user, nomination, form.answer.data or "", seen, utcnow())


def _may_take(step: str, nomination: Nomination) -> bool:
    """The role check before the form is read; the service checks again (and the rest)."""
    if step == "decision":
        return scoping.can_manage(current_user)
    if step in {"renewal", "drawdown", "repayment"}:
        return scoping.can_act_on_firm(current_user, nomination)
    if step == "answer":
        request_row = nomination.request
        return request_row is not None and answers.can_answer(current_user, request_row)
    return scoping.can_nominate(current_user)


STEPS: dict[str, tuple[type, Any, Any]] = {
    "decision": (DecisionForm, _decide, lambda: _("Decision recorded.")),
    "renewal": (RenewalForm, _renew, lambda: _("Renewal recorded.")),
    "drawdown": (DrawdownForm, _draw, lambda: _("Loan recorded.")),
    "repayment": (RepaymentForm, _repay, lambda: _("Repayment recorded.")),
    "withdraw": (VersionForm, _withdraw, lambda: _("Nomination withdrawn.")),
    "answer": (AnswerForm, _answer, lambda: _("Request resolved with the bank's answer.")),
}


def _prefill(form: NominationForm) -> None:
    form.batch_id.data = record_id(request.args.get("batch_id"))
    enterprise_id = record_id(request.args.get("enterprise_id"))
    if enterprise_id:
        enterprise = db.session.get(Enterprise, enterprise_id)
        # Only a firm of the user's scope: the code of another must not leak through the link.
        if enterprise is not None and access.can_read_enterprise(current_user, enterprise):
            form.uscc.data = enterprise.uscc
    form.request_id.data = request.args.get("request_id", "")


def _nominate(form: NominationForm) -> Nomination:
    batch_id = record_id(str(form.batch_id.data or ""))
    batch = db.session.get(NominationBatch, batch_id) if batch_id else None
    if batch is None or batch.is_deleted:
        raise InvalidInputError({"batch_id": [_("Choose an open batch.")]})
    enterprise = queries.firm_by_code(current_user, form.uscc.data or "")
    if enterprise is None:
        raise InvalidInputError({"uscc": [_("No firm of yours has this code.")]})
    # A hidden field, so anything may come back: "²" passes str.isdigit() but not int().
    raw_request = (form.request_id.data or "").strip()
    request_id = record_id(raw_request)
    if raw_request and request_id is None:
        raise InvalidInputError({"request_id": [_("Not a financing request of this firm.")]})
    data = services.NominationInput(
        enterprise_id=enterprise.id, quota_asked=form.quota_asked.data, request_id=request_id
    )
    seen = seen_version(form.version_id.data) if form.version_id.data else None
    return services.nominate(current_user, batch, data, seen, utcnow(), current_locale())


def _after_nomination(nomination: Nomination) -> str:
    if nomination.request_id is not None:
        return url_for("requests.show_request", request_id=nomination.request_id)
    return url_for(".show_batch", batch_id=nomination.batch_id)


def _batch_page(batch: NominationBatch) -> str:
    query = queries.nomination_query(current_user, batch.id)
    page = cursor_page(queries.nomination_page, query, PER_PAGE)
    return render_template(
        "credit/show_batch.html",
        batch=batch,
        page=page,
        count=capped_count(query),
        drawn=queries.drawn_by_nomination([row.id for row in page.rows]),
        columns=batch.bank.nomination_columns,
        can_manage=scoping.can_manage(current_user),
        can_nominate=scoping.can_nominate(current_user) and batch.state == BatchState.DRAFT,
        history=history_of("nomination_batch", batch.id),
        label=label,
        badges=BADGES,
    )


def _nomination_page(nomination: Nomination, **forms: Any) -> str:
    page_forms = {
        "decision_form": DecisionForm(formdata=None),
        "renewal_form": RenewalForm(formdata=None),
        "drawdown_form": DrawdownForm(formdata=None),
        "repayment_form": RepaymentForm(formdata=None),
        "answer_form": AnswerForm(formdata=None),
    }
    page_forms.update(forms)
    for name in ("decision_form", "renewal_form"):
        page_forms[name].version_id.data = str(nomination.version_id)
    request_row = nomination.request
    if request_row is not None:
        page_forms["answer_form"].version_id.data = str(request_row.version_id)
        if not page_forms["answer_form"].answer.data:
            page_forms["answer_form"].answer.data = answers.quota_answer(
                nomination, current_locale()
            )
    return render_template(
        "credit/show_nomination.html",
        nomination=nomination,
        drawn=decisions.drawn_total(nomination.id),
        can_manage=scoping.can_manage(current_user),
        can_act=scoping.can_act_on_firm(current_user, nomination),
        can_withdraw=scoping.can_manage(current_user)
        or (nomination.batch.state == BatchState.DRAFT and scoping.can_nominate(current_user)),
        can_answer=request_row is not None and answers.can_answer(current_user, request_row),
        history=history_of("nomination", nomination.id),
        label=label,
        badges=BADGES,
        **page_forms,
    )

"""Pipeline pages: the ranking, overrides, the model page and, for admins, training."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from crm import access
from crm.clock import today, utcnow
from crm.enterprises import services as enterprises
from crm.enterprises.labels import filter_options
from crm.enterprises.queries import ReservoirFilter
from crm.errors import (
    MAX_DATABASE_ID,
    ConflictError,
    StaleEditError,
    seen_version,
)
from crm.export_audit import RowTally, audited_stream
from crm.form_views import commit_and_redirect, save
from crm.i18n import current_locale
from crm.labels import label
from crm.pipeline import exporting, overrides, ranking, versions
from crm.pipeline.cards import firm_score_card
from crm.pipeline.forms import OverrideForm
from crm.pipeline.reasons import (
    ReasonWords,
    calibration_series,
    candidate_label,
    category_names,
    choice_words,
    importance_series,
    scorer_label,
)
from crm.pipeline.rescoring import rescore
from crm.view_helpers import require
from models import Enterprise, ModelVersion, PipelineOverride, TrainingState, db

bp = Blueprint("pipeline", __name__, url_prefix="/pipeline")


@bp.app_context_processor
def pipeline_helpers() -> dict[str, object]:
    # The firm page (another blueprint) includes the score card, which names its scorer.
    return {"scorer_label": scorer_label}


def _require_pipeline_reader() -> None:
    if not access.can_read_reservoir(current_user):
        abort(404)


@bp.route("/")
@login_required
def show_pipeline() -> str:
    _require_pipeline_reader()
    filters = ReservoirFilter.from_args(request.args)
    place = ranking.PagePlace.from_args(request.args)
    per_page = current_app.config["CRM_PAGE_SIZE"]
    shown = ranking.pipeline_page(current_user, filters, per_page, place)
    wording = ReasonWords(current_locale())
    return render_template(
        "pipeline/show_pipeline.html",
        rows=shown.rows,
        reasons={row.enterprise.id: wording(row.score.reasons) for row in shown.rows},
        shown=shown,
        place=place,
        pages=None if shown.total is None else max(1, -(-shown.total // per_page)),
        key_text=ranking.key_text,
        run=shown.run,
        # Only a run by the index says why no learned model scored it.
        latest=versions.latest_version()
        if shown.run and shown.run.model_version_id is None
        else None,
        filters=filters,
        options=filter_options(current_user),
        can_override=overrides.can_override(current_user),
        label=label,
    )


@bp.route("/export")
@login_required
def export_pipeline() -> Response:
    _require_pipeline_reader()
    file_format = request.args.get("format", "csv")
    if file_format not in exporting.FORMATS:
        abort(404)
    filters = ReservoirFilter.from_args(request.args)
    user, tally = current_user._get_current_object(), RowTally()
    chunks = exporting.export_pipeline(user, filters, current_locale(), file_format, tally)
    details = {"format": file_format, "filters": filters.as_args()}
    name = f"pipeline-{today().isoformat()}.{file_format}"
    return Response(
        stream_with_context(audited_stream(chunks, tally, user, "pipeline", details)),
        mimetype=exporting.MEDIA_TYPES[file_format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/firms/<int:enterprise_id>/override", methods=["GET", "POST"])
@login_required
def override_firm(enterprise_id: int) -> tuple[str, int] | Response:
    enterprise = enterprises.get_enterprise(current_user, enterprise_id)
    require(overrides.can_override(current_user))
    current = overrides.current_override(enterprise.id)
    form, status = _override_form(current, posted=request.method == "POST"), 200
    if form.validate_on_submit():
        seen = seen_version(form.version_id.data) if current else None
        saved = save(
            form,
            lambda: overrides.set_override(
                current_user, enterprise, form.to_input(), seen, utcnow()
            ),
            _("Your view is recorded beside the model's."),
        )
        if saved.done:
            return redirect(url_for("enterprises.show_enterprise", enterprise_id=enterprise.id))
        status = saved.status
    return _override_page(enterprise, form, current), status


@bp.post("/firms/<int:enterprise_id>/override/withdraw")
@login_required
def withdraw_override(enterprise_id: int) -> tuple[str, int] | Response:
    enterprise = enterprises.get_enterprise(current_user, enterprise_id)
    current = overrides.current_override(enterprise.id)
    if current is None:
        abort(404)
    try:
        seen = seen_version(request.form.get("version_id"))
        overrides.withdraw_override(current_user, current, seen, utcnow())
        db.session.commit()
    except (StaleEditError, StaleDataError):
        db.session.rollback()
        flash(_("Someone else changed this override; reload and try again."), "danger")
        current = overrides.current_override(enterprise.id)  # as the other leader left it
        return _override_page(enterprise, _override_form(current, posted=False), current), 409
    flash(_("Override withdrawn; the firm keeps its tier."), "info")
    return redirect(url_for("enterprises.show_enterprise", enterprise_id=enterprise.id))


def _override_form(current: PipelineOverride | None, *, posted: bool) -> OverrideForm:
    """The form as posted, or filled in from the override in force."""
    form = OverrideForm(obj=current) if posted else OverrideForm(formdata=None, obj=current)
    form.tier.choices = [("", _("— keep the tier —")), *filter_options(current_user)["tier"]]
    if not posted:
        form.tier.data = current.tier.value if current and current.tier else ""
        form.version_id.data = str(current.version_id) if current else ""
    return form


def _override_page(
    enterprise: Enterprise, form: OverrideForm, current: PipelineOverride | None
) -> str:
    return render_template(
        "pipeline/override_firm.html",
        form=form,
        enterprise=enterprise,
        current=current,
        card=firm_score_card(enterprise.id),
        label=label,
    )


@bp.route("/model")
@login_required
def show_model() -> str:
    _require_pipeline_reader()
    recent = db.session.scalars(
        db.select(ModelVersion).order_by(ModelVersion.id.desc()).limit(20)
    ).all()
    live = versions.live_version()
    chosen_id = request.args.get("version", type=int)
    # Any version by id, not only those listed: a link to an old version shows that version.
    wanted = chosen_id is not None and 0 < chosen_id <= MAX_DATABASE_ID
    chosen = db.session.get(ModelVersion, chosen_id) if wanted else None
    ready = next((v for v in recent if v.state == TrainingState.READY), None)
    return render_template(
        "pipeline/show_model.html",
        versions=recent,
        shown=chosen or live or ready,
        live=live,
        run=ranking.latest_runs()[0],
        can_manage=versions.can_manage_models(current_user),
        importance_series=importance_series,
        candidate_label=candidate_label,
        calibration_series=calibration_series,
        choice_words=choice_words,
        label=label,
        category_names=category_names(current_locale()),
    )


@bp.post("/models/train")
@login_required
def train_model() -> Response:
    require(versions.can_manage_models(current_user))
    try:
        version = versions.start_training(current_user, utcnow(), queued=True)
    except ConflictError as busy:
        flash(busy.message, "warning")
        return redirect(url_for(".show_model"))
    return commit_and_redirect(
        _("Training queued: the scheduler starts it, and this page shows its progress."),
        url_for(".show_model", version=version.id),
        "info",
    )


@bp.route("/models/<int:version_id>/progress")
@login_required
def training_progress(version_id: int) -> Response:
    require(versions.can_manage_models(current_user))
    version = versions.get_version(version_id)
    return jsonify(
        state=version.state.value, progress=version.progress, step=version.step, error=version.error
    )


@bp.post("/models/<int:version_id>/publish")
@login_required
def publish_model(version_id: int) -> Response:
    version = versions.get_version(version_id)
    try:
        versions.publish(current_user, version, utcnow())
    except ConflictError as refused:
        db.session.rollback()
        flash(refused.message, "danger")
    else:
        db.session.commit()
        flash(
            _("%(label)s is live. Rescore to apply it.", label=scorer_label(version.label)),
            "success",
        )
    return redirect(url_for(".show_model", version=version.id))


@bp.post("/models/roll-back")
@login_required
def roll_back_model() -> Response:
    try:
        live = versions.roll_back(current_user, request.form.get("live_id", type=int) or 0)
    except ConflictError as refused:
        flash(refused.message, "warning")
    else:
        db.session.commit()
        flash(
            _("Rolled back; %(label)s is live.", label=scorer_label(live.label))
            if live
            else _("Rolled back; the rule-based index is live."),
            "success",
        )
    return redirect(url_for(".show_model"))


@bp.post("/rescore")
@login_required
def rescore_now() -> Response:
    require(versions.can_manage_models(current_user))
    try:
        run = rescore(today(), utcnow())
    except ConflictError as refused:
        db.session.rollback()
        flash(refused.message, "danger")
        return redirect(url_for(".show_model"))
    db.session.commit()
    flash(
        _(
            "Scored %(count)s firms with %(scorer)s.",
            count=run.firms,
            scorer=scorer_label(run.scorer),
        ),
        "success",
    )
    return redirect(url_for(".show_pipeline"))

"""JSON API of the pipeline: /api/v1/pipeline and /api/v1/models/active."""

from typing import Any

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from crm import access
from crm.api.auth import api_user, token_required
from crm.api.cursors import cursor_error
from crm.api.paging import QueryArgs
from crm.api.registry import documented
from crm.api.spec import error, field_errors, query_param
from crm.enterprises.queries import ReservoirFilter
from crm.errors import NotFoundError
from crm.i18n import current_locale
from crm.pipeline import ranking, versions
from crm.pipeline.reasons import ReasonWords
from crm.pipeline.schemas import ActiveModel, ModelVersionSummary, Pipeline
from crm.reference import by_slug
from models import IndustryTrack, SubDistrict, Tier, Zone

bp = Blueprint("pipeline_api", __name__, url_prefix="/api/v1")
DEFAULT_LIMIT = 50
NO_PIPELINE = error("The caller's role has no pipeline")


@documented(
    "get",
    "/pipeline",
    "The latest scoring's ranking of the firms in the caller's scope",
    {
        200: ("Ranked firms, best first", Pipeline),
        404: NO_PIPELINE,
        422: field_errors("A query parameter is invalid, named in `errors`"),
    },
    parameters=(
        query_param("limit", "integer", "1 to 200, default 50"),
        query_param("page", "integer", "From 1: the next `limit` firms, by offset"),
        query_param("after", "string", "`next` of the page before: as fast however deep"),
        query_param("zone", "string", "Zone slug"),
        query_param("sub_district", "string", "Sub-district slug"),
        query_param("track", "string", "Track slug"),
        query_param("tier", "string", "Tier"),
    ),
)
@bp.get("/pipeline")
@token_required
def list_pipeline() -> Any:
    user = api_user()
    if not access.can_read_reservoir(user):
        raise NotFoundError(_("Not found."))
    args = QueryArgs()
    limit = args.page_size("limit", DEFAULT_LIMIT)
    page = args.whole_number("page", 1) or 1
    tier = request.args.get("tier", "")
    if tier and tier not in {t.value for t in Tier}:
        args.errors["tier"] = [_("Not a tier.")]
    for name, model in (("zone", Zone), ("sub_district", SubDistrict), ("track", IndustryTrack)):
        slug = request.args.get(name, "")
        if slug and by_slug(model, slug) is None:
            args.errors[name] = [_("No such %(name)s.", name=name)]
    after = ranking.parse_key(request.args.get("after"))
    if request.args.get("after") and after is None:  # a client must not loop on page one
        args.errors.update(cursor_error())
    args.raise_if_invalid()
    filters = ReservoirFilter(
        zone=request.args.get("zone", ""),
        sub_district=request.args.get("sub_district", ""),
        track=request.args.get("track", ""),
        tier=tier,
    )
    place = ranking.PagePlace(page=page, after=after)
    shown = ranking.pipeline_page(user, filters, limit, place)
    return Pipeline.of(shown, ReasonWords(current_locale()), page, limit).answer_json()


@documented(
    "get",
    "/models/active",
    "The live model version and its card, or the index when none is published",
    {200: ("The live model", ActiveModel), 404: NO_PIPELINE},
)
@bp.get("/models/active")
@token_required
def active_model() -> Any:
    if not access.can_read_reservoir(api_user()):
        raise NotFoundError(_("Not found."))
    live = versions.live_version()
    if live is None:
        latest = versions.latest_version()
        index = ActiveModel(
            kind="index",
            label="index",
            reason=_("No learned model is published; the rule-based index is live."),
            latest_training=ModelVersionSummary.of(latest) if latest else None,
        )
        return jsonify(index.answer_json())
    shown = ModelVersionSummary.of(live)
    return jsonify(ActiveModel.model_validate(shown.model_dump(exclude_unset=True)).answer_json())

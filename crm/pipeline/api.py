"""JSON API of the pipeline: /api/v1/pipeline and /api/v1/models/active."""

from typing import Any

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from crm import access
from crm.api.auth import api_user, token_required
from crm.api.cursors import cursor_error
from crm.api.paging import MAX_PER_PAGE, whole_number_arg
from crm.enterprises.queries import ReservoirFilter
from crm.errors import NotFoundError
from crm.i18n import current_locale
from crm.pipeline import ranking, versions
from crm.pipeline.reasons import ReasonWords
from crm.reference import by_slug
from models import IndustryTrack, SubDistrict, Tier, Zone

bp = Blueprint("pipeline_api", __name__, url_prefix="/api/v1")
DEFAULT_LIMIT = 50


@bp.get("/pipeline")
@token_required
def list_pipeline() -> Any:
    user = api_user()
    if not access.can_read_reservoir(user):
        raise NotFoundError(_("Not found."))
    errors: dict[str, list[str]] = {}
    limit = whole_number_arg("limit", DEFAULT_LIMIT, errors) or DEFAULT_LIMIT
    if limit > MAX_PER_PAGE:
        errors["limit"] = [_("A whole number between 1 and %(max)d.", max=MAX_PER_PAGE)]
    page = whole_number_arg("page", 1, errors) or 1
    tier = request.args.get("tier", "")
    if tier and tier not in {t.value for t in Tier}:
        errors["tier"] = [_("Not a tier.")]
    for name, model in (("zone", Zone), ("sub_district", SubDistrict), ("track", IndustryTrack)):
        slug = request.args.get(name, "")
        if slug and by_slug(model, slug) is None:
            errors[name] = [_("No such %(name)s.", name=name)]
    after = ranking.parse_key(request.args.get("after"))
    if request.args.get("after") and after is None:  # a client must not loop on page one
        errors.update(cursor_error())
    if errors:
        return jsonify(errors=errors), 422
    filters = ReservoirFilter(
        zone=request.args.get("zone", ""),
        sub_district=request.args.get("sub_district", ""),
        track=request.args.get("track", ""),
        tier=tier,
    )
    place = ranking.PagePlace(page=page, after=after)
    shown = ranking.pipeline_page(user, filters, limit, place)
    rows, run = shown.rows, shown.run
    wording = ReasonWords(current_locale())
    return jsonify(
        items=[
            {
                "enterprise_id": row.enterprise.id,
                "name": row.enterprise.name,
                "score": round(row.score.score, 6),
                "rank": row.score.rank,
                "percentile": round(row.score.percentile, 6),
                "change": None if row.change is None else round(row.change, 6),
                "tier": row.enterprise.tier.value,
                "suggested_tier": row.suggested_tier.value,
                "override": None
                if row.override is None
                else {
                    "tier": row.override.tier.value if row.override.tier else None,
                    "watch": row.override.watch,
                    "reason": row.override.reason,
                },
                "reasons": wording(row.score.reasons),
                "model_version": run.scorer if run else None,
            }
            for row in rows
        ],
        total=shown.total,
        next=ranking.key_text(shown.next_key),
        page=page,
        limit=limit,
        scored_at=run.scored_at.isoformat() if run else None,
        model_version=run.scorer if run else None,
    )


@bp.get("/models/active")
@token_required
def active_model() -> Any:
    if not access.can_read_reservoir(api_user()):
        raise NotFoundError(_("Not found."))
    live = versions.live_version()
    if live is None:
        latest = versions.latest_version()
        return jsonify(
            kind="index",
            label="index",
            reason=_("No learned model is published; the rule-based index is live."),
            latest_training=versions.card_summary(latest) if latest else None,
        )
    return jsonify(versions.card_summary(live))

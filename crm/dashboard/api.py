"""JSON API of the dashboard: /api/v1/targets, the figures of the targets section."""

from typing import Any

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from crm.api.auth import api_user, token_required
from crm.clock import today
from crm.dashboard.access import can_read_dashboard
from crm.dashboard.definitions import definition_dict
from crm.dashboard.filters import DashboardFilter
from crm.dashboard.overview import target_progress
from crm.dashboard.sections import filter_error
from crm.errors import NotFoundError
from crm.i18n import current_locale

bp = Blueprint("dashboard_api", __name__, url_prefix="/api/v1")


@bp.get("/targets")
@token_required
def list_targets() -> Any:
    if not can_read_dashboard(api_user()):
        raise NotFoundError(_("Not found."))
    filters, wrong = DashboardFilter.from_args(request.args, today())
    errors = {name: [filter_error(name)] for name in wrong}
    if errors:
        return jsonify(errors=errors), 422
    locale = current_locale()
    return jsonify(
        as_of=filters.today.isoformat(),
        zone=filters.zone or None,
        sub_district=filters.sub_district or None,
        track=filters.track or None,
        items=[
            {
                "key": row.target.key,
                "title": row.target.title_for(locale),
                "definition": definition_dict(row.target),
                "value": row.value,
                "target": round(row.goal, 2),
                "district_target": row.target.goal,
                "deadline": row.target.deadline.isoformat(),
                "baseline": row.baseline.isoformat(),
                "projected": round(row.projected, 2),
                "on_pace": row.on_pace,
                "owner": row.target.owner.slug if row.target.owner else None,
                "trend": [{"on": day.isoformat(), "value": value} for day, value in row.trend],
            }
            for row in target_progress(filters)
        ],
    )

"""JSON API of the targets: /api/v1/targets, the figures of the dashboard's targets section."""

from typing import Any

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from crm.api.auth import api_user, token_required
from crm.clock import today, utcnow
from crm.dashboard.access import can_read_dashboard
from crm.dashboard.filters import DashboardFilter
from crm.dashboard.sections import filter_error
from crm.dashboard.snapshots import dashboard_figures
from crm.errors import NotFoundError
from crm.i18n import current_locale
from models import db

bp = Blueprint("targets_api", __name__, url_prefix="/api/v1")


@bp.get("/targets")
@token_required
def list_targets() -> Any:
    if not can_read_dashboard(api_user()):
        raise NotFoundError(_("Not found."))
    filters, wrong = DashboardFilter.from_args(request.args, today())
    errors = {name: [filter_error(name)] for name in wrong}
    if errors:
        return jsonify(errors=errors), 422
    figures = dashboard_figures(filters, current_locale(), utcnow())
    db.session.commit()  # keeps the snapshot a first request for these filters computed
    return jsonify(
        as_of=filters.today.isoformat(),
        zone=filters.zone or None,
        sub_district=filters.sub_district or None,
        track=filters.track or None,
        computed_at=figures.computed_at.isoformat(timespec="seconds"),
        items=[
            {
                "key": card.key,
                "title": card.title,
                "definition": card.definition,
                "value": card.value,
                "target": round(card.goal, 2),
                "district_target": card.district_goal,
                "deadline": card.deadline.isoformat(),
                "baseline": card.baseline.isoformat(),
                "projected": round(card.projected, 2),
                "on_pace": card.on_pace,
                "owner": card.owner,
                "trend": [{"on": day.isoformat(), "value": value} for day, value in card.trend],
            }
            for card in figures.cards
        ],
    )

"""JSON API of the targets: /api/v1/targets, the figures of the dashboard's targets section."""

from typing import Any

from flask import Blueprint, current_app, request
from flask_babel import gettext as _

from crm.api.auth import api_user, token_required
from crm.api.registry import documented
from crm.api.spec import error, field_errors, query_param
from crm.clock import utcnow
from crm.dashboard.access import can_read_dashboard
from crm.dashboard.filters import DashboardFilter, counted_day
from crm.dashboard.sections import filter_error
from crm.dashboard.snapshots import dashboard_figures
from crm.errors import InvalidInputError, NotFoundError
from crm.i18n import current_locale
from crm.targets.schemas import Targets
from models import db

bp = Blueprint("targets_api", __name__, url_prefix="/api/v1")


@documented(
    "get",
    "/targets",
    "Progress to the action plan's targets (district leaders and admins)",
    {
        200: ("The targets, in the admin's order", Targets),
        404: error("The caller is not a district leader or admin"),
        422: field_errors("An unknown zone, sub_district or track, named in `errors`"),
    },
    parameters=(
        query_param("zone", "string", "Zone slug"),
        query_param("sub_district", "string", "Sub-district slug"),
        query_param("track", "string", "Industry track slug"),
    ),
)
@bp.get("/targets")
@token_required
def list_targets() -> Any:
    if not can_read_dashboard(api_user()):
        raise NotFoundError(_("Not found."))
    now = utcnow()
    filters, wrong = DashboardFilter.from_args(request.args, counted_day(current_app.config, now))
    if wrong:
        raise InvalidInputError({name: [filter_error(name)] for name in wrong})
    figures = dashboard_figures(filters, current_locale(), now)
    db.session.commit()  # keeps the snapshot a first request for these filters computed
    return Targets.of(filters, figures).answer_json()

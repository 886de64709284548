"""The data-quality page for leaders and administrators."""

from flask import Blueprint, abort, current_app, render_template
from flask_login import current_user, login_required

from crm import access
from crm.clock import today
from crm.labels import label
from crm.quality import queries
from models import Role

bp = Blueprint("quality", __name__, url_prefix="/quality")


def _require_quality_reader() -> None:
    # 404 rather than 403, like the other leaders' pages: others need not know it exists.
    if current_user.role not in {Role.ADMIN, Role.LEADER}:
        abort(404)


@bp.route("/")
@login_required
def show_quality() -> str:
    _require_quality_reader()
    year = queries.last_complete_year(today())
    max_firms = current_app.config["QUALITY_MAX_FIRMS_PER_MANAGER"]
    return render_template(
        "quality/show_quality.html",
        year=year,
        max_firms=max_firms,
        missing_figures=queries.firms_missing_figures(year),
        without_manager=queries.firms_without_manager(),
        overloaded=queries.overloaded_managers(max_firms),
        import_issues=queries.open_import_issues(),
        limit=queries.LIST_LIMIT,
        # Leaders read but do not edit: their fix links open the firm's page instead.
        can_fix=access.can_edit_enterprises(current_user),
        label=label,
    )

"""The visit list's downloads: CSV or Excel of what the list shows, with its filters."""

from flask import request
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from crm.downloads import export_download
from crm.visits import exporting
from crm.visits.queries import VisitFilter
from crm.visits.views import bp
from models import Role


@bp.route("/export")
@login_required
def export_visits() -> Response:
    # As on the list: only those who oversee several sub-districts choose one.
    is_overseer = current_user.role in {Role.ADMIN, Role.LEADER}
    filters = VisitFilter(sub_district=request.args.get("sub_district", "") if is_overseer else "")
    details = {"filters": {"sub_district": filters.sub_district}}
    return export_download("visits", exporting.export_visits, details, filters=filters)

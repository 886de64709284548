"""The pipeline list's downloads: CSV or Excel of what the list shows, with its filters."""

from flask import request
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from crm.clock import utcnow
from crm.downloads import export_download
from crm.listings import exporting
from crm.listings.queries import TrackFilter
from crm.listings.views import bp
from models import Role


@bp.route("/export")
@login_required
def export_tracks() -> Response:
    filters = TrackFilter.from_args(request.args)
    if current_user.role not in {Role.ADMIN, Role.LEADER}:
        filters = TrackFilter(filters.stage, filters.board)
    details = {"filters": filters.as_args()}
    return export_download(
        "listing_tracks", exporting.export_tracks, details, filters=filters, today=utcnow().date()
    )

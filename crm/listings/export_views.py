"""The pipeline list's downloads: CSV or Excel of what the list shows, with its filters."""

from flask import abort, request
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from crm.clock import utcnow
from crm.downloads import export_download
from crm.export_audit import RowTally
from crm.i18n import current_locale
from crm.listings import exporting
from crm.listings.queries import TrackFilter
from crm.listings.views import bp
from crm.spreadsheets.tables import FORMATS
from models import Role


@bp.route("/export")
@login_required
def export_tracks() -> Response:
    file_format = request.args.get("format", "csv")
    if file_format not in FORMATS:
        abort(400)
    filters = TrackFilter.from_args(request.args)
    if current_user.role not in {Role.ADMIN, Role.LEADER}:
        filters = TrackFilter(filters.stage, filters.board)
    user, tally = current_user._get_current_object(), RowTally()
    chunks = exporting.export_tracks(
        user, filters, utcnow().date(), current_locale(), file_format, tally
    )
    details = {"format": file_format, "filters": filters.as_args()}
    return export_download(chunks, tally, user, "listing_tracks", details, file_format)

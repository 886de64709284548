"""The visit list's downloads: CSV or Excel of what the list shows, with its filters."""

from flask import abort, request
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from crm.downloads import export_download
from crm.export_audit import RowTally
from crm.i18n import current_locale
from crm.spreadsheets.tables import FORMATS
from crm.visits import exporting
from crm.visits.queries import VisitFilter
from crm.visits.views import bp
from models import Role


@bp.route("/export")
@login_required
def export_visits() -> Response:
    file_format = request.args.get("format", "csv")
    if file_format not in FORMATS:
        abort(400)
    # As on the list: only those who oversee several sub-districts choose one.
    is_overseer = current_user.role in {Role.ADMIN, Role.LEADER}
    filters = VisitFilter(sub_district=request.args.get("sub_district", "") if is_overseer else "")
    user, tally = current_user._get_current_object(), RowTally()
    chunks = exporting.export_visits(user, filters, current_locale(), file_format, tally)
    details = {"format": file_format, "filters": {"sub_district": filters.sub_district}}
    return export_download(chunks, tally, user, "visits", details, file_format)

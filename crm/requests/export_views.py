"""The request list's downloads: CSV or Excel of what the inbox shows, with its filters."""

from flask import abort, request
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from crm.clock import today
from crm.downloads import export_download
from crm.export_audit import RowTally
from crm.i18n import current_locale
from crm.requests import exporting
from crm.requests.queries import RequestFilter
from crm.requests.views import bp
from crm.spreadsheets.tables import FORMATS


@bp.route("/export")
@login_required
def export_requests() -> Response:
    file_format = request.args.get("format", "csv")
    if file_format not in FORMATS:
        abort(400)
    filters = RequestFilter.from_args(request.args)
    user, tally = current_user._get_current_object(), RowTally()
    chunks = exporting.export_requests(user, filters, today(), current_locale(), file_format, tally)
    details = {"format": file_format, "filters": _filter_args(filters)}
    return export_download(chunks, tally, user, "requests", details, file_format)


def _filter_args(filters: RequestFilter) -> dict[str, object]:
    return {
        "state": filters.state,
        "department": filters.department,
        "overdue": filters.is_overdue,
    }

"""The request list's downloads: CSV or Excel of what the inbox shows, with its filters."""

from flask import request
from flask_login import login_required
from werkzeug.wrappers import Response

from crm.clock import today
from crm.downloads import export_download
from crm.requests import exporting
from crm.requests.queries import RequestFilter
from crm.requests.views import bp


@bp.route("/export")
@login_required
def export_requests() -> Response:
    filters = RequestFilter.from_args(request.args)
    details = {"filters": _filter_args(filters)}
    return export_download(
        "requests", exporting.export_requests, details, filters=filters, today=today()
    )


def _filter_args(filters: RequestFilter) -> dict[str, object]:
    return {
        "state": filters.state,
        "department": filters.department,
        "overdue": filters.is_overdue,
    }

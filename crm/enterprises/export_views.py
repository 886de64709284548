"""Export of the reservoir: the filtered list streamed as CSV or XLSX."""

from flask import request
from flask_login import login_required
from werkzeug.wrappers import Response

from crm.downloads import export_download
from crm.enterprises import exporting, queries
from crm.enterprises.views import bp


@bp.route("/export")
@login_required
def export_enterprises() -> Response:
    filters = queries.ReservoirFilter.from_args(request.args)
    details = {"filters": filters.as_args()}
    return export_download("reservoir", exporting.export_chunks, details, filters=filters)

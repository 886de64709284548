"""The package list's downloads: CSV or Excel of what the list shows, with its filter."""

from flask import abort, request
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from crm.downloads import export_download
from crm.export_audit import RowTally
from crm.i18n import current_locale
from crm.policies import exporting
from crm.policies.views import bp
from crm.spreadsheets.tables import FORMATS


@bp.route("/export")
@login_required
def export_packages() -> Response:
    file_format = request.args.get("format", "csv")
    if file_format not in FORMATS:
        abort(400)
    state = exporting.package_state(request.args)
    user, tally = current_user._get_current_object(), RowTally()
    chunks = exporting.export_packages(user, state, current_locale(), file_format, tally)
    details = {"format": file_format, "filters": {"state": state or ""}}
    return export_download(chunks, tally, user, "packages", details, file_format)

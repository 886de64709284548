"""The package list's downloads: CSV or Excel of what the list shows, with its filter."""

from flask import request
from flask_login import login_required
from werkzeug.wrappers import Response

from crm.downloads import export_download
from crm.policies import exporting
from crm.policies.views import bp


@bp.route("/export")
@login_required
def export_packages() -> Response:
    state = exporting.package_state(request.args)
    details = {"filters": {"state": state or ""}}
    return export_download("packages", exporting.export_packages, details, state=state)

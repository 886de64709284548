"""A batch's download in the bank's format (CSV or Excel), on the audit log like every export."""

from flask import abort, request
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from crm.credit import exporting, services
from crm.credit.scoping import can_manage
from crm.credit.views import bp
from crm.downloads import export_download
from crm.export_audit import RowTally
from crm.i18n import current_locale
from crm.spreadsheets.tables import FORMATS


@bp.route("/batches/<int:batch_id>/export")
@login_required
def export_batch(batch_id: int) -> Response:
    batch = services.get_batch(current_user, batch_id)
    if not can_manage(current_user):
        abort(403)
    file_format = request.args.get("format", "csv")
    if file_format not in FORMATS:
        abort(400)
    user, tally = current_user._get_current_object(), RowTally()
    chunks = exporting.export_batch(user, batch, current_locale(), file_format, tally)
    details = {"format": file_format, "batch_id": batch.id, "bank": batch.bank.slug}
    return export_download(chunks, tally, user, "credit-batch", details, file_format)

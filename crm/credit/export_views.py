"""A batch's download in the bank's format (CSV or Excel), on the audit log like every export."""

from flask import abort
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from crm.credit import exporting, services
from crm.credit.scoping import can_manage
from crm.credit.views import bp
from crm.downloads import export_download


@bp.route("/batches/<int:batch_id>/export")
@login_required
def export_batch(batch_id: int) -> Response:
    batch = services.get_batch(current_user, batch_id)
    if not can_manage(current_user):
        abort(403)
    details = {"batch_id": batch.id, "bank": batch.bank.slug}
    return export_download("credit-batch", exporting.export_batch, details, batch=batch)

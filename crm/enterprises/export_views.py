"""Export of the reservoir: the filtered list streamed as CSV or XLSX."""

from flask import abort, request, stream_with_context
from flask_babel import to_user_timezone
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from crm.clock import utcnow
from crm.enterprises import exporting, queries
from crm.enterprises.views import bp
from crm.export_audit import RowTally, audited_stream
from crm.i18n import current_locale


@bp.route("/export")
@login_required
def export_enterprises() -> Response:
    file_format = request.args.get("format", "csv")
    if file_format not in exporting.FORMATS:
        abort(400)
    filters = queries.ReservoirFilter.from_args(request.args)
    user, tally = current_user._get_current_object(), RowTally()
    chunks = exporting.export_chunks(user, filters, current_locale(), file_format, tally)
    details = {"format": file_format, "filters": filters.as_args()}
    audited = audited_stream(chunks, tally, user, "reservoir", details)
    day = to_user_timezone(utcnow()).date().isoformat()  # the date on the user's calendar
    # Streamed: the first bytes leave before the last firm is read (the context stays open).
    response = Response(stream_with_context(audited), mimetype=exporting.MEDIA_TYPES[file_format])
    response.headers.set(
        "Content-Disposition", "attachment", filename=f"reservoir-{day}.{file_format}"
    )
    return response

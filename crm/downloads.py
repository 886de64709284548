"""The response of every list export: streamed as it is written, and on the audit log once sent."""

from collections.abc import Callable, Iterator
from typing import Any

from flask import abort, request, stream_with_context
from flask_babel import to_user_timezone
from flask_login import current_user
from werkzeug.wrappers import Response

from crm.clock import utcnow
from crm.export_audit import RowTally, audited_stream
from crm.i18n import current_locale
from crm.spreadsheets.tables import FORMATS, MEDIA_TYPES


def export_download(
    export: str, write: Callable[..., Iterator[bytes]], details: dict[str, Any], **arguments: Any
) -> Response:
    """The list in the ?format= asked for (400 for one we do not write), as a file download.

    `write` is the list's exporter: it is called with the user, the `arguments` and `locale`,
    `file_format` and `tally` by name. `export` names the list in the audit log and the file:
    visits-2026-03-02.csv.
    """
    file_format = request.args.get("format", "csv")
    if file_format not in FORMATS:
        abort(400)
    user, tally = current_user._get_current_object(), RowTally()
    chunks = write(user, **arguments, locale=current_locale(), file_format=file_format, tally=tally)
    details = {"format": file_format, **details}
    audited = audited_stream(chunks, tally, user, export, details)
    day = to_user_timezone(utcnow()).date().isoformat()  # the date on the user's calendar
    # The first bytes leave before the last row is read; the request context stays open for it.
    response = Response(stream_with_context(audited), mimetype=MEDIA_TYPES[file_format])
    response.headers.set(
        "Content-Disposition", "attachment", filename=f"{export}-{day}.{file_format}"
    )
    return response

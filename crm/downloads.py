"""The response of every list export: streamed as it is written, and on the audit log once sent."""

from collections.abc import Iterator
from typing import Any

from flask import stream_with_context
from flask_babel import to_user_timezone
from werkzeug.wrappers import Response

from crm.clock import utcnow
from crm.export_audit import RowTally, audited_stream
from crm.spreadsheets.tables import MEDIA_TYPES
from models import User


def export_download(
    chunks: Iterator[bytes],
    tally: RowTally,
    actor: User,
    export: str,
    details: dict[str, Any],
    file_format: str,
) -> Response:
    """`export` names the list in the audit log and the file: visits-2026-03-02.csv."""
    audited = audited_stream(chunks, tally, actor, export, details)
    day = to_user_timezone(utcnow()).date().isoformat()  # the date on the user's calendar
    # The first bytes leave before the last row is read; the request context stays open for it.
    response = Response(stream_with_context(audited), mimetype=MEDIA_TYPES[file_format])
    response.headers.set(
        "Content-Disposition", "attachment", filename=f"{export}-{day}.{file_format}"
    )
    return response

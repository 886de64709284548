"""Streamed exports leave an audit entry once their last row is sent or the download is dropped."""

from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from crm import audit
from models import User, db

Row = TypeVar("Row")


class RowTally:
    """Counts the rows of an export as the file is written, so a streamed response can say how
    many it sent without a second query."""

    def __init__(self) -> None:
        self.row_count = 0

    def counted(self, rows: Iterable[Row]) -> Iterator[Row]:
        for row in rows:
            self.row_count += 1
            yield row


def audited_stream(
    chunks: Iterator[bytes], tally: RowTally, actor: User, export: str, details: dict[str, Any]
) -> Iterator[bytes]:
    """The file's chunks; at the end, in a transaction of its own, the export's audit entry.

    Runs inside stream_with_context: the request's session is still there after the last chunk.
    A download the client dropped half-way is recorded too, with the rows sent so far.
    """
    is_complete = False
    try:
        yield from chunks
        is_complete = True
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()  # the exporter's cursor, before the write
        db.session.rollback()  # the export only read: end its transaction, then write alone
        audit.record_export(actor, export, details, tally.row_count, is_complete)
        db.session.commit()

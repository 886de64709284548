"""The filtered pipeline as CSV or XLSX: what leaders take into a meeting."""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _

from crm.enterprises.exporting import FORMATS, MEDIA_TYPES
from crm.enterprises.file_format import escape_formula
from crm.enterprises.queries import ReservoirFilter
from crm.export_audit import RowTally
from crm.labels import label
from crm.pipeline.ranking import PipelineRow, all_pipeline_rows
from crm.pipeline.reasons import ReasonWords
from crm.xlsx_stream import write_xlsx
from models import User

__all__ = ["FORMATS", "MEDIA_TYPES", "export_pipeline"]
CSV_ROWS_PER_CHUNK = 500
FILE_CHUNK_BYTES = 64 * 1024


def headers() -> list[str]:
    return [
        _("Rank"),
        _("Firm"),
        _("Credit code"),
        _("Score"),
        _("Percentile"),
        _("Change"),
        _("Top reasons"),
        _("Tier"),
        _("Model's tier"),
        _("Leader's override"),
        _("Zone"),
        _("Sub-district"),
        _("Track"),
        _("Manager"),
        _("Last visit"),
        _("Open requests"),
        _("Red flag"),
        _("Support granted (yuan)"),
    ]


def row_values(row: PipelineRow, wording: ReasonWords) -> list[Any]:
    firm, override, locale = row.enterprise, row.override, wording.locale
    reasons = "; ".join(
        ("▲ " if reason["raises"] else "▼ ") + reason["words"]
        for reason in wording(row.score.reasons)
    )
    override_text = ""
    if override is not None:
        parts = [label(override.tier)] if override.tier else []
        parts += [_("Watch")] if override.watch else []
        override_text = f"{' / '.join(parts)}: {override.reason}"
    return [
        row.score.rank,
        firm.name,
        firm.uscc,
        round(row.score.score, 4),
        round(row.score.percentile * 100, 1),
        None if row.change is None else round(row.change, 4),
        reasons,
        label(firm.tier),
        label(row.suggested_tier),
        override_text,
        firm.zone.name_for(locale),
        firm.sub_district.name_for(locale),
        firm.track.name_for(locale),
        firm.manager.display_name if firm.manager else "",
        row.last_visit_on.isoformat() if row.last_visit_on else "",
        row.open_requests,
        _("Yes") if row.red_flag else "",
        float(row.support_granted),
    ]


def export_pipeline(
    user: User,
    filters: ReservoirFilter,
    locale: str,
    file_format: str,
    tally: RowTally | None = None,
) -> Iterator[bytes]:
    """The file in chunks, for a streamed response: rows are read in batches as they are sent."""
    with force_locale(locale):
        wording = ReasonWords(locale)
        rows = all_pipeline_rows(user, filters)
        counted = tally.counted(rows) if tally is not None else rows
        table = chain([headers()], (row_values(row, wording) for row in counted))
        if file_format == "csv":
            yield from _csv_chunks(table)
        else:
            yield from _xlsx_chunks(table)


def _csv_chunks(table: Iterable[list[Any]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff".encode()  # the BOM keeps Chinese legible in Excel
    for number, values in enumerate(table, start=1):
        writer.writerow(
            escape_formula(v) if isinstance(v, str) else "" if v is None else v for v in values
        )
        if number % CSV_ROWS_PER_CHUNK == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def _xlsx_chunks(table: Iterable[list[Any]]) -> Iterator[bytes]:
    # A workbook is a zip, written whole at the end: the rows go to disk meanwhile (the writer
    # drops the control characters XML forbids), and the finished file is sent from disk.
    cells = ([escape_formula(v) if isinstance(v, str) else v for v in values] for values in table)
    with tempfile.TemporaryFile() as file:
        write_xlsx(file, _("Pipeline"), cells)
        file.seek(0)
        while chunk := file.read(FILE_CHUNK_BYTES):
            yield chunk

"""The filtered pipeline as CSV or XLSX: what leaders take into a meeting."""

import csv
import io
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from crm.enterprises.columns import escape_formula
from crm.enterprises.exporting import FORMATS, MEDIA_TYPES
from crm.enterprises.queries import ReservoirFilter
from crm.labels import label
from crm.pipeline.ranking import PipelineRow, pipeline_rows
from crm.pipeline.reasons import worded
from models import User

__all__ = ["FORMATS", "MEDIA_TYPES", "export_pipeline"]


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


def row_values(row: PipelineRow, locale: str) -> list[Any]:
    firm, override = row.enterprise, row.override
    reasons = "; ".join(
        ("▲ " if reason["raises"] else "▼ ") + reason["words"]
        for reason in worded(row.score.reasons, locale)
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


def export_pipeline(user: User, filters: ReservoirFilter, locale: str, file_format: str) -> bytes:
    with force_locale(locale):
        rows, _total, _run = pipeline_rows(user, filters)
        table = [headers()] + [row_values(row, locale) for row in rows]
        if file_format == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            for values in table:
                writer.writerow(
                    escape_formula(v) if isinstance(v, str) else "" if v is None else v
                    for v in values
                )
            return buffer.getvalue().encode("utf-8-sig")  # the BOM keeps Chinese legible in Excel
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_("Pipeline"))
        for values in table:
            # XML forbids control characters: a pasted name or reason must not break the file.
            sheet.append(
                [
                    ILLEGAL_CHARACTERS_RE.sub("", escape_formula(v)) if isinstance(v, str) else v
                    for v in values
                ]
            )
        buffer_bytes = io.BytesIO()
        workbook.save(buffer_bytes)
        return buffer_bytes.getvalue()

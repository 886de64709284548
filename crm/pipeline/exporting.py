"""The filtered pipeline as CSV or XLSX: what leaders take into a meeting."""

from collections.abc import Iterator
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.enterprises.queries import ReservoirFilter
from crm.export_audit import RowTally
from crm.labels import label
from crm.pipeline.ranking import PipelineRow, all_pipeline_rows
from crm.pipeline.reasons import ReasonWords
from crm.spreadsheets.tables import FORMATS, MEDIA_TYPES, SheetColumn, export_table
from models import User

__all__ = ["FORMATS", "MEDIA_TYPES", "export_pipeline"]


def columns() -> list[SheetColumn]:
    """Names, reasons and overrides were typed by people ("text"); the rest is ours."""
    text, ours = "text", "label"
    kinds = [
        (_("Rank"), "count"),
        (_("Firm"), text),
        (_("Credit code"), ours),
        (_("Score"), ours),
        (_("Percentile"), ours),
        (_("Change"), ours),
        (_("Top reasons"), text),
        (_("Tier"), ours),
        (_("Model's tier"), ours),
        (_("Leader's override"), text),
        (_("Zone"), ours),
        (_("Sub-district"), ours),
        (_("Track"), ours),
        (_("Manager"), text),
        (_("Last visit"), ours),
        (_("Open requests"), "count"),
        (_("Red flag"), ours),
        (_("Support granted (yuan)"), ours),
    ]
    return [SheetColumn(header, kind) for header, kind in kinds]


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
    wording = ReasonWords(locale)
    rows = (row_values(row, wording) for row in all_pipeline_rows(user, filters))
    return export_table(locale, file_format, _l("Pipeline"), columns, rows, tally)

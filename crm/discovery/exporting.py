"""The candidate list as a CSV or XLSX file, and the intake template: one batch in memory."""

from collections.abc import Iterator
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.discovery.importing import COLUMNS, header
from crm.discovery.labels import label
from crm.discovery.queries import CandidateFilter, candidate_query, with_details
from crm.export_audit import RowTally
from crm.spreadsheets.tables import SheetColumn, batched, export_table, local_time
from models import User


def export_candidates(
    user: User,
    filters: CandidateFilter,
    locale: str,
    file_format: str,
    tally: RowTally | None = None,
) -> Iterator[bytes]:
    rows = _rows(user, filters, locale)
    return export_table(locale, file_format, _l("Candidates"), candidate_columns, rows, tally)


def candidate_columns() -> list[SheetColumn]:
    return [
        SheetColumn(_("Candidate no."), "count", 8),
        SheetColumn(_("Firm name"), "text", 36),
        SheetColumn(_("Unified social credit code"), "text", 22),
        SheetColumn(_("Industry track"), "label", 18),
        SheetColumn(_("Sub-district"), "label", 14),
        SheetColumn(_("Source"), "label", 16),
        SheetColumn(_("Investor, department or big firm"), "text", 24),
        SheetColumn(_("Discovery event"), "text", 30),
        SheetColumn(_("Award"), "text", 14),
        SheetColumn(_("State"), "label", 12),
        SheetColumn(_("Received on"), "date", 12),
        SheetColumn(_("Score"), "count", 8),
        SheetColumn(_("Decided on"), "date", 12),
        SheetColumn(_("Updated at"), "datetime", 16),
    ]


def _rows(user: User, filters: CandidateFilter, locale: str) -> Iterator[list[Any]]:
    for candidate in batched(with_details(candidate_query(user, filters))):
        yield [
            candidate.id,
            candidate.name,
            candidate.uscc,
            candidate.track.name_for(locale),
            candidate.sub_district.name_for(locale) if candidate.sub_district else None,
            label(candidate.source_kind),
            candidate.source_name,
            candidate.event.name if candidate.event else None,
            candidate.award,
            label(candidate.state),
            candidate.received_on,
            candidate.score,
            candidate.decided_on,
            local_time(candidate.updated_at),
        ]


def template_chunks(locale: str) -> Iterator[bytes]:
    """An empty intake sheet with one example row."""
    columns = [SheetColumn(header(key, locale), "text", 20) for key, *_names in COLUMNS]
    example = ["上海星河智能科技有限公司", "", "人工智能", "", "", "工业视觉检测", "一等奖", "1"]
    return export_table(locale, "xlsx", _l("Candidates"), lambda: columns, [example])

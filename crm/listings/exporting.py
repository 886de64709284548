"""The pipeline list as a CSV or XLSX file: the list's filters and scope, labels and dates."""

from collections.abc import Iterator
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from crm.export_audit import RowTally
from crm.listings.labels import label
from crm.listings.queries import TrackFilter, track_query
from crm.spreadsheets.tables import SheetColumn, batched, export_table
from models import Enterprise, ListingTrack, User


def export_tracks(
    user: User,
    filters: TrackFilter,
    today: date,
    locale: str,
    file_format: str,
    tally: RowTally | None = None,
) -> Iterator[bytes]:
    rows = _rows(user, filters, today, locale)
    return export_table(locale, file_format, _l("Listing pipeline"), track_columns, rows, tally)


def track_columns() -> list[SheetColumn]:
    return [
        SheetColumn(_("Firm"), "text", 36),
        SheetColumn(_("Unified social credit code"), "text", 22),
        SheetColumn(_("Sub-district"), "label", 12),
        SheetColumn(_("Target board"), "label", 14),
        SheetColumn(_("Stage"), "label", 16),
        SheetColumn(_("In this stage since"), "date", 12),
        SheetColumn(_("Days in stage"), "count", 8),
        SheetColumn(_("Sponsor"), "text", 16),
        SheetColumn(_("Planned listing date"), "date", 12),
        SheetColumn(_("Listed on"), "date", 12),
        SheetColumn(_("Stock code"), "text", 10),
        SheetColumn(_("Reason"), "text", 30),
    ]


def _rows(user: User, filters: TrackFilter, today: date, locale: str) -> Iterator[list[Any]]:
    query = track_query(user, filters).options(
        selectinload(ListingTrack.enterprise).selectinload(Enterprise.sub_district)
    )
    for track in batched(query):
        firm = track.enterprise
        yield [
            firm.name,
            firm.uscc,
            firm.sub_district.name_for(locale),
            label(track.board),
            label(track.stage),
            track.stage_since,
            (today - track.stage_since).days,
            track.sponsor,
            track.planned_listing_on,
            track.listed_on,
            track.stock_code,
            track.halt_reason,
        ]

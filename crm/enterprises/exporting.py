"""Exporting the filtered reservoir to CSV or XLSX, in the layout that imports back unchanged."""

from collections.abc import Iterator
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from crm.enterprises.file_format import (
    COLUMNS,
    DESIGNATION_JOINERS,
    DESIGNATION_SEPARATORS,
    FIGURE_KEYS,
    YES_NO,
    language,
)
from crm.enterprises.queries import ReservoirFilter, reservoir_query
from crm.export_audit import RowTally
from crm.labels import label
from crm.reference import all_of
from crm.spreadsheets.tables import MEDIA_TYPES, NUMBER_FORMATS, SheetColumn, export_table
from models import (
    Designation,
    Enterprise,
    EnterpriseDesignation,
    EnterpriseStatus,
    IndustryTrack,
    SubDistrict,
    Tier,
    User,
    YearlyFigures,
    Zone,
    db,
)

# The import views name the media types through this module.
__all__ = ["MEDIA_TYPES", "export_chunks", "export_reservoir"]
SHEET_KINDS = {"text", *NUMBER_FORMATS}
BATCH_SIZE = 1_000  # firms per round of designation and figure look-ups


def export_reservoir(user: User, filters: ReservoirFilter, locale: str, file_format: str) -> bytes:
    """The whole export as one value: for tests and small files (the view streams it)."""
    return b"".join(export_chunks(user, filters, locale, file_format))


def export_chunks(
    user: User,
    filters: ReservoirFilter,
    locale: str,
    file_format: str,
    tally: RowTally | None = None,
) -> Iterator[bytes]:
    """The firms of the user's filtered list, one row each with its latest year's figures.

    Rows are read in batches with Core (no ORM objects), so a 100,000-firm export holds one
    batch in memory; CSV bytes leave as each batch is written, XLSX once the zip is complete
    (written by crm.spreadsheets.xlsx: openpyxl's cell objects took ten times as long).
    """
    rows = _export_rows(user, filters, locale)
    columns = _sheet_columns(locale)  # its headers are the file format's, in either language
    return export_table(locale, file_format, _l("Firms"), lambda: columns, rows, tally)


def _export_rows(user: User, filters: ReservoirFilter, locale: str) -> Iterator[list[Any]]:
    words = _Words(locale)
    latest_year = (
        select(func.max(YearlyFigures.year))
        .where(YearlyFigures.enterprise_id == Enterprise.id)
        .correlate(Enterprise)
        .scalar_subquery()
    )
    figure_columns = [getattr(YearlyFigures, name) for name in FIGURE_KEYS]
    query = (
        reservoir_query(user, filters)
        .with_only_columns(*(getattr(Enterprise, key) for key in FIRM_KEYS), *figure_columns)
        .outerjoin(
            YearlyFigures,
            (YearlyFigures.enterprise_id == Enterprise.id) & (YearlyFigures.year == latest_year),
        )
    )
    # A download cancelled half-way closes the cursor as it leaves the block.
    with db.session.execute(query.execution_options(yield_per=BATCH_SIZE)) as result:
        for batch in result.partitions():
            designations = _designations_of([row.id for row in batch])
            for row in batch:
                yield words.row(row._mapping, designations.get(row.id, []))


FIRM_KEYS = (
    "id",
    "uscc",
    "name",
    "sub_district_id",
    "zone_id",
    "track_id",
    "address",
    "founded_on",
    "registered_capital",
    "tier",
    "in_hundred_enterprises_plan",
    "manager_id",
    "status",
    "notes",
)


def _designations_of(ids: list[int]) -> dict[int, list[Designation]]:
    held: dict[int, list[Designation]] = {}
    query = (
        select(EnterpriseDesignation.enterprise_id, EnterpriseDesignation.designation)
        .where(EnterpriseDesignation.enterprise_id.in_(ids))
        .order_by(EnterpriseDesignation.enterprise_id, EnterpriseDesignation.designation)
    )
    for firm_id, designation in db.session.execute(query):
        held.setdefault(firm_id, []).append(designation)
    return held


class _Words:
    """Every label and name of an export, translated once per value rather than once per cell."""

    def __init__(self, locale: str) -> None:
        self.language = language(locale)
        self.places = {
            key: {row.id: row.name_for(locale) for row in all_of(model)}
            for key, model in (
                ("sub_district_id", SubDistrict),
                ("zone_id", Zone),
                ("track_id", IndustryTrack),
            )
        }
        self.usernames: dict[int, str] = dict(
            db.session.execute(select(User.id, User.username)).all()  # type: ignore[arg-type]
        )
        self.labels = {
            member: label(member) for kind in (Tier, EnterpriseStatus) for member in kind
        }
        # A label holding a separator would split apart on import; the plain value never does.
        self.designations = {
            member: member.value if DESIGNATION_SEPARATORS.search(label(member)) else label(member)
            for member in Designation
        }

    def row(self, firm: Any, designations: list[Designation]) -> list[Any]:
        yes, no = YES_NO[self.language]
        values: dict[str, Any] = {
            "uscc": firm["uscc"],
            "name": firm["name"],
            "sub_district": self.places["sub_district_id"][firm["sub_district_id"]],
            "zone": self.places["zone_id"][firm["zone_id"]],
            "track": self.places["track_id"][firm["track_id"]],
            "address": firm["address"],
            "founded_on": firm["founded_on"],
            "registered_capital": firm["registered_capital"],
            "tier": self.labels[firm["tier"]],
            "designations": DESIGNATION_JOINERS[self.language].join(
                self.designations[designation] for designation in designations
            ),
            "in_hundred_enterprises_plan": yes if firm["in_hundred_enterprises_plan"] else no,
            "manager": self.usernames.get(firm["manager_id"]),
            "status": self.labels[firm["status"]],
            "notes": firm["notes"],
        }
        if firm["year"] is not None:
            values |= {key: firm[key] for key in FIGURE_KEYS}
        return [values.get(column.key) for column in COLUMNS]


def _sheet_columns(locale: str) -> list[SheetColumn]:
    # Only typed text is escaped: a quote before a label or a code would not import back.
    return [
        SheetColumn(
            column.header(locale),
            column.kind if column.kind in SHEET_KINDS else "label",
            column.width,
        )
        for column in COLUMNS
    ]

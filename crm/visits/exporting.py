"""The visit list as a CSV or XLSX file: the list's filters and scope, labels and local times."""

from collections.abc import Iterator
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from crm.export_audit import RowTally
from crm.reference import all_of
from crm.spreadsheets.tables import SheetColumn, batched, export_table, list_joiner, local_time
from crm.visits.labels import label
from crm.visits.queries import VisitFilter, visit_query
from models import SubDistrict, User, Visit


def export_visits(
    user: User, filters: VisitFilter, locale: str, file_format: str, tally: RowTally | None = None
) -> Iterator[bytes]:
    """The visits of the user's list, newest first, one row each."""
    rows = _rows(user, filters, locale)
    return export_table(locale, file_format, _l("Visits"), visit_columns, rows, tally)


def visit_columns() -> list[SheetColumn]:
    return [
        SheetColumn(_("Visited on"), "date", 12),
        SheetColumn(_("Firm"), "text", 36),
        SheetColumn(_("Unified social credit code"), "text", 22),
        SheetColumn(_("Sub-district"), "text", 16),
        SheetColumn(_("Kind"), "label", 10),
        SheetColumn(_("Who went"), "text", 20),
        SheetColumn(_("People met"), "text", 20),
        SheetColumn(_("Summary"), "text", 50),
        SheetColumn(_("Red flags"), "label", 30),
        SheetColumn(_("Next visit on"), "date", 12),
        SheetColumn(_("Logged by"), "text", 12),
        SheetColumn(_("Logged at"), "datetime", 16),
    ]


def _rows(user: User, filters: VisitFilter, locale: str) -> Iterator[list[Any]]:
    joiner = list_joiner(locale)
    sub_districts = {row.id: row.name_for(locale) for row in all_of(SubDistrict)}
    query = visit_query(user, filters).options(
        selectinload(Visit.enterprise),
        selectinload(Visit.participants),
        selectinload(Visit.red_flags),
        selectinload(Visit.created_by),
    )
    for visit in batched(query):
        yield [
            visit.visited_on,
            visit.enterprise.name,
            visit.enterprise.uscc,
            sub_districts.get(visit.enterprise.sub_district_id),
            label(visit.kind),
            joiner.join(person.display_name for person in visit.participants),
            visit.people_met,
            visit.summary,
            joiner.join(label(flag.flag) for flag in visit.red_flags),
            visit.next_visit_on,
            visit.created_by.display_name,
            local_time(visit.created_at),
        ]

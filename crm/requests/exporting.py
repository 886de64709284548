"""The request list as a CSV or XLSX file: the inbox's filters, scope and order, in labels."""

from collections.abc import Iterator
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import case

from crm.export_audit import RowTally
from crm.requests.labels import label
from crm.requests.queries import RequestFilter, request_query
from crm.requests.workflow import PENDING_STATES
from crm.spreadsheets.tables import SheetColumn, batched, export_table, local_time
from models import EnterpriseRequest, User


def export_requests(
    user: User,
    filters: RequestFilter,
    today: date,
    locale: str,
    file_format: str,
    tally: RowTally | None = None,
) -> Iterator[bytes]:
    """The requests of the user's list: work still owed first, soonest due first, as listed."""
    rows = _rows(user, filters, today, locale)
    return export_table(locale, file_format, _l("Requests"), request_columns, rows, tally)


def request_columns() -> list[SheetColumn]:
    return [
        SheetColumn(_("Request no."), "count", 8),
        SheetColumn(_("Firm"), "text", 36),
        SheetColumn(_("Unified social credit code"), "text", 22),
        SheetColumn(_("Category"), "label", 14),
        SheetColumn(_("Request"), "text", 50),
        SheetColumn(_("Urgency"), "label", 8),
        SheetColumn(_("Department"), "text", 20),
        SheetColumn(_("State"), "label", 12),
        SheetColumn(_("Raised on"), "date", 12),
        SheetColumn(_("Due on"), "date", 12),
        SheetColumn(_("Overdue"), "label", 8),
        SheetColumn(_("Raised by"), "text", 12),
        SheetColumn(_("Answer"), "text", 40),
        SheetColumn(_("Closed at"), "datetime", 16),
    ]


def _rows(user: User, filters: RequestFilter, today: date, locale: str) -> Iterator[list[Any]]:
    yes, no = _("Yes"), _("No")
    is_pending = EnterpriseRequest.state.in_(PENDING_STATES)
    query = request_query(user, filters, today).order_by(
        case((is_pending, 0), else_=1), EnterpriseRequest.due_on, EnterpriseRequest.id
    )
    for item in batched(query):
        is_overdue = item.state in PENDING_STATES and item.due_on < today
        yield [
            item.id,
            item.enterprise.name,
            item.enterprise.uscc,
            label(item.category),
            item.description,
            label(item.urgency),
            item.department.name_for(locale),
            label(item.state),
            item.raised_on,
            item.due_on,
            yes if is_overdue else no,
            item.created_by.display_name,
            item.answer,
            local_time(item.closed_at),
        ]

"""What the office can send a bank about a nominated firm: the fixed registry of field keys, and
the snapshot of one firm's values, taken when it is nominated so an export shows what was sent."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from crm.labels import label
from models import Contact, Enterprise, EnterpriseDesignation, YearlyFigures, db


@dataclass(frozen=True)
class FieldSpec:
    title: Any  # lazy translated: the default header, and the name in the format editor
    kind: str  # a crm.spreadsheets column kind: text, label, money, count, date


FIELDS: dict[str, FieldSpec] = {
    "uscc": FieldSpec(_l("Unified social credit code"), "text"),
    "name": FieldSpec(_l("Firm"), "text"),
    "zone": FieldSpec(_l("Zone"), "label"),
    "sub_district": FieldSpec(_l("Sub-district"), "label"),
    "track": FieldSpec(_l("Track"), "label"),
    "address": FieldSpec(_l("Address"), "text"),
    "registered_capital": FieldSpec(_l("Registered capital (10,000 yuan)"), "money"),
    "founded_on": FieldSpec(_l("Founded on"), "date"),
    "figures_year": FieldSpec(_l("Figures year"), "count"),
    "revenue": FieldSpec(_l("Revenue last year (10,000 yuan)"), "money"),
    "rd_spend": FieldSpec(_l("R&D spend (10,000 yuan)"), "money"),
    "employees": FieldSpec(_l("Employees"), "count"),
    "tax_paid": FieldSpec(_l("Tax paid (10,000 yuan)"), "money"),
    "patents": FieldSpec(_l("Patents"), "count"),
    "designations": FieldSpec(_l("Designations"), "label"),
    "quota_asked": FieldSpec(_l("Quota asked (10,000 yuan)"), "money"),
    "contact_name": FieldSpec(_l("Contact person"), "text"),
    "contact_phone": FieldSpec(_l("Contact phone"), "text"),
}
# A new bank starts with these columns, the ones every partner bank has asked for.
DEFAULT_COLUMNS = ("uscc", "name", "zone", "track", "revenue", "employees", "quota_asked")
YEARLY_FIELDS = ("revenue", "rd_spend", "employees", "tax_paid", "patents")


def default_columns() -> list[list[str]]:
    return [[key, str(FIELDS[key].title)] for key in DEFAULT_COLUMNS]


def snapshot_of(enterprise: Enterprise, quota_asked: Decimal, locale: str) -> dict[str, Any]:
    """The firm's values of every registry field today, as JSON (amounts as strings)."""
    figures = db.session.scalar(
        select(YearlyFigures)
        .where(YearlyFigures.enterprise_id == enterprise.id)
        .order_by(YearlyFigures.year.desc())
        .limit(1)
    )
    contact = db.session.scalar(
        select(Contact).where(Contact.enterprise_id == enterprise.id).order_by(Contact.id).limit(1)
    )
    designations = db.session.scalars(
        select(EnterpriseDesignation.designation)
        .where(EnterpriseDesignation.enterprise_id == enterprise.id)
        .order_by(EnterpriseDesignation.designation)
    )
    values: dict[str, Any] = {
        "uscc": enterprise.uscc,
        "name": enterprise.name,
        "zone": enterprise.zone.name_for(locale),
        "sub_district": enterprise.sub_district.name_for(locale),
        "track": enterprise.track.name_for(locale),
        "address": enterprise.address,
        "registered_capital": enterprise.registered_capital,
        "founded_on": enterprise.founded_on,
        "figures_year": figures.year if figures else None,
        "designations": "、".join(label(value) for value in designations) or None,
        "quota_asked": quota_asked,
        "contact_name": contact.name if contact else None,
        "contact_phone": contact.phone if contact else None,
    }
    for key in YEARLY_FIELDS:
        values[key] = getattr(figures, key) if figures else None
    return {key: _json_value(value) for key, value in values.items()}


def cell_value(kind: str, stored: Any) -> Any:
    """A snapshot's JSON value back as the typed value its spreadsheet column expects."""
    if stored is None:
        return None
    if kind == "money":
        return Decimal(str(stored))
    if kind == "date":
        return date.fromisoformat(str(stored))
    return stored


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value

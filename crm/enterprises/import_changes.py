"""What an import would change in a firm already in the reservoir, field by field, in words."""

from collections.abc import Iterator
from dataclasses import fields
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _

from crm.enterprises.file_format import COLUMN_BY_KEY, DESIGNATION_JOINERS, language
from crm.enterprises.import_report import FieldChange, FirmChange
from crm.enterprises.services import EnterpriseInput, Lookups
from crm.labels import label
from crm.spreadsheets.tables import SheetColumn
from models import Designation, EnterpriseStatus, Tier
from models.reference import ReferenceMixin

ENUMS = {"tier": Tier, "status": EnterpriseStatus}
NOTHING = "—"


def firm_change(
    line: int, before: EnterpriseInput, after: EnterpriseInput, lookups: Lookups, locale: str
) -> FirmChange | None:
    """The fields that differ, before → after; None when the import leaves the firm as it is."""
    changed = [
        FieldChange(
            COLUMN_BY_KEY[name].header(locale),
            _shown(name, getattr(before, name), lookups, locale),
            _shown(name, getattr(after, name), lookups, locale),
        )
        for name in (f.name for f in fields(EnterpriseInput))
        if getattr(before, name) != getattr(after, name) and name in COLUMN_BY_KEY
    ]
    if not changed:
        return None
    new_name = after.name if after.name != before.name else None
    return FirmChange(line, before.uscc, before.name, new_name, changed)


def _shown(name: str, value: Any, lookups: Lookups, locale: str) -> str:
    if value is None or value == "" or value == []:
        return NOTHING
    references: dict[str, dict[str, Any]] = {
        "sub_district": lookups.sub_districts,
        "zone": lookups.zones,
        "track": lookups.tracks,
    }
    if name in references:
        row: ReferenceMixin | None = references[name].get(value)
        return row.name_for(locale) if row is not None else str(value)
    if name in ENUMS:
        return label(ENUMS[name](value))
    if name == "designations":
        return DESIGNATION_JOINERS[language(locale)].join(label(Designation(v)) for v in value)
    if name == "manager":
        user = lookups.users.get(value)
        return f"{user.display_name} ({value})" if user is not None else str(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def change_table(changes: list[FirmChange]) -> tuple[list[SheetColumn], Iterator[list[Any]]]:
    """Every change of an import, a row per field, for the download beside the preview."""
    columns = [
        SheetColumn(_("Line"), "count", 6),
        SheetColumn(_("Credit code"), "text", 22),
        SheetColumn(_("Firm"), "text", 30),
        SheetColumn(_("New name"), "text", 30),
        SheetColumn(_("Column"), "label", 18),
        SheetColumn(_("Before"), "text", 30),
        SheetColumn(_("After"), "text", 30),
    ]
    rows = (
        [
            change.line,
            change.uscc,
            change.name,
            change.new_name,
            item.column,
            item.before,
            item.after,
        ]
        for change in changes
        for item in change.fields
    )
    return columns, rows

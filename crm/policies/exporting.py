"""The package list as a CSV or XLSX file: the list's filter and scope, labels and local times."""

from collections.abc import Iterator, Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from crm.export_audit import RowTally
from crm.policies.labels import label
from crm.policies.queries import package_query
from crm.spreadsheets.tables import SheetColumn, batched, export_table, list_joiner, local_time
from models import PackageItem, PackageState, PolicyPackage, User


def package_state(args: Mapping[str, str]) -> str | None:
    """The list's state filter from the query string; anything else is no filter."""
    state = (args.get("state") or "").strip()
    return state if state in set(PackageState) else None


def export_packages(
    user: User, state: str | None, locale: str, file_format: str, tally: RowTally | None = None
) -> Iterator[bytes]:
    """The packages of the user's list, newest first, one row each; `state` filters them."""
    rows = _rows(user, state, locale)
    return export_table(locale, file_format, _l("Packages"), package_columns, rows, tally)


def package_columns() -> list[SheetColumn]:
    return [
        SheetColumn(_("Package no."), "count", 8),
        SheetColumn(_("Package title"), "text", 36),
        SheetColumn(_("Firm"), "text", 36),
        SheetColumn(_("Unified social credit code"), "text", 22),
        SheetColumn(_("State"), "label", 12),
        SheetColumn(_("Items"), "count", 8),
        SheetColumn(_("Policy instruments"), "text", 40),
        SheetColumn(_("Proposed by"), "text", 12),
        SheetColumn(_("Proposed at"), "datetime", 16),
        SheetColumn(_("Decided by"), "text", 12),
        SheetColumn(_("Decided at"), "datetime", 16),
        SheetColumn(_("Decision comment"), "text", 40),
    ]


def _rows(user: User, state: str | None, locale: str) -> Iterator[list[Any]]:
    joiner = list_joiner(locale)
    query = package_query(user, state=state).options(
        selectinload(PolicyPackage.enterprise),
        selectinload(PolicyPackage.proposed_by),
        selectinload(PolicyPackage.decided_by),
        selectinload(PolicyPackage.items).selectinload(PackageItem.instrument),
    )
    for package in batched(query):
        instruments = dict.fromkeys(item.instrument.name_for(locale) for item in package.items)
        yield [
            package.id,
            package.title,
            package.enterprise.name,
            package.enterprise.uscc,
            label(package.state),
            len(package.items),
            joiner.join(instruments),
            package.proposed_by.display_name,
            local_time(package.proposed_at),
            package.decided_by.display_name if package.decided_by else None,
            local_time(package.decided_at),
            package.decision_comment,
        ]

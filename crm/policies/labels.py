"""Translated display names of the package, item and unit enums."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from crm.labels import choices, label, register
from models import InstrumentUnit, ItemState, PackageState

LABELS: dict[StrEnum, object] = register(
    {
        PackageState.PROPOSED: _l("Awaiting decision"),
        PackageState.APPROVED: _l("Approved"),
        PackageState.REJECTED: _l("Rejected"),
    },
    {
        ItemState.PLANNED: _l("Planned"),
        ItemState.GRANTED: _l("Granted"),
        ItemState.DISBURSED: _l("Disbursed"),
        ItemState.REVIEWED: _l("Reviewed"),
    },
    {
        InstrumentUnit.YUAN: _l("yuan"),
        InstrumentUnit.COUNT: _l("count"),
    },
)
BADGES = {
    PackageState.PROPOSED: "text-bg-warning",
    PackageState.APPROVED: "text-bg-success",
    PackageState.REJECTED: "text-bg-secondary",
}

__all__ = ["LABELS", "choices", "label"]

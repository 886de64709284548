"""Translated display names of the model enums (the enums themselves stay language-free)."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from models import Designation, EnterpriseStatus, Role, Tier

LABELS: dict[StrEnum, object] = {
    Tier.RESERVOIR: _l("Reservoir"),
    Tier.TECH_BASED: _l("Tech-based"),
    Tier.NEW_TRACK: _l("High-quality new-track"),
    Tier.CANDIDATE: _l("Unicorn / hidden-champion candidate"),
    Tier.ACHIEVED: _l("Achieved"),
    Designation.HIGH_TECH: _l("High-tech enterprise"),
    Designation.TECH_SME: _l("Tech-based SME"),
    Designation.SRDI_SME: _l("SRDI specialised SME"),
    Designation.LITTLE_GIANT: _l("SRDI “little giant”"),
    Designation.GAZELLE: _l("Gazelle"),
    Designation.UNICORN: _l("Unicorn"),
    Designation.HIDDEN_CHAMPION: _l("Hidden champion"),
    Designation.SINGLE_ITEM_CHAMPION: _l("Single-item champion"),
    Designation.CHAIN_LEADER: _l("Chain leader"),
    Designation.LISTED: _l("Listed"),
    Designation.INCUBATED: _l("Incubated"),
    EnterpriseStatus.ACTIVE: _l("Operating"),
    EnterpriseStatus.MOVED_OUT: _l("Moved out"),
    EnterpriseStatus.CLOSED: _l("Closed"),
    Role.ADMIN: _l("Administrator"),
    Role.LEADER: _l("District leader"),
    Role.MANAGER: _l("Account manager"),
    Role.DEPARTMENT: _l("Department staff"),
}


def register(labels: dict[StrEnum, object]) -> dict[StrEnum, object]:
    """Add a domain's enum labels, so `label()` and `choices()` serve every enum."""
    LABELS.update(labels)
    return labels


def label(value: StrEnum) -> str:
    return str(LABELS.get(value, value.value))


def choices(kind: type[StrEnum]) -> list[tuple[str, str]]:
    """(value, label) pairs for a select field, in the enum's declared order."""
    return [(member.value, label(member)) for member in kind]

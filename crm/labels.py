"""Translated display names of the model enums (the enums themselves stay language-free).

Labels are keyed by enum type and value, never by the bare value: a StrEnum member equals and
hashes like its string, so in one plain dict RequestState.CLOSED and ReminderState.CLOSED are the
same key, and a closed request once showed the reminders' "Closed: cause gone".
"""

from collections.abc import Mapping
from enum import StrEnum

from flask_babel import lazy_gettext as _l

from models import (
    Designation,
    EnterpriseStatus,
    ImportJobState,
    JobRunState,
    Role,
    TargetMeasure,
    Tier,
)

# Enum type -> value -> label: the one registry that `label()` reads.
_BY_KIND: dict[type[StrEnum], dict[str, object]] = {}


def register(*groups: Mapping[StrEnum, object]) -> dict[StrEnum, object]:
    """Add a domain's enum labels, so `label()` and `choices()` serve every enum.

    Pass one mapping per enum: two enums in one dict literal lose a label when they share a
    value (the dict keeps one key); tests/test_labels.py fails on any enum left without labels.
    The returned dict serves the domain's own enums (for a form's field labels, say).
    """
    mine: dict[StrEnum, object] = {}
    for labels in groups:
        for member, text in labels.items():
            if (clash := next((m for m in mine if m == member), None)) is not None:
                raise ValueError(f"{member!r} and {clash!r} share a value: register them apart")
            mine[member] = text
            _BY_KIND.setdefault(type(member), {})[member.value] = text
    return mine


def labels_of(kind: type[StrEnum]) -> dict[str, object]:
    """The registered labels of one enum, by value."""
    return _BY_KIND.get(kind, {})


def label(value: StrEnum | str) -> str:
    if not isinstance(value, StrEnum):  # a plain string has no type to look up: show it as is
        return str(value)
    text = labels_of(type(value)).get(value.value)
    return value.value if text is None else str(text)


def label_of(kind: type[StrEnum], value: object) -> str:
    """The label of a stored value (an audit entry keeps "closed", not RequestState.CLOSED)."""
    text = labels_of(kind).get(str(value))
    return str(value) if text is None else str(text)


def choices(kind: type[StrEnum]) -> list[tuple[str, str]]:
    """(value, label) pairs for a select field, in the enum's declared order."""
    return [(member.value, label(member)) for member in kind]


# Registered one by one: JobRunState and ImportJobState both have FAILED = "failed".
MODEL_ENUM_LABELS: tuple[Mapping[StrEnum, object], ...] = (
    {
        Tier.RESERVOIR: _l("Reservoir"),
        Tier.TECH_BASED: _l("Tech-based"),
        Tier.NEW_TRACK: _l("High-quality new-track"),
        Tier.CANDIDATE: _l("Unicorn / hidden-champion candidate"),
        Tier.ACHIEVED: _l("Achieved"),
    },
    {
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
    },
    {
        EnterpriseStatus.ACTIVE: _l("Operating"),
        EnterpriseStatus.MOVED_OUT: _l("Moved out"),
        EnterpriseStatus.CLOSED: _l("Closed"),
    },
    {
        Role.ADMIN: _l("Administrator"),
        Role.LEADER: _l("District leader"),
        Role.MANAGER: _l("Account manager"),
        Role.DEPARTMENT: _l("Department staff"),
    },
    {
        JobRunState.RUNNING: _l("Running"),
        JobRunState.SUCCEEDED: _l("Succeeded"),
        JobRunState.FAILED: _l("Failed"),
        JobRunState.INTERRUPTED: _l("Interrupted"),
    },
    {
        TargetMeasure.FIRMS: _l("Firms (by tier and designations)"),
        TargetMeasure.FIGURE_SUM: _l("A yearly figure, summed"),
    },
    {
        ImportJobState.QUEUED: _l("Waiting to run"),
        ImportJobState.CHECKING: _l("Checking"),
        ImportJobState.CHECKED: _l("Checked, awaiting confirmation"),
        ImportJobState.APPLYING: _l("Importing"),
        ImportJobState.DONE: _l("Imported"),
        ImportJobState.FAILED: _l("Import failed"),
    },
)
for group in MODEL_ENUM_LABELS:
    register(group)

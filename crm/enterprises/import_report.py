"""What an import found, as the preview shows it and as an import job stores it (JSON)."""

from dataclasses import asdict, dataclass, field
from typing import Any

CONVERSIONS_SHOWN = 20  # the preview lists these; the count says how many more there were
CHANGES_SHOWN = 50  # firms whose changes the preview lists; the job's report keeps them all


@dataclass(frozen=True)
class RowError:
    line: int
    column: str  # the header as the file spells it
    message: str


@dataclass(frozen=True)
class SampleRow:
    line: int
    uscc: str
    name: str | None
    year: int | None
    is_new: bool


@dataclass(frozen=True)
class FieldChange:
    column: str  # the column's header in the report's language
    before: str  # shown as the firm's page shows it: labels, not codes
    after: str


@dataclass(frozen=True)
class FirmChange:
    line: int
    uscc: str
    name: str  # as stored now
    new_name: str | None  # set when the file renames the firm: the preview asks to confirm it
    fields: list[FieldChange]


@dataclass
class ImportReport:
    rows: int = 0
    firms_to_create: int = 0
    firms_to_update: int = 0
    firms_unchanged: int = 0
    figure_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    sample: list[SampleRow] = field(default_factory=list)
    applied: bool = False
    header_line: int = 1
    ignored_columns: list[str] = field(default_factory=list)  # 序号 and the like: nothing to read
    unknown_columns: list[str] = field(default_factory=list)  # not read either, with a warning
    skipped_rows: list[RowError] = field(default_factory=list)  # titles, totals, notes
    conversions: list[RowError] = field(default_factory=list)  # the first CONVERSIONS_SHOWN
    conversion_count: int = 0
    changes: list[FirmChange] = field(default_factory=list)  # renames first, then by line
    rename_count: int = 0
    rechecked: bool = False  # checked again on confirm: a firm of the file changed meanwhile

    @property
    def is_acceptable(self) -> bool:
        return not self.errors

    @property
    def shown_changes(self) -> list[FirmChange]:
        return self.changes[:CHANGES_SHOWN]

    def note_change(self, change: FirmChange) -> None:
        self.changes.append(change)
        if change.new_name is not None:
            self.rename_count += 1

    def note_conversion(self, line: int, column: str, note: str) -> None:
        self.conversion_count += 1
        if len(self.conversions) < CONVERSIONS_SHOWN:
            self.conversions.append(RowError(line, column, note))

    def finish(self) -> None:
        """Order what the preview lists: errors by line (stable: columns stay in file order)."""
        self.errors.sort(key=lambda error: error.line)
        self.changes.sort(key=lambda change: (change.new_name is None, change.line))


def report_to_json(report: ImportReport) -> dict[str, Any]:
    return asdict(report)


def report_from_json(data: dict[str, Any]) -> ImportReport:
    lines = ("errors", "skipped_rows", "conversions")
    values = dict(data) | {key: [RowError(**item) for item in data.get(key, [])] for key in lines}
    values["sample"] = [SampleRow(**item) for item in data.get("sample", [])]
    values["changes"] = [
        FirmChange(**(item | {"fields": [FieldChange(**f) for f in item["fields"]]}))
        for item in data.get("changes", [])
    ]
    return ImportReport(**values)

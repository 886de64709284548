"""Reading an import's rows: the header, each row's cells as values, the rows of each firm.

Nothing here touches the reservoir: crm/enterprises/importing.py looks the firms up and saves them.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from crm.enterprises import figures
from crm.enterprises.file_format import (
    COLUMN_BY_KEY,
    FIGURE_KEYS,
    HEADER_KEYS,
    IGNORED_HEADER_WORDS,
    CellError,
    CellReader,
    word,
)
from crm.enterprises.import_report import ImportReport, RowError
from crm.enterprises.sheets import Sheet
from crm.enterprises.uscc import normalise_uscc
from crm.text_checks import without_unsafe_characters
from models import Enterprise, User

PROGRESS_EVERY_ROWS = 100  # how often reading the file reports its progress


@dataclass
class PlannedFirm:
    """A checked firm as the plan keeps it: what to write, and the version it was checked at."""

    uscc: str
    lines: list[int]
    values: dict[str, Any]  # the firm columns present in the file
    # year: (its line, the figure columns present in the file)
    figures: dict[int, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    existing_id: int | None = None
    existing_version: int | None = None


@dataclass
class ImportedFirm:
    """A firm as the file gives it, with the firm it updates once looked up."""

    uscc: str
    lines: list[int]
    values: dict[str, Any]  # the firm columns present in the file
    # year: (its line, the figure columns present in the file)
    figures: dict[int, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    is_valid: bool = True
    existing: Enterprise | None = None
    existing_version: int | None = None  # read before the trial save moves it

    def planned(self) -> PlannedFirm:
        existing_id = self.existing.id if self.existing is not None else None
        return PlannedFirm(
            self.uscc, self.lines, self.values, self.figures, existing_id, self.existing_version
        )


class RowChecker:
    """Reads a sheet into firms, noting on the report what it refused, passed over or converted."""

    def __init__(self, report: ImportReport, now: datetime, locale: str, actor: User) -> None:
        self.report, self.now, self.locale = report, now, locale
        # The importer's scope decides whether a manager's name is unambiguous.
        self.reader = CellReader(actor)
        self.keys: dict[int, str] = {}  # position in the row: column key
        self.titles: dict[str, str] = {}  # column key: header as the file spells it
        self.parsed: list[tuple[int, str, str | None, int | None]] = []  # line, code, name, year

    def fail(self, line: int, key: str, message: str) -> None:
        self.report.errors.append(RowError(line, self.title(key), message))

    def title(self, key: str) -> str:
        column = COLUMN_BY_KEY.get(key)
        return self.titles.get(key) or (column.header(self.locale) if column else key)

    def read(self, sheet: Sheet, progress: Callable[[int], None] | None) -> dict[str, ImportedFirm]:
        report = self.report
        report.rows, report.header_line = len(sheet.rows), sheet.header_line
        report.skipped_rows = [RowError(row.line, "", row.reason) for row in sheet.skipped]
        self._read_headers(sheet)
        if "uscc" not in self.titles:
            self.fail(sheet.header_line, "uscc", _("This column is required."))
            return {}
        firms: dict[str, ImportedFirm] = {}
        for done, (line, cells) in enumerate(sheet.rows, start=1):
            self._check_row(firms, line, cells)
            if progress is not None and done % PROGRESS_EVERY_ROWS == 0:
                progress(PROGRESS_EVERY_ROWS)
        if progress is not None:
            progress(len(sheet.rows) % PROGRESS_EVERY_ROWS)
        return firms

    def _read_headers(self, sheet: Sheet) -> None:
        for position, header in enumerate(sheet.headers):
            if header is None or not str(header).strip():
                continue
            title = without_unsafe_characters(str(header)).strip()  # shown on the report
            key = HEADER_KEYS.get(word(header))
            if key is None and word(header) in IGNORED_HEADER_WORDS:
                self.report.ignored_columns.append(title)
            elif key is None:
                self.report.unknown_columns.append(title)
            elif key in self.titles:
                self.report.errors.append(
                    RowError(sheet.header_line, title, _("This column appears twice."))
                )
            else:
                self.keys[position], self.titles[key] = key, title
        if "year" not in self.titles and any(key in FIGURE_KEYS for key in self.titles):
            self.fail(sheet.header_line, "year", _("Figures need a column with their year."))

    def _check_row(
        self, firms: dict[str, ImportedFirm], line: int, cells: Sequence[object]
    ) -> None:
        values, failed = self._read_cells(line, cells)
        uscc = normalise_uscc(values.pop("uscc", None) or "")
        year, amounts = self._figures(line, values, failed)
        if not uscc:
            self.fail(line, "uscc", _("Enter the firm's unified social credit code."))
            return
        self.parsed.append((line, uscc, values.get("name"), year))
        firm = firms.get(uscc)
        if firm is None:
            firm = firms[uscc] = ImportedFirm(uscc, [line], values)
        else:
            firm.lines.append(line)
            self._compare(firm, line, values)
        firm.is_valid = firm.is_valid and not failed.difference(FIGURE_KEYS)
        if year is None or amounts is None:
            return
        if year in firm.figures:
            earlier = firm.figures[year][0]
            self.fail(line, "year", _("Line %(line)d has this year already.", line=earlier))
        else:
            firm.figures[year] = (line, amounts)

    def _read_cells(self, line: int, cells: Sequence[object]) -> tuple[dict[str, Any], set[str]]:
        values: dict[str, Any] = {}
        failed: set[str] = set()
        for position, key in self.keys.items():
            cell = cells[position] if position < len(cells) else None  # rows may end early
            try:
                values[key], note = self.reader.read_noted(key, cell)
            except CellError as error:
                self.fail(line, key, str(error))
                failed.add(key)
            else:
                if note is not None:
                    self.report.note_conversion(line, self.title(key), note)
        return values, failed

    def _figures(
        self, line: int, values: dict[str, Any], failed: set[str]
    ) -> tuple[int | None, dict[str, Any] | None]:
        """The row's year and figures (taken out of `values`); figures are None when bad."""
        year = values.pop("year", None)
        amounts = {name: values.pop(name) for name in figures.FIGURE_FIELDS if name in values}
        if year is None:
            given = any(value is not None for value in amounts.values())
            if given and "year" in self.titles and "year" not in failed:
                self.fail(line, "year", _("Enter the year of these figures."))
            return None, None
        problems = figures.figures_problems(figures.FiguresInput(year, **amounts), self.now.year)
        for name, messages in problems.items():
            self.fail(line, name, " ".join(messages))
        return year, (None if problems or failed.intersection(FIGURE_KEYS) else amounts)

    def _compare(self, firm: ImportedFirm, line: int, values: dict[str, Any]) -> None:
        for key, value in values.items():
            if key in firm.values and firm.values[key] != value:
                message = _("Differs from line %(line)d of the same firm.", line=firm.lines[0])
                self.fail(line, key, message)
                firm.is_valid = False

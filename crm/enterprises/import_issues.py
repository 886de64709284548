"""Bad credit codes that stopped an import, kept for the data-quality page until a retry passes.

The importer writes nothing when any row is bad, so its callers record these after rolling the
import back, in a transaction of their own: firm data stays untouched either way.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from crm.audit import record_change
from crm.enterprises.file_format import HEADER_KEYS, CellError, CellReader, word
from crm.enterprises.importing import RowError
from crm.enterprises.sheets import Sheet
from crm.enterprises.uscc import normalise_uscc, uscc_problem
from crm.text_checks import without_unsafe_characters
from models import ImportIssue, ImportIssueKind, User, db

# Lengths of the import_issues columns: a cell of any length must still fit.
USCC_MAX_LENGTH = 40
NAME_MAX_LENGTH = 200


@dataclass(frozen=True)
class FoundIssue:
    kind: ImportIssueKind
    uscc: str
    line: int  # the first line of the file holding the code
    firm_name: str | None


@dataclass(frozen=True)
class _CodedRow:
    line: int
    uscc: str
    firm_name: str | None


def issue_file_name(file_name: str) -> str:
    """The name as the user knows the file: browsers on Windows may send a whole path."""
    name = without_unsafe_characters(file_name)  # a NUL cannot be stored in PostgreSQL
    return name.replace("\\", "/").rsplit("/", 1)[-1][:NAME_MAX_LENGTH]


def found_issues(sheet: Sheet, errors: Sequence[RowError]) -> list[FoundIssue]:
    """The codes that are invalid, and those whose rows the importer found in conflict."""
    lines_by_code: dict[str, list[_CodedRow]] = {}
    for row in _coded_rows(sheet):
        lines_by_code.setdefault(row.uscc, []).append(row)
    messages_by_line: dict[int, set[str]] = {}
    for error in errors:
        messages_by_line.setdefault(error.line, set()).add(error.message)
    found: list[FoundIssue] = []
    for code, rows in lines_by_code.items():
        first = rows[0]
        if uscc_problem(code) is not None:
            found.append(_issue(ImportIssueKind.INVALID_USCC, first))
        if _rows_conflict(rows, messages_by_line):
            found.append(_issue(ImportIssueKind.DUPLICATE_USCC, first))
    return found


def record_import_issues(
    actor: User | None, file_name: str, found: Sequence[FoundIssue], now: datetime
) -> list[ImportIssue]:
    """One open issue per kind and code of the file; a repeat refreshes (and reopens) it."""
    name = issue_file_name(file_name)
    issues: list[ImportIssue] = []
    for item in found:
        issue = db.session.scalar(
            select(ImportIssue).where(
                ImportIssue.kind == item.kind,
                ImportIssue.uscc == item.uscc,
                ImportIssue.file_name == name,
            )
        )
        if issue is None:
            issue = ImportIssue(kind=item.kind, uscc=item.uscc, file_name=name)
            db.session.add(issue)
        issue.firm_name, issue.line, issue.found_at = item.firm_name, item.line, now
        issue.found_by, issue.resolved_at = actor, None
        issues.append(issue)
    db.session.flush()
    return issues


def resolve_import_issues(file_name: str, now: datetime) -> int:
    """Close the open issues of a file that has now been imported; return how many."""
    issues = db.session.scalars(
        select(ImportIssue).where(
            ImportIssue.file_name == issue_file_name(file_name),
            ImportIssue.resolved_at.is_(None),
        )
    ).all()
    for issue in issues:
        issue.resolved_at = now
    db.session.flush()
    return len(issues)


def _issue(kind: ImportIssueKind, row: _CodedRow) -> FoundIssue:
    return FoundIssue(kind, row.uscc[:USCC_MAX_LENGTH], row.line, row.firm_name)


def _coded_rows(sheet: Sheet) -> list[_CodedRow]:
    """Each row's code and name, read as the importer reads them (first column of each kind)."""
    positions: dict[str, int] = {}
    for position, header in enumerate(sheet.headers):
        key = HEADER_KEYS.get(word(header)) if header is not None else None
        if key in {"uscc", "name"}:
            positions.setdefault(key, position)
    if "uscc" not in positions:
        return []
    reader = CellReader()
    rows = []
    for line, cells in sheet.rows:
        uscc = normalise_uscc(_cell_text(reader, "uscc", cells, positions["uscc"]) or "")
        if uscc:
            name = _cell_text(reader, "name", cells, positions.get("name"))
            rows.append(_CodedRow(line, uscc, name[:NAME_MAX_LENGTH] if name else None))
    return rows


def _cell_text(
    reader: CellReader, key: str, cells: Sequence[object], position: int | None
) -> str | None:
    if position is None or position >= len(cells):  # rows may end early
        return None
    try:
        value = reader.read(key, cells[position])
    except CellError:  # too long, or a control character: still worth showing, cut to fit
        value = without_unsafe_characters(str(cells[position])).strip()
    return str(value) if value is not None else None


def _rows_conflict(rows: Sequence[_CodedRow], messages_by_line: dict[int, set[str]]) -> bool:
    """Whether the importer rejected a later row of the code for disagreeing with an earlier
    one: it says so on the later line, naming the earlier (in the same language as here)."""
    for index, row in enumerate(rows[1:], start=1):
        reported = messages_by_line.get(row.line, set())
        for earlier in rows[:index]:
            if reported & _conflict_messages(earlier.line):
                return True
    return False


def _conflict_messages(line: int) -> set[str]:
    # The importer's own messages (crm/enterprises/import_rows.py): change both together.
    return {
        _("Differs from line %(line)d of the same firm.", line=line),
        _("Line %(line)d has this year already.", line=line),
    }


def dismiss_import_issue(actor: User, issue: ImportIssue, now: datetime) -> None:
    """An admin closes an issue by hand: the corrected file came under another name, say."""
    if issue.resolved_at is None:
        issue.resolved_at = now
        record_change(actor, "dismiss", "import_issue", issue.id, {"uscc": [issue.uscc, None]})

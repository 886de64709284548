"""Bulk intake of a competition's or an investor's list (CSV or XLSX), by the reservoir's rules.

The file is read by the reservoir's reader (crm/enterprises/sheets.py: size limits, header row
found among titles, totals and notes set aside). Every row is checked and every problem reported
with its line and column; when any row has an error nothing is written. The source (and event)
is chosen once for the whole file. Duplicates are warnings, row by row: a code already in the
reservoir is not taken in again (with an event chosen, the firm is recorded as a participant),
a code already held by a live candidate is skipped, and a name that matches is taken in and
flagged on the candidate's page. Duplicates are sought across the whole reservoir; a warning names
only the firms and candidates the importer may read.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from crm.audit import record_change
from crm.discovery import scope
from crm.discovery.candidate_input import CandidateInput, References, apply_input
from crm.discovery.names import Match, duplicates_of_many, readable_matches
from crm.discovery.services import propose_candidate
from crm.enterprises.cells import word
from crm.enterprises.sheets import Sheet, read_sheet
from crm.enterprises.uscc import normalise_uscc
from crm.errors import ForbiddenError, InvalidInputError
from crm.reference import all_of
from models import (
    DiscoveryCandidate,
    DiscoveryEvent,
    EventParticipant,
    IndustryTrack,
    SubDistrict,
    User,
    Zone,
    db,
)

# key, Chinese header, English header: the file format, recognised whatever the user's language.
COLUMNS = (
    ("name", "企业名称", "Name"),
    ("uscc", "统一社会信用代码", "Unified social credit code"),
    ("track", "产业赛道", "Industry track"),
    ("zone", "功能区", "Functional zone"),
    ("sub_district", "所属街道", "Sub-district"),
    ("profile", "企业简介", "Profile"),
    ("award", "奖项", "Award"),
    ("rank", "名次", "Rank"),
)
REQUIRED = ("name", "track")
HEADER_KEYS = {word(text): key for key, *headers in COLUMNS for text in (key, *headers)}
IGNORED = {word(text) for text in ("序号", "编号", "No.", "No", "#")}
MAX_RANK = 100_000
MAX_RANK_DIGITS = len(str(MAX_RANK))
# Chinese competition lists often rank with circled numbers: ① to ⑳ are 1 to 20.
CIRCLED = {chr(0x2460 + number - 1): number for number in range(1, 21)}
FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


@dataclass(frozen=True)
class RowProblem:
    line: int
    column: str  # the header as the file spells it, or "" for the whole row
    message: str


@dataclass
class IntakeReport:
    rows: int = 0
    taken_in: int = 0
    participants: int = 0  # reservoir firms recorded as taking part in the event
    skipped: int = 0
    errors: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    applied: bool = False


@dataclass
class IntakeSource:
    source_kind: str
    source_name: str | None = None
    event_id: int | None = None


@dataclass
class _Row:
    line: int
    data: CandidateInput
    rank: int | None
    code: str | None


def header(key: str, locale: str) -> str:
    found = next(column for column in COLUMNS if column[0] == key)
    return found[1] if locale.startswith("zh") else found[2]


def intake_file(
    actor: User,
    file_name: str,
    content: bytes,
    source: IntakeSource,
    now: datetime,
    *,
    dry_run: bool,
) -> IntakeReport:
    """Check the file; unless `dry_run` or any row is bad, take its candidates in. Flushes."""
    if not scope.can_import(actor):
        raise ForbiddenError(_("Your role cannot import candidates."))
    sheet = read_sheet(file_name, content)
    event = _event(source)
    report = IntakeReport(rows=len(sheet.rows))
    rows = _checked_rows(actor, sheet, source, event, report)
    if report.errors:
        return report
    plan = _plan(actor, rows, event, report)
    if dry_run:
        return report
    for row in plan.new:
        propose_candidate(
            actor, row.data, now, event=event, references=plan.references, rank=row.rank
        )
    if event is not None and plan.firms:
        db.session.add_all(
            EventParticipant(
                event_id=event.id, enterprise_id=enterprise_id, award=row.data.award, rank=row.rank
            )
            for enterprise_id, row in plan.firms
        )
        firm_ids = sorted(enterprise_id for enterprise_id, _row in plan.firms)
        record_change(
            actor, "participants", "discovery_event", event.id, {"enterprise_ids": [None, firm_ids]}
        )
    db.session.flush()
    report.applied = True
    return report


def _event(source: IntakeSource) -> DiscoveryEvent | None:
    if not source.event_id:
        return None
    event = db.session.get(DiscoveryEvent, source.event_id)
    if event is None or event.is_deleted:
        raise InvalidInputError({"event_id": [_("Choose an event from the list.")]})
    return event


def _columns(sheet: Sheet, report: IntakeReport) -> dict[int, str]:
    positions: dict[int, str] = {}
    for position, cell in enumerate(sheet.headers):
        text = str(cell or "").strip()
        if not text or word(text) in IGNORED:
            continue
        key = HEADER_KEYS.get(word(text))
        if key is None:
            report.errors.append(RowProblem(sheet.header_line, text, _("Unknown column.")))
        else:
            positions[position] = key
    for key in REQUIRED:
        if key not in positions.values():
            message = _("The file needs a column “%(column)s”.", column=header(key, "zh"))
            report.errors.append(RowProblem(sheet.header_line, "", message))
    return positions


def _resolver() -> dict[type, dict[str, str]]:
    """Slug, Chinese and English names of each reference row, to its slug."""
    return {
        model: {
            word(text): row.slug
            for row in all_of(model)
            for text in (row.slug, row.name_zh, row.name_en)
        }
        for model in (IndustryTrack, Zone, SubDistrict)
    }


def _checked_rows(
    actor: User,
    sheet: Sheet,
    source: IntakeSource,
    event: DiscoveryEvent | None,
    report: IntakeReport,
) -> list[_Row]:
    positions = _columns(sheet, report)
    if report.errors:
        return []
    names = {key: str(sheet.headers[position]).strip() for position, key in positions.items()}
    slugs, references = _resolver(), References.load()
    rows: list[_Row] = []
    for line, cells in sheet.rows:
        values = {key: _text(cells, position) for position, key in positions.items()}
        rank = _rank(values.get("rank"), line, names, report)
        data = CandidateInput(
            name=values.get("name") or "",
            uscc=values.get("uscc"),
            track=_slug(slugs[IndustryTrack], values.get("track")) or "",
            zone=_slug(slugs[Zone], values.get("zone")),
            sub_district=_slug(slugs[SubDistrict], values.get("sub_district")),
            profile=values.get("profile"),
            award=values.get("award"),
            source_kind=source.source_kind,
            source_name=source.source_name,
            event_id=source.event_id,
        )
        try:
            apply_input(actor, DiscoveryCandidate(), data, event, references)
        except InvalidInputError as invalid:
            for key, messages in invalid.errors.items():
                column = names.get(key, "")
                if key in {"source_kind", "event_id", "source_name"}:
                    raise
                report.errors += [RowProblem(line, column, message) for message in messages]
            continue
        code = normalise_uscc(data.uscc) if data.uscc else None
        rows.append(_Row(line, data, rank, code))
    _repeated_codes(rows, names, report)
    return rows


def _repeated_codes(rows: list[_Row], names: dict[str, str], report: IntakeReport) -> None:
    first: dict[str, int] = {}
    for row in rows:
        if row.code is None:
            continue
        if row.code in first:
            message = _("The same code as line %(line)d.", line=first[row.code])
            report.errors.append(RowProblem(row.line, names.get("uscc", ""), message))
        first.setdefault(row.code, row.line)


@dataclass
class _Plan:
    new: list[_Row]
    firms: list[tuple[int, _Row]]  # reservoir firms that took part in the event
    references: References


def _plan(
    actor: User, rows: list[_Row], event: DiscoveryEvent | None, report: IntakeReport
) -> _Plan:
    matches = duplicates_of_many([(row.data.name, row.code) for row in rows])
    readable = readable_matches(actor, (m for found in matches.values() for m in found))
    plan = _Plan([], [], References.load())
    for position, row in enumerate(rows):
        found = matches.get(position, [])
        firm = next((m for m in found if m.is_firm and m.by_code), None)
        candidate = next((m for m in found if not m.is_firm and m.by_code), None)
        if firm is not None:
            report.skipped += 1
            if event is not None:
                plan.firms.append((firm.record_id, row))
                report.participants += 1
            report.warnings.append(RowProblem(row.line, "", _by_code(firm, readable)))
        elif candidate is not None:
            report.skipped += 1
            report.warnings.append(RowProblem(row.line, "", _by_code(candidate, readable)))
        else:
            plan.new.append(row)
            report.taken_in += 1
            for match in found:
                report.warnings.append(RowProblem(row.line, "", _by_name(match, readable)))
    if event is not None and plan.firms:
        _drop_listed(event, plan)
    return plan


def _by_code(match: Match, readable: set[tuple[str, int]]) -> str:
    """The warning for a code already held; the holder named only to whoever may read it."""
    if (match.kind, match.record_id) in readable:
        if match.is_firm:
            return _("Already in the reservoir as %(name)s: not taken in.", name=match.name)
        return _("Already a candidate (%(name)s): skipped.", name=match.name)
    if match.is_firm:
        return _("A firm outside your sub-district holds this credit code: not taken in.")
    return _("A candidate outside your sub-district holds this credit code: skipped.")


def _by_name(match: Match, readable: set[tuple[str, int]]) -> str:
    if (match.kind, match.record_id) in readable:
        return _("The name matches %(name)s: check it is not the same firm.", name=match.name)
    if match.is_firm:
        return _(
            "The name matches a firm outside your sub-district: check it is not the same firm."
        )
    return _(
        "The name matches a candidate outside your sub-district: check it is not the same firm."
    )


def _drop_listed(event: DiscoveryEvent, plan: _Plan) -> None:
    listed = set(
        db.session.scalars(
            select(EventParticipant.enterprise_id).where(EventParticipant.event_id == event.id)
        )
    )
    plan.firms = [(firm_id, row) for firm_id, row in plan.firms if firm_id not in listed]


def _text(cells: Sequence[object], position: int) -> str | None:
    if position >= len(cells) or cells[position] is None:
        return None
    value = cells[position]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(getattr(value, "value", value)).strip()
    return text or None


def _slug(known: dict[str, str], text: str | None) -> str | None:
    if not text:
        return None
    return known.get(word(text), text)


def _rank(text: str | None, line: int, names: dict[str, str], report: IntakeReport) -> int | None:
    if not text:
        return None
    if text in CIRCLED:
        return CIRCLED[text]
    # Only ASCII digits (after folding full width): "²".isdigit() is True, but int() refuses it.
    digits = text.translate(FULL_WIDTH_DIGITS)
    is_number = digits.isascii() and digits.isdigit() and len(digits) <= MAX_RANK_DIGITS
    if is_number and 0 < int(digits) <= MAX_RANK:
        return int(digits)
    report.errors.append(
        RowProblem(line, names.get("rank", ""), _("Write a whole number such as 3."))
    )
    return None

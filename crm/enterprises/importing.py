"""Importing firms from CSV or XLSX: read the file, check every row, then upsert on the USCC.

A check may keep its plan (the values of each firm and the version of each firm it touches), so
that confirming applies the plan without reading the file again: see crm/enterprises/import_jobs.
"""

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm import access
from crm.audit import record_change
from crm.enterprises import bulk_ids, figures, services
from crm.enterprises.import_changes import firm_change
from crm.enterprises.import_report import ImportReport, RowError, SampleRow
from crm.enterprises.import_rows import ImportedFirm, PlannedFirm, RowChecker
from crm.enterprises.sheets import Sheet
from crm.errors import ForbiddenError, InvalidInputError
from models import AuditEntry, Enterprise, User, YearlyFigures, db

__all__ = ["ImportReport", "PlannedFirm", "RowError", "SampleRow", "apply_plan", "import_sheet"]

SAMPLE_SIZE = 10
SAVE_BATCH = 500  # firms per flush: a few INSERT statements of many rows each
LOOKUP_CHUNK = 500  # credit codes per IN (...) query, well below every driver's parameter limit
# A new firm without these gets "", so the service names what is missing in its own words.
REQUIRED_FOR_NEW = ("name", "sub_district", "zone", "track")
KEPT_WHEN_EMPTY = ("tier", "status")  # an empty cell keeps the firm's value, or the default
# A check reads each row, then tries to save it: progress counts both passes.
CHECK_PASSES = 2

Progress = Callable[[int], None]  # called with the rows (or row-passes) just done


def import_sheet(
    actor: User,
    sheet: Sheet,
    now: datetime,
    *,
    dry_run: bool,
    progress: Progress | None = None,
    keep_plan: Callable[[list[PlannedFirm]], None] | None = None,
    accept_renames: bool = True,
) -> ImportReport:
    """Check every row, then upsert unless `dry_run` or any row is bad. Flushes, never commits.

    `progress` hears of each row read and each row saved (CHECK_PASSES per row); `keep_plan`
    receives the checked firms when the file has no problem. Without `accept_renames`, a file
    that renames a firm is only checked: the report lists the renames, `applied` stays False."""
    if not access.can_edit_enterprises(actor):
        raise ForbiddenError(_("Your role cannot import firms."))
    run = _ImportRun(actor, now)
    firms = run.check(sheet, progress)
    plan = [firm.planned() for firm in firms.values()]
    return run.save(
        firms.values(),
        dry_run=dry_run,
        progress=progress,
        keep=plan,
        keep_plan=keep_plan,
        accept_renames=accept_renames,
    )


def apply_plan(
    actor: User, plan: Iterable[PlannedFirm], now: datetime, progress: Progress | None = None
) -> ImportReport:
    """Write a checked plan whose firms have not changed since (see import_plan.stale_firms).

    The services check every firm again as they save it; a problem rolls the whole plan back."""
    if not access.can_edit_enterprises(actor):
        raise ForbiddenError(_("Your role cannot import firms."))
    run = _ImportRun(actor, now)
    return run.save(run.attach_planned(plan), dry_run=False, progress=progress)


def _number(model: type[Any], rows: Sequence[Any]) -> None:
    for row, row_id in zip(rows, bulk_ids.reserve_ids(model, len(rows)), strict=True):
        row.id = row_id


def in_batches(firms: Iterable[Any], size: int) -> Iterable[list[Any]]:
    batch: list[Any] = []
    for firm in firms:
        batch.append(firm)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class _ImportRun:
    def __init__(self, actor: User, now: datetime) -> None:
        self.actor, self.now = actor, now
        self.report = ImportReport()
        self.lookups = services.Lookups.load()
        self.locale = str(get_locale() or "en")
        self.rows = RowChecker(self.report, now, self.locale, actor)
        self.fail = self.rows.fail

    def check(self, sheet: Sheet, progress: Progress | None) -> dict[str, ImportedFirm]:
        firms = self.rows.read(sheet, progress)
        self._attach_existing(firms)
        self.report.sample = [
            SampleRow(line, uscc, name, year, firms[uscc].existing is None)
            for line, uscc, name, year in self.rows.parsed[:SAMPLE_SIZE]
        ]
        return firms

    def attach_planned(self, plan: Iterable[PlannedFirm]) -> Iterable[ImportedFirm]:
        """The plan's firms a batch at a time, each holding its firm as stored now."""
        for batch in in_batches(plan, SAVE_BATCH):
            ids = [planned.existing_id for planned in batch if planned.existing_id is not None]
            query = (
                select(Enterprise)
                .where(Enterprise.id.in_(ids))
                .options(
                    selectinload(Enterprise.designation_rows),
                    selectinload(Enterprise.yearly_figures),
                )
            )
            stored = {enterprise.id: enterprise for enterprise in db.session.scalars(query)}
            # The plan was checked against the reservoir: its new codes were free then, and the
            # caller made sure they still are.
            self.lookups.free_usccs.update(p.uscc for p in batch if p.existing_id is None)
            for planned in batch:
                self.report.rows += len(planned.lines)
                existing = stored.get(planned.existing_id) if planned.existing_id else None
                yield ImportedFirm(
                    planned.uscc,
                    planned.lines,
                    planned.values,
                    planned.figures,
                    existing=existing,
                    existing_version=planned.existing_version,
                )

    def save(
        self,
        firms: Iterable[ImportedFirm],
        *,
        dry_run: bool,
        progress: Progress | None,
        keep: list[PlannedFirm] | None = None,
        keep_plan: Callable[[list[PlannedFirm]], None] | None = None,
        accept_renames: bool = True,
    ) -> ImportReport:
        # Services re-check what the file cannot: a bad firm rolls all of them back.
        savepoint = db.session.begin_nested()
        try:
            bulk_ids.take_write_lock()
            for batch in in_batches(firms, SAVE_BATCH):
                self._save_batch(batch, progress)
        except Exception:
            savepoint.rollback()
            raise
        report = self.report
        report.finish()
        # Renames are known only once the firms are compared: refused, they undo the save.
        if report.errors or dry_run or (report.rename_count and not accept_renames):
            savepoint.rollback()
            if keep_plan is not None and keep is not None and not report.errors:
                keep_plan(keep)
            return report
        savepoint.commit()
        report.applied = True
        counts = {"rows": report.rows, "created": report.firms_to_create}
        counts |= {"updated": report.firms_to_update, "figure_rows": report.figure_rows}
        # One entry for the whole file (each firm has its own too); it names no single firm.
        record_change(
            self.actor, "import", "enterprise", 0, {k: [None, v] for k, v in counts.items()}
        )
        return report

    def _save_batch(self, batch: list[ImportedFirm], progress: Progress | None) -> None:
        """Save the valid firms of a batch: one flush writes the batch's rows in bulk."""
        created: list[Enterprise] = []
        staged: list[figures.StagedFigures] = []
        # Without autoflush: a query half-way would write the batch row by row.
        with db.session.no_autoflush:
            for firm in batch:
                if firm.is_valid:
                    self._save(firm, created, staged)
            _number(Enterprise, created)
            _number(YearlyFigures, [row.row for row in staged if row.row.id is None])
            # Read before the flush: afterwards the ORM would reload each firm's designations.
            snapshots = [services.audited_values(enterprise) for enterprise in created]
            db.session.flush()  # the audit entries name the rows they describe
            entries = [
                services.record_creation(self.actor, enterprise, snapshot)
                for enterprise, snapshot in zip(created, snapshots, strict=True)
            ]
            changed = (figures.record_figures_change(self.actor, row) for row in staged)
            entries += [entry for entry in changed if entry is not None]
            _number(AuditEntry, entries)
            db.session.flush()
        if progress is not None:
            progress(sum(len(firm.lines) for firm in batch))

    def _attach_existing(self, firms: dict[str, ImportedFirm]) -> None:
        codes = list(firms)
        for start in range(0, len(codes), LOOKUP_CHUNK):
            query = (
                select(Enterprise)
                .where(Enterprise.uscc.in_(codes[start : start + LOOKUP_CHUNK]))
                .options(
                    selectinload(Enterprise.designation_rows),
                    selectinload(Enterprise.yearly_figures),
                )
            )
            for enterprise in db.session.scalars(query):
                firm = firms[enterprise.uscc]
                firm.existing, firm.existing_version = enterprise, enterprise.version_id
        # Looked up above: no other firm holds these codes, so the service need not ask again.
        self.lookups.free_usccs.update(firms)
        for firm in firms.values():
            if firm.existing is None:
                continue
            if not access.can_edit_enterprise(self.actor, firm.existing):
                # Only that the code is taken: the firm itself is not this user's to see.
                message = _("A firm outside your sub-district has this code. Ask an administrator.")
            elif firm.existing.is_deleted:
                message = _("A deleted firm has this code. Restore it before importing.")
            else:
                continue
            self.fail(firm.lines[0], "uscc", message)
            firm.is_valid = False

    def _save(
        self, firm: ImportedFirm, created: list[Enterprise], staged: list[figures.StagedFigures]
    ) -> None:
        try:
            enterprise = self._save_firm(firm)
        except InvalidInputError as invalid:
            for key, messages in invalid.errors.items():
                self.fail(firm.lines[0], key, " ".join(messages))
            return
        for year in sorted(firm.figures):  # ascending, so each year's growth sees the last
            line, amounts = firm.figures[year]
            current = next((row for row in enterprise.yearly_figures if row.year == year), None)
            # Columns absent from the file keep their stored figures.
            kept = (
                {name: getattr(current, name) for name in figures.FIGURE_FIELDS} if current else {}
            )
            data = figures.FiguresInput(year, **(kept | amounts))
            try:
                staged.append(figures.stage_yearly_figures(enterprise, data, self.now.year))
            except InvalidInputError as invalid:
                for key, messages in invalid.errors.items():
                    self.fail(line, key, " ".join(messages))
            else:
                self.report.figure_rows += 1
        if firm.existing is None:
            created.append(enterprise)

    def _save_firm(self, firm: ImportedFirm) -> Enterprise:
        values = {
            key: ("" if value is None and key in REQUIRED_FOR_NEW else value)
            for key, value in firm.values.items()
            if value is not None or key not in KEPT_WHEN_EMPTY
        }
        if firm.existing is None:
            blanks = dict.fromkeys(REQUIRED_FOR_NEW, "")
            data = services.EnterpriseInput(**(blanks | values), uscc=firm.uscc)
            enterprise = services.stage_enterprise(self.actor, data, self.now, self.lookups)
            self.report.firms_to_create += 1
            return enterprise
        existing = firm.existing
        before = services.input_from_enterprise(existing)
        # The version the preview was made from, not the one loaded now: an edit saved since
        # (even while earlier batches were written) is a StaleEditError, never overwritten.
        seen = existing.version_id if firm.existing_version is None else firm.existing_version
        services.update_enterprise(
            self.actor,
            existing,
            services.patch_input(existing, values),
            seen,
            self.now,
            self.lookups,
            flush=False,
        )
        # Stored values compared, as the audit compares them: " x " and "x" are no change.
        after = services.input_from_enterprise(existing)
        change = firm_change(firm.lines[0], before, after, self.lookups, self.locale)
        if change is None:
            self.report.firms_unchanged += 1
        else:
            self.report.firms_to_update += 1
            self.report.note_change(change)
        return existing

"""`flask crm import PATH`: the reservoir import from a shell, for large or recurring files."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import select

from crm.clock import utcnow
from crm.enterprises import import_issues
from crm.enterprises.import_report import CHANGES_SHOWN, ImportReport
from crm.enterprises.importing import CHECK_PASSES, import_sheet
from crm.enterprises.sheets import ImportFileError, read_sheet
from crm.errors import ForbiddenError
from crm.i18n import command_language
from models import Role, User, db


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "username", help="Username to act as (default: the first active admin).")
@click.option("--dry-run", is_flag=True, help="Check every row, write nothing.")
@click.option(
    "--accept-renames", is_flag=True, help="Import even when the file renames existing firms."
)
@click.option("--lang", help="Language of the messages: zh_CN or en (default: the app's).")
@with_appcontext
def import_command(
    path: Path, username: str | None, dry_run: bool, accept_renames: bool, lang: str | None
) -> None:
    """Import firms and their yearly figures from a CSV or XLSX file: all rows or none."""
    languages = current_app.config["LANGUAGES"]
    if lang is not None and lang not in languages:
        raise click.BadParameter(" / ".join(languages), param_hint="--lang")
    # No request, so no session or browser language: this --lang, `flask crm --lang`, the
    # terminal's LANG, or the app's default.
    chosen = lang or command_language() or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(chosen):
        _import(path, username, dry_run=dry_run, accept_renames=accept_renames)


def _import(path: Path, username: str | None, *, dry_run: bool, accept_renames: bool) -> None:
    actor = _actor(username)
    try:
        sheet = read_sheet(path.name, path.read_bytes(), max_rows=None)
    except ImportFileError as unreadable:
        raise click.ClickException(unreadable.message) from None
    label = _("Checking") if dry_run else _("Importing")
    with click.progressbar(length=CHECK_PASSES * len(sheet.rows), label=label) as bar:
        try:
            report = import_sheet(
                actor,
                sheet,
                utcnow(),
                dry_run=dry_run,
                progress=bar.update,
                accept_renames=accept_renames,
            )
        except ForbiddenError as refused:
            raise click.ClickException(refused.message) from None
    _echo_notes(report)
    if report.errors:
        db.session.rollback()
        if not dry_run:  # a dry run promises to write nothing, not even the issues
            found = import_issues.found_issues(sheet, report.errors)
            import_issues.record_import_issues(actor, path.name, found, utcnow())
            db.session.commit()
        _echo_errors(report)
        raise click.exceptions.Exit(1)
    _echo_changes(report)
    if report.rename_count and not accept_renames and not dry_run:
        db.session.rollback()
        raise click.ClickException(
            ngettext(
                "The file renames %(num)d firm; nothing was written. Check the new name above, "
                "then run again with --accept-renames.",
                "The file renames %(num)d firms; nothing was written. Check the new names above, "
                "then run again with --accept-renames.",
                report.rename_count,
            )
        )
    if not dry_run:
        import_issues.resolve_import_issues(path.name, utcnow())
        db.session.commit()
    click.echo(_summary(report, dry_run))


def _actor(username: str | None) -> User:
    query = select(User).where(User.is_active_account.is_(True))
    if username:
        query = query.where(User.username == username)
    else:
        query = query.where(User.role == Role.ADMIN).order_by(User.id).limit(1)
    actor = db.session.scalar(query)
    if actor is None:
        raise click.ClickException(
            _("No active account “%(name)s”.", name=username)
            if username
            else _("No active administrator: create one, or pass --as USERNAME.")
        )
    return actor


def _line(line: int, column: str, message: str) -> str:
    if not column:
        return _("Line %(line)d: %(message)s", line=line, message=message)
    return _("Line %(line)d, %(column)s: %(message)s", line=line, column=column, message=message)


def _echo_notes(report: ImportReport) -> None:
    """What the file holds beside the firms: columns and lines passed over, values converted."""
    if report.unknown_columns:
        columns = "、".join(report.unknown_columns)
        click.echo(_("Ignored columns, not part of the format: %(columns)s", columns=columns))
    if report.ignored_columns:
        columns = "、".join(report.ignored_columns)
        click.echo(_("Ignored columns that number the rows: %(columns)s", columns=columns))
    for row in report.skipped_rows:
        click.echo(_line(row.line, "", _("skipped: %(reason)s", reason=row.message)))
    for note in report.conversions:
        click.echo(_line(note.line, note.column, note.message))
    if more := report.conversion_count - len(report.conversions):
        click.echo(ngettext("And %(num)d more conversion.", "And %(num)d more conversions.", more))


def _echo_changes(report: ImportReport) -> None:
    for change in report.shown_changes:
        if change.new_name is not None:
            click.echo(
                _(
                    "Line %(line)d, %(uscc)s: renamed “%(old)s” → “%(new)s”",
                    line=change.line,
                    uscc=change.uscc,
                    old=change.name,
                    new=change.new_name,
                )
            )
        else:
            click.echo(_("Line %(line)d, %(name)s:", line=change.line, name=change.name))
        for item in change.fields:
            click.echo(f"    {item.column}: {item.before} → {item.after}")
    if (more := len(report.changes) - CHANGES_SHOWN) and more > 0:
        click.echo(
            ngettext("And %(num)d more firm changes.", "And %(num)d more firms change.", more)
        )


def _echo_errors(report: ImportReport) -> None:
    for error in report.errors:
        click.echo(_line(error.line, error.column, error.message), err=True)
    count = len(report.errors)
    click.echo(
        ngettext(
            "%(num)d problem found; nothing was written.",
            "%(num)d problems found; nothing was written.",
            count,
        ),
        err=True,
    )


def _summary(report: ImportReport, dry_run: bool) -> str:
    parts = [
        ngettext("%(num)d firm added", "%(num)d firms added", report.firms_to_create),
        ngettext("%(num)d updated", "%(num)d updated", report.firms_to_update),
        ngettext("%(num)d unchanged", "%(num)d unchanged", report.firms_unchanged),
        ngettext(
            "%(num)d row of figures saved", "%(num)d rows of figures saved", report.figure_rows
        ),
    ]
    if dry_run:
        return _("No problems. If imported: %(parts)s.", parts=_(", ").join(parts))
    return _("Done: %(parts)s.", parts=_(", ").join(parts))

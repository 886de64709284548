"""`flask crm import PATH`: the reservoir import from a shell, for large or recurring files."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from crm.clock import utcnow
from crm.enterprises import import_issues
from crm.enterprises.importing import ImportReport, import_sheet
from crm.enterprises.sheets import ImportFileError, read_sheet
from crm.errors import ForbiddenError
from models import Role, User, db


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "username", help="Username to act as (default: the first active admin).")
@click.option("--dry-run", is_flag=True, help="Check every row, write nothing.")
@with_appcontext
def import_command(path: Path, username: str | None, dry_run: bool) -> None:
    """Import firms and their yearly figures from a CSV or XLSX file: all rows or none."""
    # No request, so no session or browser language to choose from: the app's default applies.
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        actor = _actor(username)
        try:
            sheet = read_sheet(path.name, path.read_bytes(), max_rows=None)
        except ImportFileError as unreadable:
            raise click.ClickException(unreadable.message) from None
        label = _("Checking") if dry_run else _("Importing")
        with click.progressbar(length=len(sheet.rows), label=label) as bar:
            try:
                report = import_sheet(actor, sheet, utcnow(), dry_run=dry_run, progress=bar.update)
            except ForbiddenError as refused:
                raise click.ClickException(refused.message) from None
        if report.errors:
            db.session.rollback()
            if not dry_run:  # a dry run promises to write nothing, not even the issues
                found = import_issues.found_issues(sheet, report.errors)
                import_issues.record_import_issues(actor, path.name, found, utcnow())
                db.session.commit()
            _echo_errors(report)
            raise click.exceptions.Exit(1)
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


def _echo_errors(report: ImportReport) -> None:
    for error in report.errors:
        message = _(
            "Line %(line)d, %(column)s: %(message)s",
            line=error.line,
            column=error.column,
            message=error.message,
        )
        click.echo(message, err=True)
    count = len(report.errors)
    click.echo(_("%(count)d problems found; nothing was written.", count=count), err=True)


def _summary(report: ImportReport, dry_run: bool) -> str:
    counts = {
        "created": report.firms_to_create,
        "updated": report.firms_to_update,
        "unchanged": report.firms_unchanged,
        "figures": report.figure_rows,
    }
    if dry_run:
        return _(
            "No problems. Would add %(created)d firms, update %(updated)d, leave %(unchanged)d "
            "unchanged and save %(figures)d rows of figures.",
            **counts,
        )
    return _(
        "Done: %(created)d firms added, %(updated)d updated, %(unchanged)d unchanged, "
        "%(figures)d rows of figures saved.",
        **counts,
    )

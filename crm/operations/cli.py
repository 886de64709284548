"""`flask --app app crm backup DEST` and `crm restore SRC`."""

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from crm.clock import utcnow
from crm.operations.backup import BackupError, backup_database
from crm.operations.restore import Schema, restore_database
from models import db


@click.command("backup")
@click.argument("destination")
@with_appcontext
def backup_command(destination: str) -> None:
    """Copy the live database to DESTINATION: a file, or a folder (an existing one, or a path
    ending with /) for a file named by the time.

    Safe while the site runs: SQLite is copied with its online backup API, PostgreSQL with
    pg_dump (custom format, for pg_restore).
    """
    if destination.endswith(("/", os.sep)):
        Path(destination).mkdir(parents=True, exist_ok=True)
    try:
        written = backup_database(db.engine.url, Path(destination), utcnow())
    except BackupError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Backup written to {written} ({written.stat().st_size / 1e6:.1f} MB).")


@click.command("restore")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the existing database.")
@with_appcontext
def restore_command(source: Path, yes: bool) -> None:
    """Replace the database with the backup SOURCE, after checking it.

    Stop the web server and the scheduler first: nothing may write while the database is
    swapped. The database replaced is kept as a file in BACKUP_FOLDER.
    """
    migrations = Path(current_app.extensions["migrate"].directory)
    schema = Schema.of(migrations, set(db.metadata.tables) | {"alembic_version"})
    aside = Path(current_app.config["BACKUP_FOLDER"])
    db.session.remove()
    db.engine.dispose()  # no pooled connection of ours may hold the old database open
    try:
        restored = restore_database(source, db.engine.url, schema, aside, utcnow(), yes)
    except BackupError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Restored {source} (schema revision {restored.revision}).")
    if restored.replaced is not None:
        click.echo(f"The database it replaced is kept in {restored.replaced}.")
    if restored.needs_upgrade:
        click.echo(
            f"The backup predates the code (schema {schema.head}): run "
            "`flask --app app db upgrade` before starting the site."
        )

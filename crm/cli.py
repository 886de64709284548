"""`flask --app app crm ...`: setup, demo data, import, accounts."""

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_migrate import upgrade
from sqlalchemy import func, select

from crm.admin.services import UserInput, create_user
from crm.auth.cli import end_sessions_command, unlock_user_command
from crm.clock import today, utcnow
from crm.dashboard.cli import export_dashboard_command, refresh_dashboard_command
from crm.enterprises.cli import import_command
from crm.operations.cli import backup_command, restore_command
from crm.pipeline.cli import (
    publish_command,
    roll_back_command,
    score_command,
    train_and_report,
    train_command,
)
from crm.pipeline.external import benchmark_external_command
from crm.pipeline.rescoring import rescore
from crm.reference import load_reference_data
from crm.scheduling.cli import remind_command, run_job_command, scheduler_command
from crm.scheduling.jobs import run_job
from crm.seeding import DEMO_PASSWORD, demo_logins, seed_demo, seed_demo_command
from models import Enterprise, JobRun, Role, ScoringRun, db

crm_cli = AppGroup("crm", help="Cultivate CRM commands.")
crm_cli.add_command(import_command)
crm_cli.add_command(seed_demo_command)
crm_cli.add_command(export_dashboard_command)
crm_cli.add_command(refresh_dashboard_command)
for command in (
    train_command,
    score_command,
    publish_command,
    roll_back_command,
    benchmark_external_command,
    scheduler_command,
    remind_command,
    run_job_command,
    backup_command,
    restore_command,
    unlock_user_command,
    end_sessions_command,
):
    crm_cli.add_command(command)


@crm_cli.command("load-reference")
def load_reference_command() -> None:
    """Load sub-districts, zones, tracks and departments from seed_data/ (safe to rerun)."""
    added = load_reference_data()
    db.session.commit()
    click.echo(f"Reference data loaded ({added} new rows).")


@crm_cli.command("bootstrap")
@click.option("--demo/--no-demo", default=True, help="Load demo data into an empty database.")
def bootstrap_command(demo: bool) -> None:
    """Apply migrations, load reference data and, on an empty database, the demo data."""
    upgrade()
    load_reference_data()
    db.session.commit()
    if demo and not db.session.scalar(select(func.count()).select_from(Enterprise)):
        click.echo("Empty database: loading the demo reservoir (takes a few seconds)...")
        seed_demo(firm_count=2000, seed=2025)
        db.session.commit()
    if demo and not db.session.scalar(select(func.count()).select_from(ScoringRun)):
        click.echo("No scores yet: training a model and scoring the reservoir once...")
        train_and_report(publish_if_better=True)
        run = rescore(today(), utcnow())
        click.echo(f"Scored {run.firms} firms with {run.scorer}.")
    if demo and not db.session.scalar(select(func.count()).select_from(JobRun)):
        click.echo("No reminders yet: running one reminder scan...")
        scan = run_job("reminder_scan", "command")
        click.echo(f"Reminder scan: {scan.summary} (mails in {current_app.config['MAIL_FOLDER']}).")
    if demo:  # so `make run` opens on a counted dashboard
        click.echo(f"Dashboard figures: {run_job('dashboard_refresh', 'command').summary}")
    if logins := demo_logins():
        click.echo(f"Demo logins, all with the password {DEMO_PASSWORD}:")
        for line in logins:
            click.echo(f"  {line}")


@crm_cli.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.ADMIN.value)
@click.option("--name", "display_name", default="")
@click.option("--sub-district", default=None, help="Slug, for account managers.")
@click.option("--department", default=None, help="Slug, for department staff.")
@click.password_option()
def create_user_command(
    username: str,
    role: str,
    display_name: str,
    sub_district: str | None,
    department: str | None,
    password: str,
) -> None:
    """Create an account (the first admin of a production install, say)."""
    data = UserInput(
        username, display_name or username, role, None, sub_district, department, password
    )
    create_user(None, data, utcnow())
    db.session.commit()
    click.echo(f"Created {role} {username}.")


def register_cli(app: Flask) -> None:
    app.cli.add_command(crm_cli)

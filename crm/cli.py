"""`flask --app app crm ...`: setup, demo data, import, accounts."""

import click
from click.core import ParameterSource
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext, refresh
from flask_migrate import upgrade
from sqlalchemy import func, select

from crm.admin.services import UserInput, create_user
from crm.auth.cli import end_sessions_command, unlock_user_command
from crm.clock import today, utcnow
from crm.dashboard.cli import export_dashboard_command, refresh_dashboard_command
from crm.enterprises.cli import import_command
from crm.errors import InvalidInputError
from crm.i18n import (
    COMMAND_DEFAULT_LANGUAGE,
    COMMAND_LANGUAGE,
    LANGUAGE_VARIABLES,
    supported_language,
)
from crm.labels import label
from crm.operations.cli import backup_command, restore_command
from crm.pipeline.cli import (
    publish_command,
    roll_back_command,
    score_command,
    train_and_report,
    train_command,
)
from crm.pipeline.reasons import scorer_label
from crm.pipeline.rescoring import rescore
from crm.reference import load_reference_data
from crm.scheduling.cli import remind_command, run_job_command, scheduler_command
from crm.scheduling.jobs import run_job
from crm.seeding import DEMO_PASSWORD, demo_logins, seed_demo, seed_demo_command
from models import Enterprise, JobRun, Role, ScoringRun, db


@click.group("crm", cls=AppGroup)
@click.option(
    "--lang",
    envvar=LANGUAGE_VARIABLES,
    metavar="zh_CN|en",
    help="Language of the output (default: LANGUAGE, LC_ALL, LC_MESSAGES or LANG, else en).",
)
@click.pass_context
@with_appcontext
def crm_cli(context: click.Context, lang: str | None) -> None:
    """Cultivate CRM commands."""
    languages = current_app.config["LANGUAGES"]
    chosen = supported_language(lang, languages)
    from_command_line = context.get_parameter_source("lang") == ParameterSource.COMMANDLINE
    if chosen is None and from_command_line:
        raise click.BadParameter(" / ".join(languages), param_hint="--lang")
    context.meta[COMMAND_LANGUAGE] = chosen or COMMAND_DEFAULT_LANGUAGE
    refresh()  # a language read before this (an open app context's) would stay cached


crm_cli.add_command(import_command)
crm_cli.add_command(seed_demo_command)
crm_cli.add_command(export_dashboard_command)
crm_cli.add_command(refresh_dashboard_command)
for command in (
    train_command,
    score_command,
    publish_command,
    roll_back_command,
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
    click.echo(
        ngettext(
            "Reference data loaded (%(num)d new row).",
            "Reference data loaded (%(num)d new rows).",
            added,
        )
    )


@crm_cli.command("bootstrap")
@click.option("--demo/--no-demo", default=True, help="Load demo data into an empty database.")
def bootstrap_command(demo: bool) -> None:
    """Apply migrations, load reference data and, on an empty database, the demo data."""
    upgrade()
    load_reference_data()
    db.session.commit()
    if demo and not db.session.scalar(select(func.count()).select_from(Enterprise)):
        click.echo(_("Empty database: loading the demo reservoir (takes a few seconds)..."))
        seed_demo(firm_count=2000, seed=2025)
        db.session.commit()
    if demo and not db.session.scalar(select(func.count()).select_from(ScoringRun)):
        click.echo(_("No scores yet: training a model and scoring the reservoir once..."))
        train_and_report(publish_if_better=True)
        run = rescore(today(), utcnow())
        db.session.commit()
        click.echo(
            ngettext(
                "Scored %(num)d firm with %(scorer)s.",
                "Scored %(num)d firms with %(scorer)s.",
                run.firms,
                scorer=scorer_label(run.scorer),
            )
        )
    if demo and not db.session.scalar(select(func.count()).select_from(JobRun)):
        click.echo(_("No reminders yet: running one reminder scan..."))
        scan = run_job("reminder_scan", "command")
        click.echo(
            _(
                "Reminder scan: %(summary)s (mails in %(folder)s).",
                summary=scan.summary,
                folder=current_app.config["MAIL_FOLDER"],
            )
        )
    if demo:  # so `make run` opens on a counted dashboard
        figures = run_job("dashboard_refresh", "command").summary
        click.echo(_("Dashboard figures: %(summary)s", summary=figures))
    if logins := demo_logins():
        click.echo(_("Demo logins, all with the password %(password)s:", password=DEMO_PASSWORD))
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
    try:
        create_user(None, data, utcnow())
    except InvalidInputError as refused:
        problems = [message for messages in refused.errors.values() for message in messages]
        raise click.ClickException(" ".join(problems)) from None
    db.session.commit()
    click.echo(
        _("Created the account %(username)s (%(role)s).", username=username, role=label(Role(role)))
    )


def register_cli(app: Flask) -> None:
    app.cli.add_command(crm_cli)

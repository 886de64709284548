"""`flask crm export-dashboard` (the monthly workbook) and `flask crm refresh-dashboard`."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from crm.clock import utcnow
from crm.dashboard.exporting import workbook_of
from crm.dashboard.filters import DashboardFilter, counted_day
from crm.dashboard.sections import scope_line
from crm.dashboard.snapshots import dashboard_figures
from crm.scheduling.jobs import run_job
from models import db


@click.command("export-dashboard")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option(
    "--period", default="quarter", show_default=True, help="quarter, last_quarter, year or plan"
)
@click.option("--zone", default="", help="Zone slug (default: the whole district)")
@click.option("--sub-district", "sub_district", default="", help="Sub-district slug")
@click.option("--track", default="", help="Industry track slug")
@click.option("--locale", type=click.Choice(["zh_CN", "en"]), default="zh_CN", show_default=True)
@with_appcontext
def export_dashboard_command(
    path: Path, period: str, zone: str, sub_district: str, track: str, locale: str
) -> None:
    """Write the dashboard, as a leader sees it, to an XLSX workbook (one sheet per section)."""
    args = MultiDict({"period": period, "zone": zone, "sub_district": sub_district, "track": track})
    now = utcnow()
    filters, errors = DashboardFilter.from_args(args, counted_day(current_app.config, now))
    if errors:
        raise click.BadParameter(f"unknown {', '.join(sorted(errors))}")
    with force_locale(locale):
        sections = dashboard_figures(filters, locale, now).sections
        db.session.commit()
        title = _("Cultivate dashboard, %(day)s", day=filters.today.isoformat())
        workbook = workbook_of(title, scope_line(filters), sections)
    path.write_bytes(workbook.getvalue())
    click.echo(f"Wrote {path} ({len(sections)} sheets).")


@click.command("refresh-dashboard")
@with_appcontext
def refresh_dashboard_command() -> None:
    """Recount the dashboard's and data quality's stored figures now (the scheduler does it
    every 15 minutes)."""
    run = run_job("dashboard_refresh", "command")
    click.echo(f"Dashboard figures: {run.state.value} {run.summary or run.error}")

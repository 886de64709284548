"""`flask --app app crm scheduler|remind|run-job`: the scheduler process and one-off runs."""

import logging
import signal
import threading
from types import FrameType

import click
from flask import current_app
from flask_babel import gettext as _

from crm.scheduling.jobs import JOBS, run_job
from crm.scheduling.process import ScheduleError, serve
from models import JobRun, JobRunState


def _report(run: JobRun) -> None:
    if run.state != JobRunState.SUCCEEDED:
        raise click.ClickException(_("%(job)s failed: %(error)s", job=run.job_key, error=run.error))
    details = ", ".join(f"{key} {value}" for key, value in run.summary.items())
    click.echo(f"{run.job_key}: {details} ({run.duration_seconds or 0:.1f} s).")


@click.command("scheduler")
def scheduler_command() -> None:
    """Run the scheduler: reminders, the digest, rescoring and retraining, on their schedules.

    Start one per deployment (more wait on standby and take over if it stops).
    """
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    stop = threading.Event()

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        logging.getLogger(__name__).info("signal %s: stopping the scheduler", signum)
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    try:
        serve(current_app._get_current_object(), stop)  # type: ignore[attr-defined]
    except ScheduleError as error:
        raise click.ClickException(_("Invalid schedule setting: %(error)s", error=error)) from error


@click.command("remind")
def remind_command() -> None:
    """Run one reminder scan now: store what is due, close what is settled, send the e-mails."""
    _report(run_job("reminder_scan", "command"))


@click.command("run-job")
@click.argument("key", type=click.Choice(sorted(JOBS)))
def run_job_command(key: str) -> None:
    """Run one scheduled job now, in this process."""
    _report(run_job(key, "command"))

"""How far an import job has come, in words and numbers, for its page and its status poll."""

from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _

from crm.enterprises.import_jobs import FINISHED_STATES, progress_of
from models import ImportJob, ImportJobState, SchedulerStatus, db

# The scheduler beats every 6 polls; silent for 3 beats, it is taken for stopped (the same rule as
# crm.scheduling.process.alive_within, which this package cannot import: scheduling imports it).
SILENT_POLLS = 3 * 6


def status(
    job: ImportJob, folder: Path, now: datetime, config: Mapping[str, Any]
) -> dict[str, Any]:
    done, total = progress_of(job, folder)
    alive_within = timedelta(seconds=SILENT_POLLS * float(config["SCHEDULER_POLL_SECONDS"]))
    return {
        "state": job.state.value,
        "done": done,
        "total": total,
        "percent": 100 * done // total if total else 0,
        "finished": job.state in FINISHED_STATES,
        "message": _message(job, done, total, now, alive_within),
    }


def _message(job: ImportJob, done: int, total: int, now: datetime, alive: timedelta) -> str:
    counts = {"done": format_decimal(done), "total": format_decimal(total)}
    if job.state == ImportJobState.QUEUED:
        beat = db.session.get(SchedulerStatus, 1)
        if beat is None or now - beat.beat_at > alive:
            return _("Waiting: the scheduler is not running. Ask an administrator to start it.")
        return _("Waiting for its turn…")
    if job.state == ImportJobState.CHECKING:
        return ngettext(
            "Checking: %(done)s of %(total)s row",
            "Checking: %(done)s of %(total)s rows",
            total,
            **counts,
        )
    if job.state == ImportJobState.APPLYING:
        return ngettext(
            "Importing: %(done)s of %(total)s row",
            "Importing: %(done)s of %(total)s rows",
            total,
            **counts,
        )
    if job.state == ImportJobState.FAILED:
        return job.error or _("The import failed.")
    return _("Done.")

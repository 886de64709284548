"""Training as a job runs it: each step committed, so the admin page sees the progress.

The admin page queues a training (a RUNNING version without a process); the scheduler process
claims it and trains it here, never a web worker.
"""

import logging
from datetime import date

from sqlalchemy import select, update

from crm.clock import utcnow
from crm.pipeline.versions import fail_training, run_training
from crm.processes import this_process
from models import ModelVersion, TrainingState, db

log = logging.getLogger(__name__)


def train_version(version_id: int, as_of: date) -> ModelVersion:
    """Train a started version; a failure is committed on the version, then raised."""
    try:
        version = run_training(version_id, as_of, save_progress=db.session.commit)
    except Exception as error:  # any failure ends the run visibly rather than leaving it RUNNING
        db.session.rollback()
        fail_training(version_id, error, utcnow())
        db.session.commit()
        raise
    db.session.commit()
    return version


def claim_queued_training() -> int | None:
    """Take the queued training for this process; the UPDATE claims it exactly once."""
    queued = ModelVersion.state == TrainingState.RUNNING, ModelVersion.process.is_(None)
    version_id = db.session.scalar(select(ModelVersion.id).where(*queued))
    if version_id is None:
        return None
    claimed = db.session.execute(
        update(ModelVersion)
        .where(ModelVersion.id == version_id, *queued)
        .values(process=str(this_process()))
    )
    db.session.commit()
    return version_id if getattr(claimed, "rowcount", 0) == 1 else None


def run_queued_training(version_id: int, as_of: date) -> None:
    """Train a claimed version; a failure is recorded on it for the admin page, not raised."""
    try:
        train_version(version_id, as_of)
    except Exception:  # the traceback goes to the log, the error to the version
        log.exception("training of model version %s failed", version_id)

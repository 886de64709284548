"""Training as a job runs it: each step committed, so the admin page sees the progress."""

import logging
import threading
from datetime import date

from flask import Flask

from crm.clock import utcnow
from crm.pipeline.versions import fail_training, run_training
from models import ModelVersion, db

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


def train_in_background(app: Flask, version_id: int, as_of: date) -> threading.Thread:
    """Training takes a minute or more: the admin page starts it here and polls its progress."""

    def work() -> None:
        with app.app_context():
            try:
                train_version(version_id, as_of)
            except Exception:  # recorded on the version by train_version
                log.exception("training of model version %s failed", version_id)
            finally:
                db.session.remove()

    thread = threading.Thread(target=work, name=f"train-v{version_id}", daemon=True)
    thread.start()
    return thread

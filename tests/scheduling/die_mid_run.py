"""Start a run and kill this process with SIGKILL half-way, as an out-of-memory kill would.

Run by tests/scheduling/test_interrupted_runs.py as
`python -m tests.scheduling.die_mid_run job|training`, with the environment of the test's
database. The process dies at the first transaction after its run was recorded as RUNNING (inside
the job, or inside the training), so nothing it would do on its way out gets the chance.
"""

import os
import signal
import sys
from typing import Any

from sqlalchemy import event

from crm import create_app
from crm.pipeline.cli import train_and_report
from crm.scheduling.jobs import run_job
from models import db

RUN_TABLES = {"job": "INSERT INTO job_runs", "training": "INSERT INTO model_versions"}


def main(kind: str) -> None:
    app = create_app()
    with app.app_context():
        recorded = committed = False

        def note_the_run(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            nonlocal recorded
            recorded = recorded or statement.startswith(RUN_TABLES[kind])

        def note_the_commit(_conn: Any) -> None:
            nonlocal committed
            committed = recorded

        def die_in_the_next_transaction(_conn: Any) -> None:
            if committed:
                os.kill(os.getpid(), signal.SIGKILL)

        event.listen(db.engine, "after_cursor_execute", note_the_run)
        event.listen(db.engine, "commit", note_the_commit)
        event.listen(db.engine, "begin", die_in_the_next_transaction)
        if kind == "job":
            run_job("reminder_scan", "command")  # what `flask crm remind` runs
        else:
            train_and_report(publish_if_better=False)  # what `flask crm train` runs


if __name__ == "__main__":
    main(sys.argv[1])

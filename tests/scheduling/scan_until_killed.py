"""A reminder scan that kills its own process once the first rule's reminders are committed.

Run by tests/scheduling/test_scheduler.py as `python -m tests.scheduling.scan_until_killed`,
with the scheduler's environment: the scan dies at a chosen point, not
wherever a timer happens to land, and leaves what a power cut would (a RUNNING job run, some
reminders committed and the rest not).
"""

import os
import signal
from typing import Any

from sqlalchemy import event

from crm import create_app
from crm.scheduling.jobs import run_job
from models import db


def main() -> None:
    app = create_app()
    with app.app_context():
        wrote_reminders = False

        def note_writes(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            nonlocal wrote_reminders
            wrote_reminders = wrote_reminders or statement.startswith("INSERT INTO reminders")

        def die_at_the_next_transaction(_conn: Any) -> None:
            if wrote_reminders:  # the first rule committed; the next one begins
                os.kill(os.getpid(), signal.SIGKILL)

        event.listen(db.engine, "after_cursor_execute", note_writes)
        event.listen(db.engine, "begin", die_at_the_next_transaction)
        run_job("reminder_scan", "manual")  # as the scheduler runs a "run now"


if __name__ == "__main__":
    main()

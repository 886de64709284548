"""The scheduled backup: a timestamped copy in BACKUP_FOLDER, keeping the BACKUP_KEEP newest."""

from pathlib import Path
from typing import Any

from flask import current_app

from crm.clock import utcnow
from crm.operations.backup import backup_database, prune_backups
from models import db


def scheduled_backup() -> dict[str, Any]:
    folder = Path(current_app.config["BACKUP_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    db.session.remove()  # the copy reads through its own connection; hold no transaction open
    written = backup_database(db.engine.url, folder, utcnow())
    removed = prune_backups(folder, current_app.config["BACKUP_KEEP"])
    return {"backup": written.name, "backups_removed": len(removed)}

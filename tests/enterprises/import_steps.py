"""The web import's steps as a test takes them, with the scheduler's part run in the test."""

import io
import re
from pathlib import Path

from flask import current_app
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from crm.clock import utcnow
from crm.enterprises.import_jobs import run_queued_imports
from models import AuditEntry, Enterprise, YearlyFigures, db
from tests.helpers import row_count


def row_counts() -> tuple[int, ...]:
    """The rows an import writes: firms, their yearly figures, audit entries."""
    return tuple(row_count(model) for model in (Enterprise, YearlyFigures, AuditEntry))


def run_imports() -> int:
    """What the scheduler's poll does: claim every queued import job and run it."""
    db.session.commit()
    return run_queued_imports(Path(current_app.config["CRM_UPLOAD_FOLDER"]), utcnow())


def queue_upload(client: FlaskClient, content: str | bytes, name: str = "firms.csv") -> str:
    """Upload a file; return its job page's address."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    response = client.post(
        "/enterprises/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303, response.text
    return response.headers["Location"]


def upload(client: FlaskClient, content: str | bytes, name: str = "firms.csv") -> TestResponse:
    """Upload a file, let the scheduler check it, and open its preview."""
    page = queue_upload(client, content, name)
    run_imports()
    return client.get(page)


def confirm_url(html: str) -> str:
    match = re.search(r'action="(/enterprises/import/jobs/\d+/confirm)"', html)
    assert match is not None, html
    return match.group(1)


def confirm(client: FlaskClient, preview: TestResponse, **data: str) -> TestResponse:
    """Confirm a preview, let the scheduler apply it, and open the job's page."""
    posted = client.post(confirm_url(preview.text), data=data)
    assert posted.status_code == 303, posted.text
    run_imports()
    return client.get(posted.headers["Location"])

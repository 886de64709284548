"""A pipeline export is on the audit log with the rows it held, and an exact Content-Type."""

import pytest
from sqlalchemy import select

from models import AuditEntry, db
from tests.helpers import log_in


@pytest.mark.parametrize(
    ("file_format", "content_type"),
    [
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_a_pipeline_export_is_recorded_with_its_rows(
    client, leader, scored, file_format, content_type
):
    log_in(client, leader)

    response = client.get(f"/pipeline/export?format={file_format}&sub_district=jiangninglu")
    response.get_data()

    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export"))
    assert response.headers["Content-Type"] == content_type
    assert entry is not None
    assert (entry.actor_id, entry.entity_type) == (leader.id, "pipeline")
    assert {field: change[1] for field, change in entry.changes.items()} == {
        "format": file_format,
        "filters": {"sub_district": "jiangninglu", "sort": "name", "direction": "asc"},
        "rows": 4,
        "complete": True,
    }

"""Reading exported CSV and XLSX files back into rows of named cells, as a user's program would,
and writing the workbooks an office would upload."""

import codecs
import csv
import io
from typing import Any

import openpyxl
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from models import AuditEntry, db


def csv_rows(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(codecs.BOM_UTF8)  # Excel's sign that the file is UTF-8
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def xlsx_rows(content: bytes) -> list[dict[str, Any]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in rows]


def csv_file(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def office_workbook(rows: list[list[object]], merge_title: bool = False) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    if merge_title:
        sheet.merge_cells("A1:G1")  # the title spans the table, as offices centre it
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_entries() -> list[dict[str, Any]]:
    """What each export's audit entry recorded, oldest first, with the list it named."""
    db.session.expire_all()
    query = select(AuditEntry).where(AuditEntry.action == "export").order_by(AuditEntry.id)
    return [
        {"export": entry.entity_type, "actor_id": entry.actor_id}
        | {field: change[1] for field, change in entry.changes.items()}
        for entry in db.session.scalars(query)
    ]


def downloaded_export(client: FlaskClient, url: str) -> tuple[TestResponse, dict[str, Any]]:
    """A whole export, and its one audit entry: streamed, the entry is written once the last row
    has left."""
    response = client.get(url)
    body = response.data

    assert response.status_code == 200
    assert body
    [entry] = export_entries()
    return response, entry

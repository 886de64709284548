"""Admin pages: search the audit log, and restore deleted records."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import abort, render_template, request, url_for
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from crm import records
from crm.admin.views import admin_required, bp
from crm.audit_words import ACTIONS, RECORDS
from crm.form_views import commit_and_redirect
from models import db


@bp.route("/audit")
@admin_required
def audit_log() -> str:
    filters = records.AuditFilter(
        entity_type=request.args.get("entity_type", "").strip(),
        entity_id=request.args.get("entity_id", type=int),
        actor=request.args.get("actor", "").strip().lower(),
        action=request.args.get("action", "").strip(),
        since=_day(request.args.get("since")),
        until=_day(request.args.get("until")),
        zone=ZoneInfo(str(get_timezone() or UTC)),  # pytz zones cannot be given to replace()
    )
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    entries = records.audit_page(filters, page)
    return render_template(
        "admin/audit_log.html",
        entries=entries[: records.AUDIT_PAGE_SIZE],
        has_next=len(entries) > records.AUDIT_PAGE_SIZE,
        page=page,
        filters=filters,
        actions=list(ACTIONS),
        # A kind the list does not name yet (a new record type) stays choosable once searched for.
        record_kinds=list(dict.fromkeys([*RECORDS, *filter(None, [filters.entity_type])])),
    )


@bp.route("/deleted")
@admin_required
def deleted_records() -> str:
    return render_template(
        "admin/deleted_records.html",
        kinds=records.deleted_records(),
        record_name=records.record_name,
        shown=records.DELETED_SHOWN,
    )


@bp.post("/deleted/<kind>/<int:record_id>/restore")
@admin_required
def restore_record(kind: str, record_id: int) -> Response:
    model = records.DELETABLE.get(kind) or abort(404)
    record = db.session.get(model, record_id) or abort(404)
    records.restore(current_user, kind, record)  # type: ignore[arg-type]  # all have an id
    return commit_and_redirect(_("Restored."), url_for(".deleted_records"))


def _day(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None

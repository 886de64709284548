"""Bulk intake pages: the template, an upload checked into a preview, and the confirmation."""

import secrets
import time
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from crm.clock import utcnow
from crm.discovery import importing, scope
from crm.discovery.exporting import template_chunks
from crm.discovery.forms import ConfirmIntakeForm, IntakeForm
from crm.discovery.labels import choices
from crm.discovery.views import bp, event_options
from crm.enterprises.sheets import ImportFileError
from crm.errors import InvalidInputError
from crm.i18n import current_locale
from crm.spreadsheets.tables import MEDIA_TYPES
from crm.view_helpers import require
from models import SourceKind, db

TOKEN_BYTES = 16
# An upload not confirmed within a day is abandoned: the next upload removes it.
UPLOAD_LIFETIME_SECONDS = 24 * 60 * 60


@bp.route("/intake/template.xlsx")
@login_required
def intake_template() -> Response:
    require(scope.can_import(current_user))
    response = Response(b"".join(template_chunks(current_locale())), mimetype=MEDIA_TYPES["xlsx"])
    response.headers.set("Content-Disposition", "attachment", filename="discovery-template.xlsx")
    return response


@bp.route("/intake", methods=["GET", "POST"])
@login_required
def intake_candidates() -> tuple[str, int] | str:
    require(scope.can_import(current_user))
    form = IntakeForm()
    form.source_kind.choices = choices(SourceKind)
    form.event_id.choices = event_options(form.event_id.data)
    if not form.validate_on_submit():
        page = render_template("discovery/intake.html", form=form, columns=importing.COLUMNS)
        return page, 422 if form.is_submitted() else 200
    file_name, content = form.file.data.filename or "", form.file.data.read()
    source = importing.IntakeSource(
        form.source_kind.data or "", form.source_name.data or None, form.event_id.data or None
    )
    token = secrets.token_hex(TOKEN_BYTES)
    report, problem = _check(file_name, content, source, dry_run=True)
    if problem is not None:
        form.file.errors = [*form.file.errors, problem]
        return render_template("discovery/intake.html", form=form, columns=importing.COLUMNS), 422
    suffix = file_name.rsplit(".", 1)[-1].lower()
    _forget_abandoned(_stored(token, suffix).parent)
    _stored(token, suffix).write_bytes(content)
    confirm = ConfirmIntakeForm(
        formdata=None,
        token=f"{token}.{suffix}",
        source_kind=source.source_kind,
        source_name=source.source_name or "",
        event_id=str(source.event_id or ""),
    )
    return render_template("discovery/intake_preview.html", report=report, confirm=confirm)


@bp.route("/intake/confirm", methods=["POST"])
@login_required
def confirm_intake() -> tuple[str, int] | Response:
    require(scope.can_import(current_user))
    form = ConfirmIntakeForm()
    token, _dot, suffix = (form.token.data or "").partition(".")
    if not form.validate_on_submit() or not token.isalnum() or suffix not in {"csv", "xlsx"}:
        abort(400)
    path = _stored(token, suffix)
    if not path.exists():
        flash(_("This upload has expired: upload the file again."), "danger")
        return redirect(url_for(".intake_candidates"))
    event = form.event_id.data or ""
    source = importing.IntakeSource(
        form.source_kind.data or "",
        form.source_name.data or None,
        int(event) if event.isascii() and event.isdigit() and len(event) < 10 else None,
    )
    report, problem = _check(f"upload.{suffix}", path.read_bytes(), source, dry_run=False)
    if problem is not None or not report.applied:
        db.session.rollback()
        return render_template("discovery/intake_preview.html", report=report, confirm=None), 422
    db.session.commit()
    path.unlink(missing_ok=True)
    flash(
        _("%(count)d candidates taken in.", count=report.taken_in),
        "success",
    )
    return redirect(url_for(".list_candidates"))


def _check(
    file_name: str, content: bytes, source: importing.IntakeSource, *, dry_run: bool
) -> tuple[importing.IntakeReport, str | None]:
    try:
        report = importing.intake_file(
            current_user, file_name, content, source, utcnow(), dry_run=dry_run
        )
    except ImportFileError as unreadable:
        return importing.IntakeReport(), unreadable.message
    except InvalidInputError as invalid:
        return importing.IntakeReport(), " ".join(m for ms in invalid.errors.values() for m in ms)
    return report, None


def _stored(token: str, suffix: str) -> Path:
    folder = Path(current_app.config["CRM_UPLOAD_FOLDER"]) / "discovery"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{token}.{suffix}"


def _forget_abandoned(folder: Path) -> None:
    oldest = time.time() - UPLOAD_LIFETIME_SECONDS
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < oldest:
            path.unlink(missing_ok=True)

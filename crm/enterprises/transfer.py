"""Import and export pages of the reservoir: files out, files in, and a preview in between."""

import io
import re
import secrets
import time
from pathlib import Path

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    session,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import to_user_timezone
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from crm import access
from crm.clock import utcnow
from crm.enterprises import columns, exporting, import_issues, importing, queries, sheets
from crm.enterprises.forms import ConfirmImportForm, ImportForm
from crm.enterprises.import_template import template_bytes
from crm.enterprises.views import bp
from crm.export_audit import RowTally, audited_stream
from crm.i18n import current_locale
from models import db

TOKEN_PATTERN = re.compile(r"[0-9a-f]{32}")
UPLOAD_SUFFIXES = (".csv", ".xlsx")
UPLOAD_MAX_AGE_SECONDS = 8 * 3600  # a working day, like the login session
# The stored upload has a random name; import issues are kept by the name the user gave it.
PENDING_FILE_NAME_KEY = "pending_import_file_name"


@bp.route("/export")
@login_required
def export_enterprises() -> Response:
    file_format = request.args.get("format", "csv")
    if file_format not in exporting.FORMATS:
        abort(400)
    filters = queries.ReservoirFilter.from_args(request.args)
    user, tally = current_user._get_current_object(), RowTally()
    chunks = exporting.export_chunks(user, filters, current_locale(), file_format, tally)
    details = {"format": file_format, "filters": filters.as_args()}
    audited = audited_stream(chunks, tally, user, "reservoir", details)
    day = to_user_timezone(utcnow()).date().isoformat()  # the date on the user's calendar
    # Streamed: the first bytes leave before the last firm is read (the context stays open).
    response = Response(stream_with_context(audited), mimetype=exporting.MEDIA_TYPES[file_format])
    response.headers.set(
        "Content-Disposition", "attachment", filename=f"reservoir-{day}.{file_format}"
    )
    return response


@bp.route("/import/template.xlsx")
@login_required
def import_template() -> Response:
    _require_import_rights()
    content = template_bytes(current_locale())
    return _download(content, "reservoir-template.xlsx", "xlsx")


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_enterprises() -> str | tuple[str, int]:
    _require_import_rights()
    form = ImportForm()
    if form.validate_on_submit():
        file_name, content = form.file.data.filename or "", form.file.data.read()
        try:
            sheet = sheets.read_sheet(file_name, content)
        except sheets.ImportFileError as unreadable:
            form.file.errors.append(unreadable.message)
        else:
            report = importing.import_sheet(current_user, sheet, utcnow(), dry_run=True)
            if report.errors:
                _record_issues(file_name, sheet, report)
            token = None if report.errors else _store_upload(file_name, content)
            if token:
                session[PENDING_FILE_NAME_KEY] = {"token": token, "file_name": file_name}
            return _preview(report, token)
    headers = [column.header(current_locale()) for column in columns.COLUMNS]
    return render_template("enterprises/import_enterprises.html", form=form, headers=headers)


@bp.route("/import/confirm", methods=["POST"])
@login_required
def confirm_import() -> Response | tuple[str, int]:
    _require_import_rights()
    form = ConfirmImportForm()
    path = _stored_upload(form.token.data) if form.validate_on_submit() else None
    if path is None:
        flash(_("This upload is unknown or has expired. Please upload the file again."), "danger")
        return redirect(url_for(".import_enterprises"))
    sheet = sheets.read_sheet(path.name, path.read_bytes())
    report = importing.import_sheet(current_user, sheet, utcnow(), dry_run=False)
    pending = session.pop(PENDING_FILE_NAME_KEY, None) or {}
    file_name = pending.get("file_name") if pending.get("token") == form.token.data else None
    if report.errors:  # the reservoir changed since the preview
        db.session.rollback()
        if file_name:
            _record_issues(file_name, sheet, report)
        return _preview(report, None)
    if file_name:
        import_issues.resolve_import_issues(file_name, utcnow())
    db.session.commit()
    path.unlink(missing_ok=True)
    flash(_imported_message(report), "success")
    return redirect(url_for(".list_enterprises"))


def _require_import_rights() -> None:
    if not access.can_edit_enterprises(current_user):
        abort(403)


def _record_issues(file_name: str, sheet: sheets.Sheet, report: importing.ImportReport) -> None:
    db.session.rollback()  # first undo the import, so this commit holds the issues alone
    found = import_issues.found_issues(sheet, report.errors)
    import_issues.record_import_issues(current_user, file_name, found, utcnow())
    db.session.commit()


def _preview(report: importing.ImportReport, token: str | None) -> tuple[str, int]:
    form = ConfirmImportForm(formdata=None, token=token) if token else None
    html = render_template("enterprises/preview_import.html", report=report, form=form)
    return html, 422 if report.errors else 200


def _imported_message(report: importing.ImportReport) -> str:
    return _(
        "Import done: %(created)d firms added, %(updated)d updated, %(figures)d rows of figures.",
        created=report.firms_to_create,
        updated=report.firms_to_update,
        figures=report.figure_rows,
    )


def _download(content: bytes, file_name: str, file_format: str) -> Response:
    mimetype = exporting.MEDIA_TYPES[file_format]
    return send_file(
        io.BytesIO(content), mimetype=mimetype, as_attachment=True, download_name=file_name
    )


def _upload_folder() -> Path:
    folder = Path(current_app.config["CRM_UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _store_upload(file_name: str, content: bytes) -> str:
    """Keep a checked file for the confirm step, named by a random token and its owner's id."""
    folder = _upload_folder()
    for earlier in folder.glob(f"{current_user.id}-*"):  # one pending import per user
        earlier.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    suffix = ".xlsx" if file_name.lower().endswith(".xlsx") else ".csv"
    (folder / f"{current_user.id}-{token}{suffix}").write_bytes(content)
    return token


def _stored_upload(token: str | None) -> Path | None:
    """The current user's pending file; another user's token simply finds nothing."""
    if not token or not TOKEN_PATTERN.fullmatch(token):
        return None
    for suffix in UPLOAD_SUFFIXES:
        path = _upload_folder() / f"{current_user.id}-{token}{suffix}"
        if path.is_file() and time.time() - path.stat().st_mtime < UPLOAD_MAX_AGE_SECONDS:
            return path
    return None

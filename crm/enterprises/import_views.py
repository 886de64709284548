"""Import pages of the reservoir: the template, an upload, its preview, and the confirmation."""

import io
from pathlib import Path

from flask import (
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from crm import access
from crm.clock import utcnow
from crm.enterprises import (
    exporting,
    file_format,
    import_changes,
    import_jobs,
    import_progress,
)
from crm.enterprises.forms import ConfirmImportForm, ImportForm
from crm.enterprises.import_template import template_bytes
from crm.enterprises.views import bp
from crm.i18n import current_locale
from crm.spreadsheets import tables as spreadsheet_export
from models import ImportJob, db


@bp.route("/import/template.xlsx")
@login_required
def import_template() -> Response:
    _require_import_rights()
    content = template_bytes(current_locale())
    return _download(content, "reservoir-template.xlsx", "xlsx")


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_enterprises() -> str | Response:
    _require_import_rights()
    form = ImportForm()
    if form.validate_on_submit():
        file_name, content = form.file.data.filename or "", form.file.data.read()
        job = import_jobs.queue_import(
            current_user, file_name, content, _upload_folder(), current_locale(), utcnow()
        )
        db.session.commit()
        return redirect(url_for(".show_import", job_id=job.id), 303)
    headers = [column.header(current_locale()) for column in file_format.COLUMNS]
    return render_template("enterprises/import_enterprises.html", form=form, headers=headers)


@bp.route("/import/jobs/<int:job_id>")
@login_required
def show_import(job_id: int) -> str:
    _require_import_rights()
    job = _owned_job(job_id)
    return _job_page(job, ConfirmImportForm(formdata=None))


@bp.route("/import/jobs/<int:job_id>/status")
@login_required
def import_status(job_id: int) -> Response:
    _require_import_rights()
    job = _owned_job(job_id)
    response = jsonify(import_progress.status(job, _upload_folder(), utcnow(), current_app.config))
    response.headers["Cache-Control"] = "no-store"  # polled: each answer must be fresh
    return response


@bp.route("/import/jobs/<int:job_id>/confirm", methods=["POST"])
@login_required
def confirm_import(job_id: int) -> Response | tuple[str, int]:
    _require_import_rights()
    job = _owned_job(job_id)
    form = ConfirmImportForm()
    if form.validate_on_submit():
        try:
            import_jobs.request_apply(job, accept_renames=bool(form.accept_renames.data))
        except import_jobs.RenamesNotAcceptedError as refused:
            form.accept_renames.errors = [refused.message]
        else:
            db.session.commit()
            return redirect(url_for(".show_import", job_id=job.id), 303)
    return _job_page(job, form), 422


@bp.route("/import/jobs/<int:job_id>/changes.csv")
@login_required
def download_import_changes(job_id: int) -> Response:
    _require_import_rights()
    report = import_jobs.job_report(_owned_job(job_id)) or abort(404)
    columns, rows = import_changes.change_table(report.changes)
    content = b"".join(spreadsheet_export.csv_chunks(columns, rows))
    return _download(content, f"import-{job_id}-changes.csv", "csv")


def _require_import_rights() -> None:
    if not access.can_edit_enterprises(current_user):
        abort(403)


def _owned_job(job_id: int) -> ImportJob:
    # A job whose process died says so now, rather than "checking" for ever.
    if import_jobs.end_interrupted_imports(utcnow()):
        db.session.commit()
    return import_jobs.owned_job(current_user, job_id)


def _job_page(job: ImportJob, form: ConfirmImportForm) -> str:
    status = import_progress.status(job, _upload_folder(), utcnow(), current_app.config)
    report = import_jobs.job_report(job)
    return render_template(
        "enterprises/preview_import.html", job=job, report=report, form=form, status=status
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

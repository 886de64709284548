"""The data-quality page for leaders and administrators."""

from flask import Blueprint, abort, current_app, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from crm import access
from crm.clock import today, utcnow
from crm.dashboard.access import can_read_dashboard
from crm.enterprises import import_issues
from crm.form_views import commit_and_redirect
from crm.labels import label
from crm.quality import queries
from crm.quality.snapshots import quality_figures
from crm.reference import all_of
from models import ImportIssue, SubDistrict, db

bp = Blueprint("quality", __name__, url_prefix="/quality")


def _require_quality_reader() -> None:
    # 404 rather than 403, like the other leaders' pages: others need not know it exists.
    if not can_read_dashboard(current_user):
        abort(404)


@bp.route("/")
@login_required
def show_quality() -> str:
    _require_quality_reader()
    max_firms = current_app.config["QUALITY_MAX_FIRMS_PER_MANAGER"]
    figures = quality_figures(today(), utcnow(), max_firms)
    db.session.commit()  # keeps the snapshot a first view of the day computed
    return render_template(
        "quality/show_quality.html",
        year=figures.year,
        max_firms=max_firms,
        computed_at=figures.computed_at,
        sub_districts={place.id: place for place in all_of(SubDistrict)},
        missing_figures=figures.missing_figures,
        without_manager=figures.without_manager,
        overloaded=figures.overloaded,
        # Live, unlike the counts above: an admin dismissing an issue sees it go at once.
        import_issues=queries.open_import_issues(),
        limit=queries.LIST_LIMIT,
        # Leaders read but do not edit: their fix links open the firm's page instead.
        can_fix=access.can_edit_enterprises(current_user),
        label=label,
    )


@bp.post("/import-issues/<int:issue_id>/dismiss")
@login_required
def dismiss_import_issue(issue_id: int) -> Response:
    # Issues are kept across sub-districts, so only those who may see the page may close one.
    _require_quality_reader()
    if not access.can_edit_enterprises(current_user):
        abort(404)
    issue = db.session.get(ImportIssue, issue_id) or abort(404)
    import_issues.dismiss_import_issue(current_user, issue, utcnow())
    return commit_and_redirect(_("Issue dismissed."), url_for(".show_quality"))

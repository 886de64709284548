"""The conversion statistics page and the candidate list's downloads."""

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from crm.discovery import exporting, scope, stats
from crm.discovery.labels import label
from crm.discovery.queries import CandidateFilter
from crm.discovery.scope import candidate_scope
from crm.discovery.views import bp
from crm.downloads import export_download


@bp.route("/statistics")
@login_required
def show_statistics() -> str:
    if not scope.can_see_statistics(current_user):
        abort(403)
    in_scope = candidate_scope(current_user)
    by_kind = stats.by_source_kind(in_scope)
    kind_rows = [(label(row.key), row) for row in by_kind]
    if by_kind:
        kind_rows.append((_("Total"), stats.total(by_kind)))
    by_name, by_event = stats.by_source_name(in_scope), stats.by_event(in_scope)
    name_rows = [(row.key, row) for row in by_name.rows]
    if by_name.other is not None:
        name_rows.append((_("Other sources"), by_name.other))
    event_rows = [
        (f"{event.name} {event.round or ''}".strip(), row) for event, row in by_event.rows
    ]
    if by_event.other is not None:
        event_rows.append((_("Other events"), by_event.other))
    return render_template(
        "discovery/show_statistics.html",
        kind_rows=kind_rows,
        name_rows=name_rows,
        event_rows=event_rows,
        names_truncated=by_name.is_truncated,
        events_truncated=by_event.is_truncated,
        top_rows=stats.TOP_ROWS,
    )


@bp.route("/export")
@login_required
def export_candidates() -> Response:
    filters = CandidateFilter.from_args(request.args)
    details = {"filters": filters.as_args()}
    return export_download(
        "discovery-candidates", exporting.export_candidates, details, filters=filters
    )

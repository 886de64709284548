"""Import and export pages of the reservoir (placeholder until written)."""

from flask_login import login_required

from crm.enterprises.views import bp


@bp.route("/export")
@login_required
def export_enterprises() -> str:
    raise NotImplementedError


@bp.route("/import")
@login_required
def import_enterprises() -> str:
    raise NotImplementedError

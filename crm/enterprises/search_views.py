"""GET /enterprises/search: the firm pickers' JSON (static/js/firm_search.js)."""

from flask import jsonify, request
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from crm.enterprises.firm_search import QUERY_MAX_LENGTH, SEARCH_LIMIT, search_firms
from crm.enterprises.views import bp
from crm.errors import record_id
from crm.i18n import current_locale


def _after_args() -> tuple[str, int] | None:
    name, firm_id = request.args.get("after_name"), request.args.get("after_id", "")
    after_id = record_id(firm_id)
    if name is None or after_id is None:
        return None
    return name[: QUERY_MAX_LENGTH * 2], after_id


@bp.route("/search")
@login_required
def search_enterprises() -> Response:
    rows = search_firms(current_user, request.args.get("q", ""), _after_args())
    locale = current_locale()
    firms = [
        {
            "id": row.id,
            "name": row.name,
            "uscc": row.uscc,
            "sub_district": row.SubDistrict.name_for(locale),
        }
        for row in rows
    ]
    return jsonify(firms=firms, limit=SEARCH_LIMIT)

"""The admins' routing table and the leaders' statistics, on the requests blueprint."""

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from crm.clock import today
from crm.errors import ForbiddenError, NotFoundError
from crm.form_views import save
from crm.i18n import current_locale
from crm.reference import all_of
from crm.requests import routing, stats
from crm.requests.forms import RouteForm
from crm.requests.labels import label
from crm.requests.views import bp
from models import Department, RequestCategory, Role


@bp.route("/routes")
@login_required
def list_routes() -> str:
    _admins_only()
    return render_template("requests/list_routes.html", routes=routing.routes(), label=label)


@bp.route("/routes/<category>", methods=["GET", "POST"])
@login_required
def edit_route(category: str) -> str | Response:
    _admins_only()
    if category not in set(RequestCategory):
        raise NotFoundError(_("Not found."))
    route = routing.route_of(RequestCategory(category))
    form = RouteForm(department=route.department.slug, due_days=route.due_days)
    form.department.choices = [
        (row.slug, row.name_for(current_locale())) for row in all_of(Department)
    ]
    if form.validate_on_submit():
        saved = save(
            form,
            lambda: routing.update_route(
                current_user, route.category, form.department.data or "", form.due_days.data or 0
            ),
            _("Routing saved."),
        )
        if saved.done:
            return redirect(url_for(".list_routes"))
    return render_template("requests/edit_route.html", form=form, route=route, label=label)


@bp.route("/stats")
@login_required
def show_stats() -> str:
    if current_user.role not in {Role.LEADER, Role.ADMIN}:
        raise ForbiddenError(_("Only district leaders see the request statistics."))
    return render_template("requests/show_stats.html", rows=stats.department_stats(today()))


def _admins_only() -> None:
    if current_user.role != Role.ADMIN:
        raise ForbiddenError(_("Only administrators change the routing table."))

"""The manager's "today" page, and the labelled counts the navigation bar shows every role."""

from dataclasses import dataclass

from flask import Blueprint, abort, current_app, g, render_template
from flask_login import current_user, login_required

from crm import keyset
from crm.clock import today
from crm.reminders import inbox
from crm.reminders.settings import ReminderSettings
from crm.requests.labels import label as request_label
from crm.today import queries
from models import Role, User

bp = Blueprint("today", __name__, url_prefix="/today")


@dataclass(frozen=True)
class NavBadges:
    reminders: int  # open reminders, as the inbox counts them
    today: keyset.Count | None  # a manager's: follow-ups due and requests waiting on them
    inbox: keyset.Count | None  # department staff's: requests their department still owes


def count_badges(user: User) -> NavBadges:
    day = today()
    return NavBadges(
        reminders=inbox.open_count(user, day),
        today=queries.due_now_count(user, day) if user.role == Role.MANAGER else None,
        inbox=(queries.waiting_on_department_count(user) if user.role == Role.DEPARTMENT else None),
    )


@bp.app_context_processor
def navigation_badges() -> dict[str, object]:
    def nav_badges() -> NavBadges | None:
        if not current_user.is_authenticated:
            return None
        # Once per request, however many times the page's layout asks.
        if "nav_badges" not in g:
            g.nav_badges = count_badges(current_user)
        badges: NavBadges = g.nav_badges
        return badges

    return {"nav_badges": nav_badges}


@bp.route("/")
@login_required
def show_today() -> str:
    if current_user.role != Role.MANAGER:
        abort(403)  # the page is a manager's round; the others land elsewhere (auth.index)
    settings = ReminderSettings.from_config(current_app.config)
    day = today()
    return render_template(
        "today/show_today.html",
        today=day,
        week_end=queries.end_of_week(day),
        visits=queries.visits_due(current_user, day, settings),
        follow_ups=queries.follow_ups_due(current_user, day),
        waiting=queries.requests_waiting(current_user),
        risks=queries.firms_at_risk(current_user),
        request_label=request_label,
    )

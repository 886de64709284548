"""The inbox: a user's reminders, done and snooze; and the leaders' weekly digest page."""

from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from crm.clock import today, utcnow
from crm.cursor_args import cursor_page
from crm.errors import InvalidInputError
from crm.form_views import commit_and_redirect
from crm.labels import label
from crm.reminders import escalations, inbox
from crm.reminders.backlog import backlog
from crm.reminders.digest import build_digest
from crm.reminders.forms import SnoozeForm
from crm.reminders.rules import ReminderSettings
from models import Role

bp = Blueprint("reminders", __name__, url_prefix="/reminders")


@bp.route("/")
@login_required
def show_inbox() -> str:
    try:
        view = inbox.InboxView(request.args.get("view", inbox.InboxView.OPEN))
    except ValueError:
        view = inbox.InboxView.OPEN
    per_page = current_app.config["CRM_PAGE_SIZE"]
    found = cursor_page(inbox.page_of_inbox, current_user, view, today(), per_page)
    return render_template(
        "reminders/show_inbox.html",
        items=found.items,
        page=found.page,
        backlog=backlog(current_user, today()) if view == inbox.InboxView.OPEN else [],
        horizon_days=inbox.backlog_days(),
        view=view,
        views=inbox.InboxView,
        snooze_form=SnoozeForm(),
        label_state=label,
    )


@bp.route("/<int:reminder_id>")
@login_required
def show_reminder(reminder_id: int) -> str | Response:
    """A reminder opened: a rolled-up escalation lists its firms, a page at a time."""
    reminder = inbox.own_reminder(current_user, reminder_id)
    (item,) = inbox.describe([reminder], today())
    if not escalations.is_rollup(reminder):
        return redirect(item.url)
    settings = ReminderSettings.from_config(current_app.config)
    page = request.args.get("page", 1, type=int) or 1
    firms = escalations.page_of_firms(
        reminder, today(), settings, page, current_app.config["CRM_PAGE_SIZE"]
    )
    return render_template(
        "reminders/show_reminder.html",
        item=item,
        firms=firms,
        snooze_form=SnoozeForm(),
        label_state=label,
    )


@bp.route("/<int:reminder_id>/done", methods=["POST"])
@login_required
def mark_done(reminder_id: int) -> Response:
    reminder = inbox.own_reminder(current_user, reminder_id)
    inbox.mark_done(current_user, reminder, utcnow())
    return commit_and_redirect(_("Reminder marked done."), _back())


@bp.route("/<int:reminder_id>/snooze", methods=["POST"])
@login_required
def snooze(reminder_id: int) -> Response:
    reminder = inbox.own_reminder(current_user, reminder_id)
    form = SnoozeForm()
    if not form.validate_on_submit():
        flash(_("Choose how long to snooze the reminder."), "danger")
        return redirect(_back())
    until = today() + timedelta(days=int(form.days.data or 1))
    try:
        inbox.snooze(current_user, reminder, until, today())
    except InvalidInputError as invalid:
        flash(" ".join(m for messages in invalid.errors.values() for m in messages), "danger")
        return redirect(_back())
    return commit_and_redirect(_("Reminder snoozed until %(day)s.", day=until.isoformat()), _back())


@bp.route("/digest")
@login_required
def show_digest() -> str:
    if current_user.role not in {Role.LEADER, Role.ADMIN}:
        abort(404)
    digest = build_digest(today(), ReminderSettings.from_config(current_app.config))
    return render_template("reminders/show_digest.html", digest=digest)


def _back() -> str:
    view = request.args.get("view", "open")
    known = {member.value for member in inbox.InboxView}
    return url_for(".show_inbox", view=view if view in known else "open")

"""The backlog: open reminders overdue longer than the horizon, one line per kind on the open tab.

A manager with 120 reminders, the oldest two years late, sees none of this week's work. Beyond
REMINDER_BACKLOG_DAYS the to-do list and the e-mail count each kind instead, with a link to the
full list; the reminders stay open and close as usual when their cause goes.
"""

from dataclasses import dataclass
from datetime import date

from flask import url_for
from flask_babel import ngettext
from sqlalchemy import case, distinct, func, literal

from crm.reminders.inbox import InboxView, backlog_days, inbox_query
from crm.reminders.rules import RecordKind, Rule
from models import Reminder, User, db


@dataclass(frozen=True)
class BacklogLine:
    """One kind of reminder overdue longer than the horizon, counted instead of listed."""

    kind: str  # a record kind, or "figures"
    count: int
    text: str  # "38 visits overdue more than 90 days"
    url: str  # the full list


BACKLOG_KIND = case(
    (Reminder.rule == Rule.FIGURES_MISSING.value, literal("figures")), else_=Reminder.record_kind
)


def backlog(user: User, today: date, horizon_days: int | None = None) -> list[BacklogLine]:
    """The open tab's summary of what is overdue beyond the horizon: one line per kind, counting
    records, not reminders (a department head is reminded twice of a late request)."""
    days = backlog_days() if horizon_days is None else horizon_days
    query = inbox_query(user, InboxView.BACKLOG, today, days).order_by(None)
    rows = db.session.execute(
        query.with_only_columns(BACKLOG_KIND, func.count(distinct(Reminder.record_id)))
        .group_by(BACKLOG_KIND)
        .order_by(BACKLOG_KIND)
    )
    return [_backlog_line(str(kind), count, days) for kind, count in rows]


def _backlog_line(kind: str, count: int, days: int) -> BacklogLine:
    full_list = url_for("reminders.show_inbox", view=InboxView.BACKLOG.value)
    if kind == RecordKind.ENTERPRISE:
        text = ngettext(
            "%(num)d visit overdue more than %(days)d days",
            "%(num)d visits overdue more than %(days)d days",
            count,
            days=days,
        )
        full_list = url_for("visits.list_overdue")
    elif kind == RecordKind.REQUEST:
        text = ngettext(
            "%(num)d request overdue more than %(days)d days",
            "%(num)d requests overdue more than %(days)d days",
            count,
            days=days,
        )
        full_list = url_for("requests.list_requests", overdue=1)
    elif kind == RecordKind.FOLLOW_UP:
        text = ngettext(
            "%(num)d follow-up action overdue more than %(days)d days",
            "%(num)d follow-up actions overdue more than %(days)d days",
            count,
            days=days,
        )
    elif kind == RecordKind.PACKAGE_ITEM:
        text = ngettext(
            "%(num)d support milestone overdue more than %(days)d days",
            "%(num)d support milestones overdue more than %(days)d days",
            count,
            days=days,
        )
    elif kind in {RecordKind.LISTING_TRACK, RecordKind.LISTING_BLOCKER}:
        text = ngettext(
            "%(num)d listing reminder overdue more than %(days)d days",
            "%(num)d listing reminders overdue more than %(days)d days",
            count,
            days=days,
        )
        full_list = url_for("listings.list_tracks")
    elif kind == RecordKind.DISCOVERY_CANDIDATE:
        text = ngettext(
            "%(num)d discovery candidate overdue more than %(days)d days",
            "%(num)d discovery candidates overdue more than %(days)d days",
            count,
            days=days,
        )
        full_list = url_for("discovery.list_candidates")
    elif kind in {RecordKind.NOMINATION, RecordKind.NOMINATION_BATCH}:
        text = ngettext(
            "%(num)d white-list reminder overdue more than %(days)d days",
            "%(num)d white-list reminders overdue more than %(days)d days",
            count,
            days=days,
        )
        full_list = url_for("credit.show_credit")
    elif kind == "figures":
        text = ngettext(
            "%(num)d firm's yearly figures missing for more than %(days)d days",
            "%(num)d firms' yearly figures missing for more than %(days)d days",
            count,
            days=days,
        )
    else:
        text = ngettext(
            "%(num)d reminder overdue more than %(days)d days",
            "%(num)d reminders overdue more than %(days)d days",
            count,
            days=days,
        )
    return BacklogLine(kind, count, text, full_list)

"""Translated names of the reminder rules and states."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from crm.labels import register
from crm.reminders.rules import Rule
from models import ReminderState

LABELS: dict[StrEnum, object] = register(
    {
        Rule.VISIT_UPCOMING: _l("Visit due soon"),
        Rule.VISIT_DUE: _l("Visit due"),
        Rule.VISIT_ESCALATED: _l("Visits a month late"),
        Rule.FOLLOW_UP_UPCOMING: _l("Follow-up action due soon"),
        Rule.FOLLOW_UP_DUE: _l("Follow-up action due"),
        Rule.REQUEST_DUE: _l("Request due"),
        Rule.REQUEST_OVERDUE: _l("Request overdue"),
        Rule.PACKAGE_DISBURSEMENT: _l("Support to disburse"),
        Rule.PACKAGE_REVIEW: _l("Support to review"),
        Rule.FIGURES_MISSING: _l("Yearly figures missing"),
        Rule.WEEKLY_DIGEST: _l("Weekly digest"),
        Rule.LISTING_STALLED: _l("Listing stage unmoved"),
        Rule.LISTING_BLOCKER_OVERDUE: _l("Listing blocker overdue"),
        Rule.DISCOVERY_SCREENING_DUE: _l("Candidate awaiting screening"),
        Rule.DISCOVERY_WATCH_DUE: _l("Watched candidate to review"),
        Rule.CREDIT_RENEWAL_DUE: _l("White-list renewal due"),
        Rule.CREDIT_DECISION_PENDING: _l("Bank decisions awaited"),
        ReminderState.OPEN: _l("Open"),
        ReminderState.DONE: _l("Done"),
        ReminderState.CLOSED: _l("Closed: cause gone"),
    }
)

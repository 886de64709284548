"""Discovery reminders: a candidate still unscreened N days after intake, and a watched one
whose watch has ended. To the managers of its sub-district; to every leader while unassigned.

Both close themselves: a decision (or, for the first, a decision of any kind) takes the
candidate out of the rule's states, and a deleted candidate is no longer found.
"""

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Date as DateType
from sqlalchemy import Integer, Select, and_, literal, or_, type_coerce, union_all

from crm.reminders.due import DueQuery, RecordKind, Rule, active_user, due_rows
from crm.reminders.settings import ReminderSettings
from crm.reminders.sql_dates import days_after, whole_days
from models import CandidateState, DiscoveryCandidate, Role, User


def _to_screeners(rule: Rule, due_on: Any) -> Select[Any]:
    """One row per recipient: the sub-district's active managers, or every active leader."""
    manager = and_(
        active_user(Role.MANAGER), User.sub_district_id == DiscoveryCandidate.sub_district_id
    )
    leader = and_(active_user(Role.LEADER), DiscoveryCandidate.sub_district_id.is_(None))
    return (
        due_rows(
            rule,
            RecordKind.DISCOVERY_CANDIDATE,
            DiscoveryCandidate.id,
            due_on,
            User.id,
            literal(None, Integer),
        )
        .select_from(DiscoveryCandidate)
        .join(User, or_(manager, leader))
        .where(DiscoveryCandidate.deleted_at.is_(None))
    )


def discovery_reminders(today: date, settings: ReminderSettings) -> DueQuery:
    days = settings.discovery_screening_days
    screening_due = type_coerce(
        days_after(DiscoveryCandidate.received_on, whole_days(literal(days))), DateType
    )
    unscreened = _to_screeners(Rule.DISCOVERY_SCREENING_DUE, screening_due).where(
        DiscoveryCandidate.state.in_([CandidateState.NEW, CandidateState.SCREENING]),
        DiscoveryCandidate.received_on <= today - timedelta(days=days),
    )
    watched = _to_screeners(Rule.DISCOVERY_WATCH_DUE, DiscoveryCandidate.watch_until).where(
        DiscoveryCandidate.state == CandidateState.WATCHING,
        DiscoveryCandidate.watch_until.is_not(None),
        DiscoveryCandidate.watch_until <= today,
    )
    return union_all(unscreened, watched)

"""The firms inside a rolled-up escalation, read when it is opened and when it is mailed.

A rolled-up reminder stores its leader, sub-district and week, and how many firms the last scan
found (`item_count`: the inbox shows it without reading the district); its firms are those the
rule finds now (crm.reminders.rules.escalated_visits), so a firm visited leaves the list at once
and the scan closes the reminder when none is left.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, select

from crm.keyset import offset_of
from crm.reminders.rules import RecordKind, ReminderSettings, Rule, escalated_visits
from crm.reminders.visit_due import visit_due_query
from models import Enterprise, Reminder, db

SAMPLE_FIRMS = 5  # firms named in an e-mail; the inbox lists them all, a page at a time


@dataclass(frozen=True)
class LateFirm:
    enterprise: Enterprise
    due_on: date
    days_late: int


@dataclass(frozen=True)
class FirmPage:
    firms: list[LateFirm]
    total: int
    page: int
    page_count: int


def is_rollup(reminder: Reminder) -> bool:
    return reminder.rule == Rule.VISIT_ESCALATED and reminder.record_kind == RecordKind.SUB_DISTRICT


def _late(sub_district_ids: list[int], today: date, settings: ReminderSettings) -> Any:
    firm = visit_due_query(settings, sub_district_ids).subquery("visit_due")
    return escalated_visits(firm, today, settings).subquery("late")


def _firms_of(rollup: Reminder, today: date, settings: ReminderSettings) -> Select[Any]:
    late = _late([rollup.record_id], today, settings)
    return (
        select(Enterprise, late.c.due_on)
        .join(late, late.c.enterprise_id == Enterprise.id)
        .where(late.c.leader_id == rollup.recipient_id)
        .order_by(late.c.due_on, Enterprise.id)  # the longest overdue first
    )


def page_of_firms(
    rollup: Reminder, today: date, settings: ReminderSettings, page: int, per_page: int
) -> FirmPage:
    """One page of the rollup's firms: a neglected sub-district may hold thousands.

    One read of the sub-district's due dates (about a second for 7,000 firms at district scale):
    the pages are counted from the last scan's `item_count`, not by a second read."""
    total = rollup.item_count or 0
    page_count = max(1, -(-total // per_page))
    page = min(max(page, 1), page_count)
    query = _firms_of(rollup, today, settings).limit(per_page).offset(offset_of(page, per_page))
    rows = db.session.execute(query)
    firms = [LateFirm(firm, due_on, (today - due_on).days) for firm, due_on in rows]
    return FirmPage(firms, total, page, page_count)


def sample_firms(rollup: Reminder, today: date, settings: ReminderSettings) -> list[LateFirm]:
    return page_of_firms(rollup, today, settings, 1, SAMPLE_FIRMS).firms

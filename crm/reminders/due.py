"""What a reminder rule yields: the rules and record kinds, the `Due` row, and the helpers every
finder builds its rows with (here, not in crm.reminders.rules, so that a domain's own finder module
can import them while crm.reminders.rules imports that finder)."""

import enum
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, CompoundSelect, Integer, Select, String, and_, literal, select

from models import Role, User


class Rule(enum.StrEnum):
    VISIT_UPCOMING = "visit_upcoming"  # to the manager, the lead days before the visit is due
    VISIT_DUE = "visit_due"  # to the manager, from the due day until a visit is logged
    # To a leader, once visits are far behind: one per sub-district and week, listing the firms.
    VISIT_ESCALATED = "visit_escalated"
    FOLLOW_UP_UPCOMING = "follow_up_upcoming"  # to the action's owner, before its due date
    FOLLOW_UP_DUE = "follow_up_due"  # ... and from the due date until it is done
    REQUEST_DUE = "request_due"  # to the department's staff, as the due date nears
    REQUEST_OVERDUE = "request_overdue"  # to the department's head and the firm's manager
    PACKAGE_DISBURSEMENT = "package_disbursement"  # support to reach the firm by a date
    PACKAGE_REVIEW = "package_review"  # whether the support met its goal
    FIGURES_MISSING = "figures_missing"  # last complete year's figures not entered
    WEEKLY_DIGEST = "weekly_digest"  # written by the digest job, not found by the scan
    LISTING_STALLED = "listing_stalled"  # a listing track's stage unmoved for months
    LISTING_BLOCKER_OVERDUE = "listing_blocker_overdue"  # a listing blocker past its due date
    DISCOVERY_SCREENING_DUE = "discovery_screening_due"  # a candidate unscreened too long
    DISCOVERY_WATCH_DUE = "discovery_watch_due"  # a watched candidate's watch has ended
    CREDIT_RENEWAL_DUE = "credit_renewal_due"  # a listed firm's white-list renewal nears
    CREDIT_DECISION_PENDING = "credit_decision_pending"  # a bank slow to decide a batch


class RecordKind(enum.StrEnum):
    ENTERPRISE = "enterprise"
    FOLLOW_UP = "follow_up"
    REQUEST = "request"
    PACKAGE_ITEM = "package_item"
    DIGEST = "digest"
    SUB_DISTRICT = "sub_district"  # a rolled-up escalation: the firms of one sub-district
    LISTING_TRACK = "listing_track"
    LISTING_BLOCKER = "listing_blocker"
    DISCOVERY_CANDIDATE = "discovery_candidate"
    NOMINATION = "nomination"
    NOMINATION_BATCH = "nomination_batch"


@dataclass(frozen=True)
class Due:
    rule: Rule
    record_kind: RecordKind
    record_id: int
    due_on: date
    recipient_id: int
    enterprise_id: int | None

    @property
    def key(self) -> tuple[str, str, int, date, int]:
        return (self.rule, self.record_kind, self.record_id, self.due_on, self.recipient_id)


DueQuery = Select[Any] | CompoundSelect


def due_rows(
    rule: Rule | ColumnElement[str],
    kind: RecordKind,
    record_id: Any,
    due_on: Any,
    recipient_id: Any,
    firm: Any,
    item_count: Any = None,
) -> Select[Any]:
    """A rule's rows, in the columns (and order) of a reminder's key, firm and item count."""
    return select(
        (literal(rule.value, String) if isinstance(rule, Rule) else rule).label("rule"),
        literal(kind.value, String).label("record_kind"),
        record_id.label("record_id"),
        due_on.label("due_on"),
        recipient_id.label("recipient_id"),
        firm.label("enterprise_id"),
        (literal(None, Integer) if item_count is None else item_count).label("item_count"),
    )


def active_user(role: Role, user: Any = User) -> Any:
    return and_(user.role == role, user.is_active_account)

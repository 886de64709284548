"""The listing pipeline's reminders: a track whose stage has not moved for months, and a blocker
past the day it was to be cleared by. Each closes itself once the track moves (or halts, or
lists) and once the blocker's request is resolved."""

from datetime import date
from typing import Any

from sqlalchemy import exists, literal, union_all
from sqlalchemy.orm import aliased

from crm.reminders.due import DueQuery, RecordKind, Rule, active_user, due_rows
from crm.reminders.settings import ReminderSettings
from crm.reminders.sql_dates import months_after
from crm.requests.workflow import PENDING_STATES
from models import (
    Enterprise,
    EnterpriseRequest,
    ListingBlocker,
    ListingStage,
    ListingTrack,
    Role,
    User,
)

# On their way: a listed, paused or withdrawn track is not stalled.
MOVING_STAGES = (
    ListingStage.CANDIDATE,
    ListingStage.SHAREHOLDING_REFORM,
    ListingStage.SPONSOR_SIGNED,
    ListingStage.TUTORING_FILED,
    ListingStage.APPLICATION_ACCEPTED,
    ListingStage.INQUIRY,
    ListingStage.APPROVED,
)


def listing_reminders(today: date, settings: ReminderSettings) -> DueQuery:
    due_on = months_after(ListingTrack.stage_since, literal(settings.listing_stall_months))
    contact = aliased(User)
    # The firm's contact leader hears of it too, if there is an active one.
    has_contact = exists().where(
        contact.id == Enterprise.contact_leader_id, active_user(Role.LEADER, contact)
    )

    def stalled(recipient_id: Any) -> Any:
        return (
            due_rows(
                Rule.LISTING_STALLED,
                RecordKind.LISTING_TRACK,
                ListingTrack.id,
                due_on,
                recipient_id,
                ListingTrack.enterprise_id,
            )
            .join(Enterprise, Enterprise.id == ListingTrack.enterprise_id)
            .where(
                ListingTrack.deleted_at.is_(None),
                Enterprise.deleted_at.is_(None),
                ListingTrack.stage.in_(MOVING_STAGES),
                due_on <= today,
            )
        )

    overdue_blockers = (
        due_rows(
            Rule.LISTING_BLOCKER_OVERDUE,
            RecordKind.LISTING_BLOCKER,
            ListingBlocker.id,
            EnterpriseRequest.due_on,
            Enterprise.manager_id,
            ListingTrack.enterprise_id,
        )
        .join(ListingTrack, ListingTrack.id == ListingBlocker.track_id)
        .join(EnterpriseRequest, EnterpriseRequest.id == ListingBlocker.request_id)
        .join(Enterprise, Enterprise.id == ListingTrack.enterprise_id)
        .where(
            ListingTrack.deleted_at.is_(None),
            EnterpriseRequest.deleted_at.is_(None),
            Enterprise.deleted_at.is_(None),
            Enterprise.manager_id.is_not(None),
            EnterpriseRequest.state.in_(PENDING_STATES),
            EnterpriseRequest.due_on < today,
        )
    )
    return union_all(
        stalled(Enterprise.manager_id).where(Enterprise.manager_id.is_not(None)),
        stalled(Enterprise.contact_leader_id).where(has_contact),
        overdue_blockers,
    )

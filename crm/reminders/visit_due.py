"""When each operating firm's next visit is due, for all firms in one query.

The cadence of its tier after its last visit (after it joined the reservoir, if never visited);
sooner if the last visit planned an earlier one, or if its score rose sharply since.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from typing import cast as typed

from sqlalchemy import (
    ColumnElement,
    Date,
    FromClause,
    Select,
    Table,
    case,
    cast,
    func,
    literal,
    null,
    select,
    true,
    type_coerce,
)
from sqlalchemy.orm import aliased

from crm.pipeline.ranking import latest_runs
from crm.reminders.settings import ReminderSettings
from crm.reminders.sql_dates import day_of, days_after, earlier, whole_days
from models import Enterprise, EnterpriseStatus, PotentialScore, Tier, Visit, db


@dataclass(frozen=True)
class VisitDue:
    enterprise_id: int
    sub_district_id: int
    manager_id: int | None
    contact_leader_id: int | None
    due_on: date


def sharp_rises(threshold: float) -> tuple[Select[Any], date] | None:
    """Firms whose percentile rose by `threshold` or more between the last two scoring runs, and
    the day of the later run. Runs of different models are not compared: their scales differ."""
    latest, previous = latest_runs()
    if latest is None or previous is None or latest.model_version_id != previous.model_version_id:
        return None
    before = aliased(PotentialScore)
    risen = (
        select(PotentialScore.enterprise_id)
        .join(
            before,
            (before.enterprise_id == PotentialScore.enterprise_id) & (before.run_id == previous.id),
        )
        .where(
            PotentialScore.run_id == latest.id,
            # A rise of exactly the threshold counts, whatever floating point makes of it.
            PotentialScore.percentile - before.percentile >= threshold - 1e-9,
        )
    )
    return risen, latest.as_of


def _last_visit() -> tuple[FromClause, ColumnElement[bool]]:
    """Each firm's last visit, by one index seek per firm on (enterprise, deleted, visited, id):
    a window over all visits sorts a million rows to keep one per firm."""
    latest_first = (
        select(Visit.id, Visit.visited_on, Visit.next_visit_on)
        .where(Visit.enterprise_id == Enterprise.id, Visit.deleted_at.is_(None))
        .order_by(Visit.visited_on.desc(), Visit.id.desc())
        .limit(1)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        # Joined by id instead, PostgreSQL hashes all million visits and seeks twice per firm.
        return latest_first.lateral("last_visit"), true()
    # SQLite has no LATERAL: the seek gives the id, and the row is read by its key.
    last = typed(Table, Visit.__table__).alias("last_visit")
    last_id = latest_first.with_only_columns(Visit.id).correlate(Enterprise).scalar_subquery()
    return last, last.c.id == last_id


def visit_due_query(
    settings: ReminderSettings, sub_district_ids: list[int] | None = None
) -> Select[Any]:
    """enterprise_id, sub_district_id, manager_id, contact_leader_id and due_on of each firm (of
    the given sub-districts only: a leader's list of one sub-district reads only its firms)."""
    last, is_found = _last_visit()
    cadence = settings.visit_cadence_days
    since = func.coalesce(last.c.visited_on, day_of(Enterprise.created_at))
    firms = (
        select(
            Enterprise.id.label("enterprise_id"),
            Enterprise.sub_district_id,
            Enterprise.manager_id,
            Enterprise.contact_leader_id,
            type_coerce(since, Date).label("since"),
            last.c.next_visit_on.label("planned_on"),  # only the last visit's plan: older are stale
            case(
                {tier.value: cadence.get(tier.value, cadence["reservoir"]) for tier in Tier},
                value=Enterprise.tier,
                else_=cadence["reservoir"],
            ).label("cadence_days"),
        )
        .outerjoin(last, is_found)
        .where(Enterprise.deleted_at.is_(None), Enterprise.status == EnterpriseStatus.ACTIVE)
    )
    if sub_district_ids is not None:
        firms = firms.where(Enterprise.sub_district_id.in_(sub_district_ids))
    if (rises := sharp_rises(settings.sharp_rise)) is not None:
        # A join, not IN: the scores are read once, however often the due date names them.
        risen_query, risen_on = rises
        risen = risen_query.subquery("risen")
        sooner = risen_on + timedelta(days=settings.sharp_rise_visit_days)
        risen_since_visit = risen.c.enterprise_id.is_not(None) & (literal(risen_on) > since)
        firms = firms.outerjoin(risen, risen.c.enterprise_id == Enterprise.id).add_columns(
            case((risen_since_visit, literal(sooner, Date))).label("risen_due")
        )
    else:
        firms = firms.add_columns(cast(null(), Date).label("risen_due"))
    since_visit = firms.subquery("firm_since")
    due = earlier(
        earlier(
            days_after(since_visit.c.since, whole_days(since_visit.c.cadence_days)),
            case((since_visit.c.planned_on > since_visit.c.since, since_visit.c.planned_on)),
        ),
        since_visit.c.risen_due,
    )
    return select(
        since_visit.c.enterprise_id,
        since_visit.c.sub_district_id,
        since_visit.c.manager_id,
        since_visit.c.contact_leader_id,
        type_coerce(due, Date).label("due_on"),
    )


def visit_due_dates(settings: ReminderSettings) -> list[VisitDue]:
    return [VisitDue(*row) for row in db.session.execute(visit_due_query(settings))]


def overdue_visits_by_sub_district(today: date, settings: ReminderSettings) -> dict[int, int]:
    """Firms per sub-district whose visit was due before `today`."""
    due = visit_due_query(settings).subquery()
    counts = db.session.execute(
        select(due.c.sub_district_id, func.count())
        .where(due.c.due_on < today)
        .group_by(due.c.sub_district_id)
    )
    return dict(counts.all())

"""The leaders' figures per department, computed in Python from the request rows."""

import statistics
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from crm.reference import all_of
from crm.requests.workflow import PENDING_STATES, is_overdue
from models import Department, EnterpriseRequest, RequestState, db


@dataclass(frozen=True)
class DepartmentStats:
    department: Department
    total: int  # every live request now routed to the department
    open_count: int  # open, accepted or in progress
    overdue_count: int
    closed_count: int
    closure_rate: float | None  # closed / total; None when the department has no request
    median_days_to_resolution: float | None  # raised_on to resolved_at, over resolved requests


def department_stats(today: date) -> list[DepartmentStats]:
    rows = list(
        db.session.scalars(select(EnterpriseRequest).where(EnterpriseRequest.deleted_at.is_(None)))
    )
    return [
        _stats_of(department, [r for r in rows if r.department_id == department.id], today)
        for department in all_of(Department)
    ]


def _stats_of(
    department: Department, rows: list[EnterpriseRequest], today: date
) -> DepartmentStats:
    closed = sum(1 for row in rows if row.state == RequestState.CLOSED)
    days = [
        (row.resolved_at.date() - row.raised_on).days for row in rows if row.resolved_at is not None
    ]
    return DepartmentStats(
        department=department,
        total=len(rows),
        open_count=sum(1 for row in rows if row.state in PENDING_STATES),
        overdue_count=sum(1 for row in rows if is_overdue(row, today)),
        closed_count=closed,
        closure_rate=closed / len(rows) if rows else None,
        median_days_to_resolution=statistics.median(days) if days else None,
    )

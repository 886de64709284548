"""The leaders' request figures per department or per category, computed from the request rows."""

import statistics
from collections.abc import Callable, Hashable, Iterable
from dataclasses import asdict, dataclass
from datetime import date
from typing import TypeVar

from sqlalchemy import ColumnElement, select

from crm.reference import all_of
from crm.requests.workflow import PENDING_STATES, is_overdue
from models import Department, EnterpriseRequest, RequestCategory, RequestState, db

GroupKey = TypeVar("GroupKey", bound=Hashable)


@dataclass(frozen=True)
class RequestFigures:
    total: int  # every live request among the rows
    open_count: int  # open, accepted or in progress
    overdue_count: int
    closed_count: int
    closure_rate: float | None  # closed / total; None when there is no request
    median_days_to_resolution: float | None  # raised_on to resolved_at, over resolved requests


@dataclass(frozen=True)
class DepartmentStats(RequestFigures):
    department: Department


@dataclass(frozen=True)
class CategoryStats(RequestFigures):
    category: RequestCategory


def live_requests(*clauses: ColumnElement[bool]) -> list[EnterpriseRequest]:
    """Requests not deleted, narrowed by `clauses` (a period, the firms in view)."""
    query = select(EnterpriseRequest).where(EnterpriseRequest.deleted_at.is_(None), *clauses)
    return list(db.session.scalars(query))


def request_figures(rows: list[EnterpriseRequest], today: date) -> RequestFigures:
    closed = sum(1 for row in rows if row.state == RequestState.CLOSED)
    days = [
        (row.resolved_at.date() - row.raised_on).days for row in rows if row.resolved_at is not None
    ]
    return RequestFigures(
        total=len(rows),
        open_count=sum(1 for row in rows if row.state in PENDING_STATES),
        overdue_count=sum(1 for row in rows if is_overdue(row, today)),
        closed_count=closed,
        closure_rate=closed / len(rows) if rows else None,
        median_days_to_resolution=statistics.median(days) if days else None,
    )


def grouped_figures(
    rows: Iterable[EnterpriseRequest],
    group_of: Callable[[EnterpriseRequest], GroupKey],
    groups: Iterable[GroupKey],
    today: date,
) -> dict[GroupKey, RequestFigures]:
    """Figures of every group in `groups`, in their order; a group without requests gets zeros."""
    by_group: dict[GroupKey, list[EnterpriseRequest]] = {group: [] for group in groups}
    for row in rows:
        by_group.setdefault(group_of(row), []).append(row)
    return {group: request_figures(members, today) for group, members in by_group.items()}


def department_stats(today: date, *clauses: ColumnElement[bool]) -> list[DepartmentStats]:
    """Per department, every live request now routed to it (narrowed by `clauses`)."""
    departments = all_of(Department)
    figures = grouped_figures(
        live_requests(*clauses), lambda row: row.department_id, [d.id for d in departments], today
    )
    return [
        DepartmentStats(department=department, **asdict(figures[department.id]))
        for department in departments
    ]


def category_stats(today: date, *clauses: ColumnElement[bool]) -> list[CategoryStats]:
    """Per category, in the enum's order, every live request of it (narrowed by `clauses`)."""
    figures = grouped_figures(
        live_requests(*clauses), lambda row: row.category, list(RequestCategory), today
    )
    return [
        CategoryStats(category=category, **asdict(figures[category]))
        for category in RequestCategory
    ]

"""The leaders' request figures per department or per category, counted by SQL per group."""

import statistics
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, and_, case, func, select

from crm.reference import all_of
from crm.requests.workflow import PENDING_STATES
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


def _figures_by(
    group: Any,
    groups: Iterable[GroupKey],
    today: date,
    clauses: tuple[ColumnElement[bool], ...],
    medians: bool,
) -> dict[GroupKey, RequestFigures]:
    """Figures of every group in `groups`, in their order; a group without requests gets zeros.

    Counted by SQL per group; only the resolved requests' two dates come back, for the medians
    (left None with `medians=False`, for a caller that does not show them).
    """
    live = (EnterpriseRequest.deleted_at.is_(None), *clauses)
    pending = EnterpriseRequest.state.in_(PENDING_STATES)
    overdue = and_(pending, EnterpriseRequest.due_on < today)  # workflow.is_overdue, in SQL
    closed = EnterpriseRequest.state == RequestState.CLOSED
    counts = {
        key: (total, int(open_count or 0), int(overdue_count or 0), int(closed_count or 0))
        for key, total, open_count, overdue_count, closed_count in db.session.execute(
            select(
                group,
                func.count(),
                func.sum(case((pending, 1), else_=0)),
                func.sum(case((overdue, 1), else_=0)),
                func.sum(case((closed, 1), else_=0)),
            )
            .where(*live)
            .group_by(group)
        )
    }
    days: dict[GroupKey, list[int]] = defaultdict(list)
    resolved = select(group, EnterpriseRequest.raised_on, EnterpriseRequest.resolved_at).where(
        *live, EnterpriseRequest.resolved_at.is_not(None)
    )
    for key, raised_on, resolved_at in db.session.execute(resolved) if medians else ():
        days[key].append((resolved_at.date() - raised_on).days)
    return {
        key: _figures(*counts.get(key, (0, 0, 0, 0)), days.get(key, []))
        for key in [*groups, *(key for key in counts if key not in groups)]
    }


def _figures(total: int, open_: int, overdue: int, closed: int, days: list[int]) -> RequestFigures:
    return RequestFigures(
        total=total,
        open_count=open_,
        overdue_count=overdue,
        closed_count=closed,
        closure_rate=closed / total if total else None,
        median_days_to_resolution=statistics.median(days) if days else None,
    )


def department_stats(
    today: date, *clauses: ColumnElement[bool], medians: bool = True
) -> list[DepartmentStats]:
    """Per department, every live request now routed to it (narrowed by `clauses`)."""
    departments = all_of(Department)
    figures = _figures_by(
        EnterpriseRequest.department_id, [d.id for d in departments], today, clauses, medians
    )
    return [
        DepartmentStats(department=department, **asdict(figures[department.id]))
        for department in departments
    ]


def category_stats(
    today: date, *clauses: ColumnElement[bool], medians: bool = True
) -> list[CategoryStats]:
    """Per category, in the enum's order, every live request of it (narrowed by `clauses`)."""
    figures = _figures_by(
        EnterpriseRequest.category, list(RequestCategory), today, clauses, medians
    )
    return [
        CategoryStats(category=category, **asdict(figures[category]))
        for category in RequestCategory
    ]

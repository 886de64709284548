"""The data-quality lists: gaps and errors in the reservoir that someone should fix."""

from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import selectinload

from models import (
    Enterprise,
    EnterpriseStatus,
    ImportIssue,
    User,
    YearlyFigures,
    db,
)

# Each list shows its first rows and says how many more there are: the page is a to-do list
# for a leader, not a report, and a few thousand rows would make it unusable.
LIST_LIMIT = 100

T = TypeVar("T")


@dataclass(frozen=True)
class Capped(Generic[T]):
    rows: list[T]
    total: int

    @property
    def more_count(self) -> int:
        return self.total - len(self.rows)


@dataclass(frozen=True)
class ManagerLoad:
    manager: User
    firm_count: int


def last_complete_year(today: date) -> int:
    return today.year - 1


def _live_firm() -> ColumnElement[bool]:
    # Moved-out and closed firms owe the district no figures and need no manager.
    return and_(Enterprise.deleted_at.is_(None), Enterprise.status == EnterpriseStatus.ACTIVE)


def _capped_firms(query: Select[Enterprise], limit: int) -> Capped[Enterprise]:
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(
        query.options(selectinload(Enterprise.sub_district), selectinload(Enterprise.manager))
        .order_by(Enterprise.name, Enterprise.id)
        .limit(limit)
    ).all()
    return Capped(list(rows), total)


def firms_missing_figures(year: int, limit: int = LIST_LIMIT) -> Capped[Enterprise]:
    """Live firms with no figures for `year`; those founded after it had nothing to report."""
    has_figures = select(YearlyFigures.enterprise_id).where(YearlyFigures.year == year)
    query = select(Enterprise).where(
        _live_firm(),
        or_(Enterprise.founded_on.is_(None), Enterprise.founded_on <= date(year, 12, 31)),
        Enterprise.id.not_in(has_figures),
    )
    return _capped_firms(query, limit)


def firms_without_manager(limit: int = LIST_LIMIT) -> Capped[Enterprise]:
    """Live firms with no manager, or one whose account is deactivated (nobody reads their
    reminders, so the firm is as unattended as one without)."""
    active_manager = select(User.id).where(User.is_active_account.is_(True))
    query = select(Enterprise).where(
        _live_firm(),
        or_(Enterprise.manager_id.is_(None), Enterprise.manager_id.not_in(active_manager)),
    )
    return _capped_firms(query, limit)


def overloaded_managers(max_firms: int, limit: int = LIST_LIMIT) -> Capped[ManagerLoad]:
    """Managers in charge of more than `max_firms` live firms, the busiest first."""
    firm_count = func.count(Enterprise.id).label("firm_count")
    loads = (
        select(Enterprise.manager_id, firm_count)
        .where(_live_firm(), Enterprise.manager_id.is_not(None))
        .group_by(Enterprise.manager_id)
        .having(func.count(Enterprise.id) > max_firms)
        .subquery()
    )
    total = db.session.scalar(select(func.count()).select_from(loads)) or 0
    rows = db.session.execute(
        select(User, loads.c.firm_count)
        .join(loads, loads.c.manager_id == User.id)
        .options(selectinload(User.sub_district))
        .order_by(loads.c.firm_count.desc(), User.username)
        .limit(limit)
    ).all()
    return Capped([ManagerLoad(user, count) for user, count in rows], total)


def open_import_issues(limit: int = LIST_LIMIT) -> Capped[ImportIssue]:
    """Bad credit codes of imports that no later import of the same file has fixed."""
    query = select(ImportIssue).where(ImportIssue.resolved_at.is_(None))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(
        query.options(selectinload(ImportIssue.found_by))
        .order_by(ImportIssue.found_at.desc(), ImportIssue.id.desc())
        .limit(limit)
    ).all()
    return Capped(list(rows), total)

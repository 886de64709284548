"""Intelligent allocation: each category's default department and due time, kept by admins."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.audit import record_change
from crm.errors import ForbiddenError, InvalidInputError, NotFoundError
from crm.reference import by_slug
from models import CategoryRoute, Department, RequestCategory, Role, User, db

MAX_DUE_DAYS = 365
# The audit log keys entities by integer: a route is keyed by its category's place in the enum,
# which only ever grows at the end. The changes also name the category, for readers.
ROUTE_AUDIT_IDS = {category: position for position, category in enumerate(RequestCategory, 1)}


@dataclass(frozen=True)
class Suggestion:
    department: Department
    due_on: date


def routes() -> list[CategoryRoute]:
    order = {category: position for position, category in enumerate(RequestCategory)}
    rows = db.session.scalars(select(CategoryRoute).options(selectinload(CategoryRoute.department)))
    return sorted(rows, key=lambda route: order[route.category])


def route_of(category: RequestCategory) -> CategoryRoute:
    route = db.session.get(CategoryRoute, category)
    if route is None:
        raise NotFoundError(_("Not found."))
    return route


def suggest(category: RequestCategory, raised_on: date) -> Suggestion:
    route = route_of(category)
    return Suggestion(route.department, raised_on + timedelta(days=route.due_days))


def update_route(actor: User, category: RequestCategory, department: str, due_days: int) -> None:
    if actor.role != Role.ADMIN:
        raise ForbiddenError(_("Only administrators change the routing table."))
    route = route_of(category)
    errors: dict[str, list[str]] = {}
    target = by_slug(Department, department)
    if target is None:
        errors["department"] = [_("Choose a department from the list.")]
    if not 1 <= due_days <= MAX_DUE_DAYS:
        errors["due_days"] = [_("A whole number of days from 1 to %(max)d.", max=MAX_DUE_DAYS)]
    if errors or target is None:
        raise InvalidInputError(errors)
    changes: dict[str, list[Any]] = {}
    if route.department_id != target.id:
        changes["department"] = [route.department.slug, target.slug]
    if route.due_days != due_days:
        changes["due_days"] = [route.due_days, due_days]
    if not changes:
        return
    route.department, route.due_days = target, due_days
    db.session.flush()
    changes["category"] = [category.value, category.value]
    record_change(actor, "update", "category_route", ROUTE_AUDIT_IDS[category], changes)

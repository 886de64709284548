"""The pages `make bench` loads and the query-count test counts: one list, so both see the same.

A page is a path, the account that opens it and, for a POST, how to fill its form. Paths name real
records of the database at hand (a firm of the manager's sub-district, one of its visits), so the
same list runs on the district database, on a small one in the tests, and on the demo.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import quote

from sqlalchemy import func, select

LEADER = "leader"
ADMIN = "admin"
ANONYMOUS = ""


@dataclass(frozen=True)
class Accounts:
    """Who opens the pages: the district leader, the manager of the largest sub-district, the
    department staff member with the most requests."""

    leader: str
    manager: str
    staff: str


@dataclass(frozen=True)
class Page:
    name: str
    account: str  # username; "" for no login
    path: str
    method: str = "GET"
    form: Callable[[date], dict[str, str]] | None = None  # a POST's fields, given the day
    api: bool = False  # a bearer token instead of the session cookie
    tags: tuple[str, ...] = field(default_factory=tuple)


def choose_accounts() -> Accounts:
    from models import EnterpriseRequest, Role, User, db

    manager = _busiest_manager()
    staff = db.session.execute(
        select(User.username)
        .join(EnterpriseRequest, EnterpriseRequest.department_id == User.department_id)
        .where(User.role == Role.DEPARTMENT)
        .group_by(User.username)
        .order_by(func.count().desc(), User.username)
        .limit(1)
    ).scalar_one()
    return Accounts(leader=LEADER, manager=manager, staff=staff)


def _busiest_manager() -> str:
    from models import Enterprise, User, db

    return db.session.execute(
        select(User.username)
        .join(Enterprise, Enterprise.manager_id == User.id)
        .group_by(User.username)
        .order_by(func.count().desc(), User.username)
        .limit(1)
    ).scalar_one()


def sample_records(manager: str) -> dict[str, Any]:
    """A firm in the manager's sub-district with visits, requests and a package, and the slugs the
    filters use: the last ids of the table, as a recently added record would be."""
    from models import (
        Enterprise,
        EnterpriseRequest,
        PolicyPackage,
        User,
        Visit,
        Zone,
        db,
    )

    scope = db.session.execute(
        select(User.sub_district_id).where(User.username == manager)
    ).scalar_one()
    firm_id = db.session.execute(
        select(Enterprise.id)
        .join(Visit, Visit.enterprise_id == Enterprise.id)
        .where(
            Enterprise.sub_district_id == scope,
            Enterprise.deleted_at.is_(None),
            Visit.deleted_at.is_(None),
        )
        .order_by(Enterprise.id.desc())
        .limit(1)
    ).scalar_one()
    firm_name = db.session.execute(select(Enterprise.name).where(Enterprise.id == firm_id))
    records = {
        "firm_id": firm_id,
        "search": quote(firm_name.scalar_one()[:2]),
        "visit_id": db.session.execute(
            select(func.max(Visit.id)).where(
                Visit.enterprise_id == firm_id, Visit.deleted_at.is_(None)
            )
        ).scalar_one(),
        "request_id": db.session.execute(
            select(func.max(EnterpriseRequest.id)).where(EnterpriseRequest.deleted_at.is_(None))
        ).scalar_one(),
        "package_id": db.session.execute(
            select(func.max(PolicyPackage.id)).where(PolicyPackage.deleted_at.is_(None))
        ).scalar_one(),
        "zone": db.session.execute(select(Zone.slug).order_by(Zone.id).limit(1)).scalar_one(),
    }
    # A page of a record the district lacks would time a 404: say so instead.
    if missing := [key for key, value in records.items() if value is None]:
        raise RuntimeError(f"the district holds no {', '.join(missing)}: seed more base firms")
    return records


def visit_form(day: date) -> dict[str, str]:
    return {
        "visited_on": day.isoformat(),
        "kind": "phone",
        "summary": "Benchmark call: asked about next quarter's hiring.",
        "confirm_duplicate": "1",
    }


def district_pages(accounts: Accounts, records: dict[str, Any]) -> list[Page]:
    leader, manager, staff = accounts.leader, accounts.manager, accounts.staff
    firm, zone = records["firm_id"], records["zone"]
    return [
        Page("reservoir list (leader)", leader, "/enterprises/"),
        Page("reservoir list (manager)", manager, "/enterprises/"),
        Page("reservoir filtered", leader, f"/enterprises/?zone={zone}&tier=candidate"),
        Page("reservoir search by name", leader, f"/enterprises/?q={records['search']}"),
        Page("reservoir page 50", leader, "/enterprises/?page=50"),
        Page("firm page", manager, f"/enterprises/{firm}"),
        Page("pipeline first page (leader)", leader, "/pipeline/"),
        Page("pipeline page 50 (leader)", leader, "/pipeline/?page=50"),
        Page("pipeline filtered (leader)", leader, f"/pipeline/?zone={zone}&tier=candidate"),
        Page("pipeline (manager)", manager, "/pipeline/"),
        Page("visits list (leader)", leader, "/visits/"),
        Page("visits list (manager)", manager, "/visits/"),
        Page("visit page", manager, f"/visits/{records['visit_id']}"),
        Page("overdue visits (manager)", manager, "/visits/overdue"),
        Page("flagged firms (leader)", leader, "/visits/risks"),
        Page("requests list (leader)", leader, "/requests/"),
        Page("requests list (department)", staff, "/requests/"),
        Page("request page", leader, f"/requests/{records['request_id']}"),
        Page("packages list (leader)", leader, "/packages/"),
        Page("package page", leader, f"/packages/{records['package_id']}"),
        Page("reminders (manager)", manager, "/reminders/"),
        Page("today (manager)", manager, "/today/"),
        Page("dashboard", leader, "/dashboard/"),
        Page("dashboard filtered", leader, f"/dashboard/?zone={zone}"),
        Page("data quality", leader, "/quality/"),
        Page("listing tracks (leader)", leader, "/listings/"),
        Page("listing tracks (manager)", manager, "/listings/"),
        Page("listing funnel", leader, "/listings/funnel"),
        Page("white lists (leader)", leader, "/credit/"),
        Page("white lists (manager)", manager, "/credit/"),
        Page("nomination batches", leader, "/credit/batches"),
        Page("discovery candidates (leader)", leader, "/discovery/"),
        Page("discovery candidates (manager)", manager, "/discovery/"),
        Page("discovery events", leader, "/discovery/events"),
        Page("discovery statistics", leader, "/discovery/statistics"),
        Page("log a visit (POST)", manager, f"/visits/new/{firm}", "POST", visit_form),
        Page("API enterprises", leader, "/api/v1/enterprises", api=True),
        Page("API pipeline", leader, "/api/v1/pipeline", api=True),
        Page("API visits", leader, "/api/v1/visits", api=True),
        Page("API requests", leader, "/api/v1/requests", api=True),
        Page("API packages", leader, "/api/v1/packages", api=True),
        Page("API reminders", manager, "/api/v1/reminders", api=True),
        Page("API targets", leader, "/api/v1/targets", api=True),
        Page("API listings", leader, "/api/v1/listings", api=True),
        Page("API nomination batches", leader, "/api/v1/credit/batches", api=True),
        Page("API discovery candidates", leader, "/api/v1/discovery/candidates", api=True),
        Page("API discovery statistics", leader, "/api/v1/discovery/statistics", api=True),
    ]

"""The firm page's timeline: visits, requests and policy packages, newest first."""

from dataclasses import dataclass
from datetime import date

from crm.labels import label
from crm.policies.queries import packages_of_enterprise
from crm.requests.queries import requests_of_enterprise
from crm.requests.workflow import is_overdue
from crm.visits.queries import visits_of_enterprise
from models import EnterpriseRequest, PolicyPackage, User, Visit


@dataclass(frozen=True)
class TimelineEntry:
    on: date
    kind: str  # visit, request or package: picks the icon and the link
    record_id: int
    title: str
    status: str
    is_flagged: bool  # a red flag on a visit, an overdue request


def firm_timeline(user: User, enterprise_id: int, today: date) -> list[TimelineEntry]:
    entries = [
        *(_visit_entry(visit) for visit in visits_of_enterprise(user, enterprise_id)),
        *(_request_entry(r, today) for r in requests_of_enterprise(user, enterprise_id)),
        *(_package_entry(package) for package in packages_of_enterprise(user, enterprise_id)),
    ]
    return sorted(entries, key=lambda entry: (entry.on, entry.kind, entry.record_id), reverse=True)


def _visit_entry(visit: Visit) -> TimelineEntry:
    return TimelineEntry(
        visit.visited_on, "visit", visit.id, visit.summary, label(visit.kind), bool(visit.red_flags)
    )


def _request_entry(request: EnterpriseRequest, today: date) -> TimelineEntry:
    return TimelineEntry(
        request.raised_on,
        "request",
        request.id,
        f"{label(request.category)}: {request.description}",
        label(request.state),
        is_overdue(request, today),
    )


def _package_entry(package: PolicyPackage) -> TimelineEntry:
    return TimelineEntry(
        package.proposed_at.date(),
        "package",
        package.id,
        package.title,
        label(package.state),
        False,
    )

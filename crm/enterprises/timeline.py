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


TIMELINE_SHOWN = 30  # the page's latest entries; the lists of visits, requests, packages have all


def firm_timeline(user: User, enterprise_id: int, today: date) -> list[TimelineEntry]:
    """The latest TIMELINE_SHOWN entries, and one more when there are more (the page says so).

    Each kind is read newest first and capped, so a firm with years of visits costs the same
    as a new one."""
    read = TIMELINE_SHOWN + 1
    entries = [
        *(_visit_entry(visit) for visit in visits_of_enterprise(user, enterprise_id, read)),
        *(_request_entry(r, today) for r in requests_of_enterprise(user, enterprise_id, read)),
        *(_package_entry(p) for p in packages_of_enterprise(user, enterprise_id, read)),
    ]
    entries.sort(key=lambda entry: (entry.on, entry.kind, entry.record_id), reverse=True)
    return entries[:read]


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

"""Discovery records for the tests: events and candidates taken in through the services."""

from datetime import date, datetime

from crm.discovery import events, services
from models import DiscoveryCandidate, DiscoveryEvent, User

NOW = datetime(2026, 12, 4, 9, 0)


def event(
    leader: User, name: str = "创新创业大赛静安赛区", kind: str = "competition"
) -> DiscoveryEvent:
    data = events.EventInput(kind=kind, name=name, held_on=date(2026, 6, 1), round="决赛")
    return events.save_event(leader, None, data, NOW)


def candidate(
    actor: User,
    name: str = "上海星河智能科技有限公司",
    *,
    uscc: str | None = None,
    sub_district: str | None = "daninglu",
    source_kind: str = "investor",
    source_name: str | None = "启明创投",
    event_id: int | None = None,
    now: datetime = NOW,
) -> DiscoveryCandidate:
    data = services.CandidateInput(
        name=name,
        track="ai",
        source_kind=source_kind,
        uscc=uscc,
        zone="daning",
        sub_district=sub_district,
        source_name=source_name,
        event_id=event_id,
    )
    return services.propose_candidate(actor, data, now)

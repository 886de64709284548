"""The firm page's discovery panel: the events the firm took part in, and its intake record."""

from dataclasses import dataclass

from crm.discovery.events import events_of_firm
from crm.discovery.labels import label
from crm.discovery.queries import source_of_firm
from crm.discovery.scope import can_read_candidate
from models import DiscoveryCandidate, EventParticipant, User


@dataclass(frozen=True)
class FirmPanel:
    events: list[EventParticipant]
    source: DiscoveryCandidate | None
    source_label: str
    can_read_source: bool


def firm_panel(user: User, enterprise_id: int) -> FirmPanel:
    """Two indexed reads; the caller has checked that the user may read the firm."""
    source = source_of_firm(enterprise_id)
    return FirmPanel(
        events=events_of_firm(enterprise_id),
        source=source,
        source_label=label(source.source_kind) if source else "",
        can_read_source=source is not None and can_read_candidate(user, source),
    )

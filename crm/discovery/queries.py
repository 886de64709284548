"""Candidate lists within a user's scope: filters, keyset pages, the firm panel's source."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from crm import keyset
from crm.discovery.scope import candidate_scope
from crm.keyset import Key
from models import CandidateState, DiscoveryCandidate, SourceKind, User, db

CANDIDATE_ORDER = (
    Key(DiscoveryCandidate.received_on, date, is_descending=True),
    Key(DiscoveryCandidate.id, int, is_descending=True),
)


@dataclass(frozen=True)
class CandidateFilter:
    state: str = ""
    source_kind: str = ""
    event_id: int | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> "CandidateFilter":
        """Unknown values are no filter, as on the other lists."""
        state = (args.get("state") or "").strip()
        source = (args.get("source_kind") or "").strip()
        raw_event = (args.get("event_id") or "").strip()
        return cls(
            state=state if state in set(CandidateState) else "",
            source_kind=source if source in set(SourceKind) else "",
            event_id=int(raw_event) if _is_id(raw_event) else None,
        )

    def as_args(self) -> dict[str, object]:
        args = {"state": self.state, "source_kind": self.source_kind, "event_id": self.event_id}
        return {name: value for name, value in args.items() if value}


def _is_id(text: str) -> bool:
    """ASCII digits only: "²" and "①" pass str.isdigit() but int() refuses them."""
    return text.isascii() and text.isdigit() and len(text) < 10


def candidate_query(
    user: User, filters: CandidateFilter | None = None
) -> Select[DiscoveryCandidate]:
    filters = filters or CandidateFilter()
    query = select(DiscoveryCandidate).where(
        DiscoveryCandidate.deleted_at.is_(None), candidate_scope(user)
    )
    if filters.state:
        query = query.where(DiscoveryCandidate.state == filters.state)
    if filters.source_kind:
        query = query.where(DiscoveryCandidate.source_kind == filters.source_kind)
    if filters.event_id is not None:
        query = query.where(DiscoveryCandidate.event_id == filters.event_id)
    return query.order_by(DiscoveryCandidate.received_on.desc(), DiscoveryCandidate.id.desc())


CANDIDATE_DETAILS = (
    selectinload(DiscoveryCandidate.track),
    selectinload(DiscoveryCandidate.sub_district),
    selectinload(DiscoveryCandidate.event),
    selectinload(DiscoveryCandidate.admitted_enterprise),
)


def with_details(query: Select[DiscoveryCandidate]) -> Select[DiscoveryCandidate]:
    return query.options(*CANDIDATE_DETAILS)


page_of: keyset.KeysetPager[DiscoveryCandidate] = keyset.KeysetPager(
    CANDIDATE_ORDER, lambda candidate: (candidate.received_on, candidate.id), CANDIDATE_DETAILS
)


def source_of_firm(enterprise_id: int) -> DiscoveryCandidate | None:
    """The candidate the firm was admitted (or linked) from, if it came through the intake."""
    query = (
        select(DiscoveryCandidate)
        .where(
            DiscoveryCandidate.admitted_enterprise_id == enterprise_id,
            DiscoveryCandidate.deleted_at.is_(None),
        )
        .options(selectinload(DiscoveryCandidate.event))
        .order_by(DiscoveryCandidate.decided_on, DiscoveryCandidate.id)
        .limit(1)
    )
    return db.session.scalar(query)

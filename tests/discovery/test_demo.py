"""The demo's discovery: events, candidates in every state, admitted ones among the firms."""

from sqlalchemy import select

from crm.discovery import stats
from models import (
    CandidateState,
    DiscoveryCandidate,
    DiscoveryEvent,
    Enterprise,
    EventParticipant,
    db,
)
from tests.helpers import DEMO_AS_OF as AS_OF


def test_the_demo_has_events_candidates_and_a_mix_of_states(demo_district):
    candidates = db.session.scalars(select(DiscoveryCandidate)).all()
    events = db.session.scalars(select(DiscoveryEvent)).all()

    assert len(events) == 10
    assert len(candidates) == 90
    assert {c.state for c in candidates} >= {
        CandidateState.NEW,
        CandidateState.SCREENING,
        CandidateState.ADMITTED,
        CandidateState.WATCHING,
        CandidateState.DECLINED,
    }
    assert all(c.received_on <= AS_OF for c in candidates)
    assert all(event.held_on <= AS_OF for event in events)


def test_admitted_demo_candidates_are_demo_firms(demo_district):
    admitted = db.session.scalars(
        select(DiscoveryCandidate).where(DiscoveryCandidate.state == CandidateState.ADMITTED)
    ).all()

    assert admitted
    for candidate in admitted:
        firm = db.session.get(Enterprise, candidate.admitted_enterprise_id)
        assert (firm.name, firm.uscc) == (candidate.name, candidate.uscc)


def test_events_list_reservoir_firms_and_conversion_is_not_trivial(demo_district):
    firm_rows = db.session.scalars(
        select(EventParticipant).where(EventParticipant.enterprise_id.is_not(None))
    ).all()
    total = stats.total(stats.by_source_kind())

    assert len(firm_rows) >= 30
    assert total.admitted > 0
    assert 0 < total.advanced <= total.admitted

from collections.abc import Iterator
from datetime import date

import pytest
from flask import Flask
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
from tests.helpers import seeded_demo_app

AS_OF = date(2026, 12, 4)


def _candidates() -> list[tuple[object, ...]]:
    query = select(DiscoveryCandidate).order_by(DiscoveryCandidate.id)
    return [
        (c.name, c.uscc, c.source_kind, c.state, c.received_on, c.score, c.admitted_enterprise_id)
        for c in db.session.scalars(query)
    ]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    app = seeded_demo_app(tmp_path_factory.mktemp("discovery-demo"), 600, 2025, AS_OF)
    with app.app_context():
        yield app
        db.engine.dispose()


def test_the_demo_has_events_candidates_and_a_mix_of_states(demo):
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


def test_admitted_demo_candidates_are_demo_firms(demo):
    admitted = db.session.scalars(
        select(DiscoveryCandidate).where(DiscoveryCandidate.state == CandidateState.ADMITTED)
    ).all()

    assert admitted
    for candidate in admitted:
        firm = db.session.get(Enterprise, candidate.admitted_enterprise_id)
        assert (firm.name, firm.uscc) == (candidate.name, candidate.uscc)


def test_events_list_reservoir_firms_and_conversion_is_not_trivial(demo):
    firm_rows = db.session.scalars(
        select(EventParticipant).where(EventParticipant.enterprise_id.is_not(None))
    ).all()
    total = stats.total(stats.by_source_kind())

    assert len(firm_rows) >= 30
    assert total.admitted > 0
    assert 0 < total.advanced <= total.admitted


def test_the_same_seed_gives_the_same_candidates(tmp_path):
    first, second = (seeded_demo_app(tmp_path / name, 100, 2025, AS_OF) for name in "ab")
    with first.app_context():
        one = _candidates()
        db.engine.dispose()
    with second.app_context():
        two = _candidates()
        db.engine.dispose()

    assert one == two
    assert one

from datetime import date, timedelta

import pytest

from crm.discovery import screening, services
from crm.discovery.names import find_duplicates, name_key
from crm.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    StaleEditError,
)
from models import (
    AuditEntry,
    CandidateState,
    Enterprise,
    EventParticipant,
    SourceKind,
    Tier,
    db,
)
from tests import factories
from tests.discovery.helpers import NOW, candidate, event
from tests.factories import valid_uscc


def admit(actor, record, **values):
    data = screening.DecisionInput(decision="admit", tier=Tier.TECH_BASED.value, **values)
    return screening.decide_candidate(actor, record, data, record.version_id, NOW)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("上海星河智能科技有限公司", "星河智能科技（上海）有限公司"),
        ("上海 星河智能科技 有限公司", "星河智能科技(上海)股份有限公司"),
        ("上海市星河智能科技有限责任公司", "星河智能科技"),
    ],
)
def test_names_of_one_firm_share_a_key(first, second):
    assert name_key(first) == name_key(second) == "星河智能科技"


def test_a_manager_takes_in_a_candidate_of_their_sub_district(manager):
    record = candidate(manager, sub_district=None)

    assert record.state == CandidateState.NEW
    assert record.sub_district_id == manager.sub_district_id
    assert record.name_key == "星河智能科技"


def test_a_manager_cannot_take_in_for_another_sub_district(manager):
    with pytest.raises(InvalidInputError) as refused:
        candidate(manager, sub_district="jingansi")

    assert "sub_district" in refused.value.errors


def test_a_bad_credit_code_is_refused_by_field(leader):
    with pytest.raises(InvalidInputError) as refused:
        candidate(leader, uscc="91310106MA0000000X")

    assert "uscc" in refused.value.errors


def test_a_competition_candidate_needs_its_event(leader):
    with pytest.raises(InvalidInputError) as refused:
        candidate(leader, source_kind="competition")

    assert "event_id" in refused.value.errors


def test_a_candidate_from_an_event_takes_part_in_it(leader):
    contest = event(leader)

    record = candidate(leader, source_kind="competition", event_id=contest.id)

    rows = db.session.scalars(db.select(EventParticipant)).all()
    assert [(row.event_id, row.candidate_id) for row in rows] == [(contest.id, record.id)]


def test_a_department_refers_and_sees_only_its_referrals(app, leader):
    staff = factories.UserFactory(role="department", department_slug="stec")
    other = factories.UserFactory(role="department", department_slug="drc")

    referred = candidate(staff, source_kind="investor", sub_district="jingansi")

    assert referred.source_kind == SourceKind.DEPARTMENT_REFERRAL
    assert referred.sub_district_id is None
    assert services.get_candidate(staff, referred.id) is referred
    with pytest.raises(NotFoundError):
        services.get_candidate(other, referred.id)


def test_a_manager_of_another_sub_district_gets_not_found(manager):
    record = candidate(manager)
    stranger = factories.UserFactory(role="manager", sub_district_slug="jingansi")

    with pytest.raises(NotFoundError):
        services.get_candidate(stranger, record.id)


def test_duplicates_are_found_by_code_and_by_name(leader, firm):
    by_code = find_duplicates("另一个名字有限公司", firm.uscc)
    by_name = find_duplicates("大宁智算科技（上海）有限公司", None)
    other = candidate(leader, "上海星河智能科技有限公司")

    among_candidates = find_duplicates("星河智能科技有限公司", None)

    assert [(m.kind, m.record_id, m.by_code) for m in by_code] == [("enterprise", firm.id, True)]
    assert [(m.kind, m.record_id, m.by_code) for m in by_name] == [("enterprise", firm.id, False)]
    assert [(m.kind, m.record_id) for m in among_candidates] == [("candidate", other.id)]


def test_screening_records_the_visit_and_the_score(manager):
    record = candidate(manager)

    screening.screen_candidate(
        manager,
        record,
        screening.ScreeningInput(date(2026, 12, 1), 4, "强团队", "见了创始人"),
        record.version_id,
        NOW,
    )

    assert record.state == CandidateState.SCREENING
    assert (record.score, record.screened_by) == (4, manager)


def test_a_score_outside_one_to_five_is_refused(manager):
    record = candidate(manager)

    with pytest.raises(InvalidInputError) as refused:
        screening.screen_candidate(
            manager, record, screening.ScreeningInput(date(2026, 12, 1), 6), 1, NOW
        )

    assert "score" in refused.value.errors


def test_a_stale_version_is_refused(manager):
    record = candidate(manager)

    with pytest.raises(StaleEditError):
        screening.screen_candidate(
            manager, record, screening.ScreeningInput(date(2026, 12, 1), 3), 99, NOW
        )


def test_a_leader_cannot_screen(leader, manager):
    record = candidate(manager)

    with pytest.raises(ForbiddenError):
        admit(leader, record, uscc=valid_uscc(900001))


def test_admission_creates_the_firm_and_moves_the_participations(manager, leader):
    contest = event(leader)
    record = candidate(manager, source_kind="competition", event_id=contest.id)

    admit(manager, record, uscc=valid_uscc(900001))

    firm = db.session.get(Enterprise, record.admitted_enterprise_id)
    assert record.state == CandidateState.ADMITTED
    assert (firm.name, firm.tier, firm.sub_district_id) == (
        record.name,
        Tier.TECH_BASED,
        manager.sub_district_id,
    )
    assert firm.manager == manager
    participant = db.session.scalars(db.select(EventParticipant)).one()
    assert (participant.enterprise_id, participant.candidate_id) == (firm.id, None)


def test_admission_is_audited_on_both_records(manager):
    record = candidate(manager)

    admit(manager, record, uscc=valid_uscc(900002))

    entries = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id)).all()
    kinds = {(entry.entity_type, entry.action) for entry in entries}
    assert {
        ("discovery_candidate", "create"),
        ("discovery_candidate", "decide"),
        ("enterprise", "create"),
        ("enterprise", "admit"),
    } <= kinds


def test_admission_without_a_code_asks_for_one(manager):
    record = candidate(manager)

    with pytest.raises(InvalidInputError) as refused:
        admit(manager, record)

    assert "uscc" in refused.value.errors


def test_admitting_a_code_of_the_reservoir_is_refused_with_the_firm(manager, firm):
    record = candidate(manager, "上海别名科技有限公司", uscc=firm.uscc)

    with pytest.raises(screening.DuplicateFirmError) as refused:
        admit(manager, record)

    assert refused.value.enterprise == firm


def test_linking_marks_the_candidate_as_that_firm(manager, firm):
    record = candidate(manager, "上海别名科技有限公司", uscc=firm.uscc)

    screening.decide_candidate(
        manager, record, screening.DecisionInput("link"), record.version_id, NOW
    )

    assert record.state == CandidateState.DUPLICATE
    assert record.admitted_enterprise_id == firm.id


def test_declining_needs_a_reason(manager):
    record = candidate(manager)

    with pytest.raises(InvalidInputError) as refused:
        screening.decide_candidate(
            manager, record, screening.DecisionInput("decline"), record.version_id, NOW
        )

    assert "reason" in refused.value.errors


def test_watching_needs_a_day_after_today(manager):
    record = candidate(manager)
    later = NOW.date() + timedelta(days=90)

    with pytest.raises(InvalidInputError):
        screening.decide_candidate(
            manager,
            record,
            screening.DecisionInput("watch", watch_until=NOW.date()),
            record.version_id,
            NOW,
        )
    screening.decide_candidate(
        manager, record, screening.DecisionInput("watch", watch_until=later), record.version_id, NOW
    )

    assert (record.state, record.watch_until) == (CandidateState.WATCHING, later)


def test_a_decided_candidate_cannot_be_decided_again(manager):
    record = candidate(manager)
    screening.decide_candidate(
        manager, record, screening.DecisionInput("decline", "太早期"), record.version_id, NOW
    )

    with pytest.raises(ConflictError):
        screening.decide_candidate(
            manager, record, screening.DecisionInput("decline", "再次"), record.version_id, NOW
        )


def test_a_leader_assigns_an_unassigned_candidate(leader):
    record = candidate(leader, sub_district=None)

    services.assign_candidate(leader, record, "jingansi", record.version_id, NOW)

    assert record.sub_district.slug == "jingansi"


def test_a_manager_corrects_a_candidate_and_the_change_is_audited(manager):
    record = candidate(manager)
    data = services.CandidateInput(
        name=record.name, track="big_data", source_kind="investor", uscc=valid_uscc(900010)
    )

    services.update_candidate(manager, record, data, record.version_id, NOW)

    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "update")).one()
    assert record.track.slug == "big_data"
    assert set(entry.changes) >= {"uscc", "track_id"}


def test_a_decided_candidate_cannot_be_edited(manager):
    record = candidate(manager)
    screening.decide_candidate(
        manager, record, screening.DecisionInput("decline", "太早期"), record.version_id, NOW
    )
    data = services.CandidateInput(name="x", track="ai", source_kind="investor")

    with pytest.raises(ForbiddenError):
        services.update_candidate(manager, record, data, record.version_id, NOW)

from datetime import date

import pytest

from crm.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    StaleEditError,
)
from crm.listings import services
from models import Designation, ListingStage, Tier
from tests import factories
from tests.helpers import audit_entries
from tests.listings.conftest import NOW, move, open_for


def test_opening_a_track_records_its_first_step_and_an_audit_entry(manager, firm):
    track = open_for(manager, firm)

    assert track.stage == ListingStage.CANDIDATE
    assert [(s.from_stage, s.to_stage, s.on) for s in track.steps] == [
        (None, ListingStage.CANDIDATE, date(2025, 3, 1))
    ]
    assert audit_entries("listing_track", track.id)


def test_a_firm_has_one_live_track(manager, firm, track):
    with pytest.raises(ConflictError):
        open_for(manager, firm)


def test_a_manager_cannot_open_a_track_for_another_sub_districts_firm(manager):
    other = factories.EnterpriseFactory(sub_district_slug="linfenlu")

    with pytest.raises(NotFoundError):
        open_for(manager, other)


def test_department_staff_cannot_open_tracks(firm):
    staff = factories.UserFactory(role="department")

    with pytest.raises(ForbiddenError):
        open_for(staff, firm)


def test_a_track_cannot_open_as_listed_or_in_the_future(manager, firm):
    with pytest.raises(InvalidInputError) as refused:
        open_for(manager, firm, stage="listed", since=date(2027, 1, 1))

    assert set(refused.value.errors) == {"stage", "stage_since"}


def test_advancing_skips_stages_and_records_the_step(manager, track):
    services.advance_track(manager, track, move("tutoring_filed", date(2026, 5, 1)), 1, NOW)

    assert track.stage == ListingStage.TUTORING_FILED
    assert track.stage_since == date(2026, 5, 1)
    assert track.steps[-1].from_stage == ListingStage.CANDIDATE
    (entry,) = audit_entries("listing_track", track.id, "move")
    assert entry.changes["stage"] == ["candidate", "tutoring_filed"]


@pytest.mark.parametrize(
    ("stage", "on", "field"),
    [
        ("candidate", date(2026, 5, 1), "stage"),
        ("paused", date(2026, 5, 1), "stage"),
        ("inquiry", date(2027, 1, 1), "on"),
        ("inquiry", date(2025, 2, 1), "on"),
    ],
)
def test_advancing_refuses_backward_moves_and_impossible_days(manager, track, stage, on, field):
    with pytest.raises(InvalidInputError) as refused:
        services.advance_track(manager, track, move(stage, on), 1, NOW)

    assert field in refused.value.errors


def test_a_stale_version_is_refused(manager, track):
    with pytest.raises(StaleEditError):
        services.advance_track(manager, track, move("inquiry", date(2026, 5, 1)), 99, NOW)


def test_pausing_needs_a_reason_and_resumes_to_the_stage_it_left(manager, track):
    services.advance_track(manager, track, move("sponsor_signed", date(2026, 1, 5)), 1, NOW)
    with pytest.raises(InvalidInputError) as refused:
        services.halt_track(manager, track, ListingStage.PAUSED, move("", date(2026, 2, 1)), 2, NOW)
    assert "note" in refused.value.errors

    services.halt_track(
        manager, track, ListingStage.PAUSED, move("", date(2026, 2, 1), "审计调整"), 2, NOW
    )
    services.resume_track(manager, track, move("", date(2026, 6, 1)), 3, NOW)

    assert track.stage == ListingStage.SPONSOR_SIGNED
    assert track.halt_reason is None


def test_a_withdrawn_track_moves_no_more(manager, track):
    services.halt_track(
        manager, track, ListingStage.WITHDRAWN, move("", date(2026, 2, 1), "放弃上市"), 1, NOW
    )

    with pytest.raises(ConflictError):
        services.advance_track(manager, track, move("inquiry", date(2026, 5, 1)), 2, NOW)
    with pytest.raises(ConflictError):
        services.resume_track(manager, track, move("", date(2026, 5, 1)), 2, NOW)


def test_reaching_listed_marks_the_firm_listed_with_the_day_as_its_milestone(manager, firm, track):
    data = services.MoveInput(stage="listed", on=date(2026, 11, 20), stock_code="688999")

    services.advance_track(manager, track, data, 1, NOW)

    assert track.listed_on == date(2026, 11, 20)
    rows = {row.designation: row.awarded_on for row in firm.designation_rows}
    assert rows[Designation.LISTED] == date(2026, 11, 20)
    assert firm.tier == Tier.ACHIEVED
    changes = [entry.changes for entry in audit_entries("enterprise", firm.id)]
    assert any("designations" in change and "tier" in change for change in changes)


def test_a_listed_track_cannot_be_paused(manager, track):
    services.advance_track(manager, track, move("listed", date(2026, 11, 20)), 1, NOW)

    with pytest.raises(ConflictError):
        services.halt_track(
            manager, track, ListingStage.PAUSED, move("", date(2026, 11, 21), "x"), 2, NOW
        )


def test_a_leader_may_change_any_track(leader, track):
    services.advance_track(leader, track, move("inquiry", date(2026, 5, 1)), 1, NOW)

    assert track.stage == ListingStage.INQUIRY


def test_editing_the_board_and_sponsor_is_audited(manager, track):
    data = services.TrackInput(board="hong_kong", sponsor="中金公司")

    services.update_track(manager, track, data, 1, NOW)

    (entry,) = audit_entries("listing_track", track.id, "update")
    assert entry.changes["board"] == ["star_market", "hong_kong"]
    assert entry.changes["sponsor"] == ["中信证券", "中金公司"]

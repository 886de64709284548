"""The funnel, the tracks stuck longest and the forecast leave out deleted tracks and the tracks
of deleted firms, and of firms that moved out or closed, on the leaders' funnel page (no firm
clauses) as on the dashboard."""

from datetime import date

import pytest

from crm.dashboard.filters import DashboardFilter, Period
from crm.dashboard.sections.listings import listing_section
from crm.listings import funnel, services
from models import Enterprise, EnterpriseStatus, ListingBoard, ListingStage, User, db
from tests import factories
from tests.helpers import log_in
from tests.listings.conftest import NOW, TODAY, move, open_for


def _deleted_firm_with_stuck_track(leader: User) -> Enterprise:
    firm = factories.EnterpriseFactory(name="已删除的在审公司")
    open_for(leader, firm, stage="inquiry", since=date(2020, 1, 6))
    firm.deleted_at = NOW
    db.session.flush()
    return firm


def _deleted_track(leader: User) -> Enterprise:
    firm = factories.EnterpriseFactory(name="辅导已删除的公司")
    track = open_for(leader, firm, stage="inquiry", since=date(2020, 2, 3))
    track.deleted_at = NOW
    db.session.flush()
    return firm


def _listed_twenty_times(leader: User, firm_of: list[Enterprise]) -> None:
    """Tracks that entered approved long ago and listed at once, on the given firms."""
    for firm in firm_of:
        track = open_for(leader, firm, stage="approved", since=date(2024, 1, 1))
        services.advance_track(leader, track, move("listed", date(2024, 1, 20)), 1, NOW)


def test_the_funnel_and_the_stuck_list_leave_out_deleted_firms_and_tracks(leader, firm):
    live = open_for(leader, firm, stage="inquiry", since=date(2026, 6, 1))
    gone_firm = _deleted_firm_with_stuck_track(leader)
    gone_track_firm = _deleted_track(leader)

    counts = funnel.funnel_counts([])
    stuck = funnel.stuck_longest([])
    forecast = funnel.listing_forecast([], TODAY)

    assert counts == {(ListingStage.INQUIRY, ListingBoard.STAR_MARKET): 1}
    assert [row.track_id for row in stuck] == [live.id]
    assert forecast is not None
    inquiry = next(row for row in forecast.stages if row.stage == ListingStage.INQUIRY)
    assert inquiry.firm_count == 1
    assert gone_firm.id not in {row.enterprise_id for row in stuck}
    assert gone_track_firm.id not in {row.enterprise_id for row in stuck}


def test_recorded_steps_leave_out_deleted_firms_and_tracks(leader):
    firms = [factories.EnterpriseFactory() for _ in range(22)]
    _listed_twenty_times(leader, firms)
    firms[0].deleted_at = NOW
    services.live_track_of(firms[1].id).deleted_at = NOW  # type: ignore[union-attr]
    db.session.flush()

    records = funnel.stage_records(TODAY, 27)

    assert records[ListingStage.APPROVED].observed == 20


def test_the_funnel_page_does_not_show_a_deleted_firms_track(client, leader, firm):
    open_for(leader, firm, stage="inquiry", since=date(2026, 6, 1))
    gone = _deleted_firm_with_stuck_track(leader)
    log_in(client, leader)

    page = client.get("/listings/funnel")

    assert page.status_code == 200
    assert gone.name not in page.text
    assert firm.name in page.text


def test_the_dashboard_section_agrees_with_the_funnel_page(leader, firm):
    open_for(leader, firm, stage="inquiry", since=date(2026, 6, 1))
    _deleted_firm_with_stuck_track(leader)
    _deleted_track(leader)

    section = listing_section(DashboardFilter(today=TODAY, period=Period.YEAR))
    tables = {table.key: table for table in section.tables}

    inquiry = next(row for row in tables["listing_funnel"].rows if row[0] == "Inquiry")
    assert inquiry[-1] == 1
    assert len(tables["listing_stuck"].rows) == 1


@pytest.mark.parametrize("status", [EnterpriseStatus.MOVED_OUT, EnterpriseStatus.CLOSED])
def test_a_firm_that_left_is_in_neither_the_funnel_page_nor_the_dashboard(
    client, leader, firm, status
):
    open_for(leader, firm, stage="inquiry", since=date(2026, 6, 1))
    gone = factories.EnterpriseFactory(name="已迁出的在审公司", status=status)
    open_for(leader, gone, stage="inquiry", since=date(2020, 1, 6))
    log_in(client, leader)

    page = client.get("/listings/funnel")
    counts = funnel.funnel_counts([])
    section = listing_section(DashboardFilter(today=TODAY, period=Period.YEAR))
    tables = {table.key: table for table in section.tables}

    assert gone.name not in page.text
    assert firm.name in page.text
    assert counts == {(ListingStage.INQUIRY, ListingBoard.STAR_MARKET): 1}
    inquiry = next(row for row in tables["listing_funnel"].rows if row[0] == "Inquiry")
    assert inquiry[-1] == 1

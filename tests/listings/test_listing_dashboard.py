from datetime import date

from crm.dashboard.filters import DashboardFilter, Period
from crm.dashboard.report import FirmLink
from crm.dashboard.sections.listings import listing_section
from crm.listings import funnel, services
from models import ListingBoard, ListingStage
from tests import factories
from tests.listings.conftest import NOW, move, open_for

TODAY = date(2026, 12, 4)


def _filters(sub_district: str = "") -> DashboardFilter:
    return DashboardFilter(today=TODAY, period=Period.YEAR, sub_district=sub_district)


def test_the_section_counts_the_funnel_lists_the_stuck_and_forecasts(manager, firm):
    open_for(manager, firm, stage="approved", since=date(2026, 11, 1))
    elsewhere = factories.EnterpriseFactory(sub_district_slug="linfenlu")
    open_for(factories.UserFactory(role="leader"), elsewhere, since=date(2024, 1, 1))

    section = listing_section(_filters())
    tables = {table.key: table for table in section.tables}

    funnel_rows = {row[0]: row for row in tables["listing_funnel"].rows}
    assert funnel_rows["Approved / registered"][-1] == 1
    assert tables["listing_stuck"].rows[0][0] == FirmLink(elsewhere.id, elsewhere.name)
    forecast_rows = {row[0]: row for row in tables["listing_forecast"].rows}
    assert forecast_rows["Target"][3] == 40
    assert forecast_rows["Approved / registered"][4] == "Typical course"


def test_the_sub_district_filter_narrows_the_funnel(manager, firm):
    open_for(manager, firm)
    other = factories.EnterpriseFactory(sub_district_slug="linfenlu")
    open_for(factories.UserFactory(role="leader"), other)

    counts = funnel.funnel_counts(_filters("daninglu").firm_clauses())

    assert counts == {(ListingStage.CANDIDATE, ListingBoard.STAR_MARKET): 1}


def test_recorded_steps_replace_the_typical_course_once_there_are_enough(leader):
    for n in range(20):
        firm = factories.EnterpriseFactory()
        track = open_for(leader, firm, stage="approved", since=date(2025, 1, 1))
        if n < 15:
            services.advance_track(leader, track, move("listed", date(2025, 1, 20)), 1, NOW)

    records = funnel.stage_records(TODAY, 27)

    assert records[ListingStage.APPROVED].observed == 20
    assert records[ListingStage.APPROVED].listed_within == 15

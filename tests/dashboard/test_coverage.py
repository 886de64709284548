"""Work coverage on the dashboard: visits, requests, support and pipeline in small worlds."""

from dataclasses import replace
from datetime import date, datetime, time
from decimal import Decimal

import pytest

from crm.clock import today, utcnow
from crm.dashboard.filters import DashboardFilter, Period
from crm.dashboard.report import FirmLink
from crm.dashboard.sections import coverage_sections
from crm.dashboard.sections.pipeline import score_movers_in_view, tier_move_counts, tier_moves
from crm.dashboard.sections.requests import (
    request_coverage_by_category,
    request_coverage_by_department,
)
from crm.dashboard.sections.support import (
    support_by_instrument,
    support_by_tier,
    support_by_zone,
)
from crm.dashboard.sections.support_growth import support_against_growth
from crm.dashboard.sections.visits import visit_coverage_by_manager, visit_coverage_by_sub_district
from crm.enterprises.services import input_from_enterprise, update_enterprise
from crm.pipeline.ranking import score_movers
from crm.requests.stats import department_stats
from models import (
    Enterprise,
    EnterpriseRequest,
    EnterpriseStatus,
    IndustryTrack,
    ItemState,
    PackageItem,
    PackageState,
    RequestCategory,
    RequestState,
    Tier,
    User,
    Zone,
)
from tests.factories import (
    AuditEntryFactory,
    EnterpriseFactory,
    EnterpriseRequestFactory,
    PackageItemFactory,
    PolicyPackageFactory,
    PotentialScoreFactory,
    ScoringRunFactory,
    UserFactory,
    YearlyFiguresFactory,
    reference,
)
from tests.helpers import instrument, log_visit, reminder_settings

TODAY = date(2026, 5, 20)  # the second quarter began on 1 April
QUARTER = DashboardFilter(today=TODAY)
CREATED_AT = datetime(2026, 1, 5, 9, 0)


def firm(
    sub_district: str = "daninglu",
    zone: str = "daning",
    track: str = "ai",
    tier: Tier = Tier.RESERVOIR,
    manager: User | None = None,
    **extra: object,
) -> Enterprise:
    return EnterpriseFactory(
        sub_district_slug=sub_district,
        zone=reference(Zone, zone),
        track=reference(IndustryTrack, track),
        tier=tier,
        manager=manager,
        **extra,
    )


def raise_request(
    enterprise: Enterprise,
    raised_on: date,
    due_on: date,
    state: RequestState = RequestState.OPEN,
    category: RequestCategory = RequestCategory.FINANCING,
    department: str = "finance",
    resolved_on: date | None = None,
    **extra: object,
) -> EnterpriseRequest:
    at = datetime.combine(raised_on, time(9, 0))
    return EnterpriseRequestFactory(
        enterprise=enterprise,
        category=category,
        department_slug=department,
        state=state,
        raised_on=raised_on,
        due_on=due_on,
        resolved_at=datetime.combine(resolved_on, time(16, 0)) if resolved_on else None,
        created_at=at,
        updated_at=at,
        **extra,
    )


def grant(
    enterprise: Enterprise,
    slug: str,
    amount: str,
    granted_on: date,
    disbursed: str | None = None,
    package_state: PackageState = PackageState.APPROVED,
    **extra: object,
) -> PackageItem:
    at = datetime.combine(granted_on, time(9, 0))
    package = PolicyPackageFactory(
        enterprise=enterprise, state=package_state, proposed_at=at, updated_at=at, **extra
    )
    return PackageItemFactory(
        package=package,
        instrument=instrument(slug),
        amount=Decimal(amount),
        state=ItemState.DISBURSED if disbursed else ItemState.GRANTED,
        granted_on=granted_on,
        disbursed_amount=Decimal(disbursed) if disbursed else None,
        disbursed_on=granted_on if disbursed else None,
    )


def tier_edit(enterprise: Enterprise, before: Tier, after: Tier, on: date) -> None:
    AuditEntryFactory(
        at=datetime.combine(on, time(11, 0)),
        entity_id=enterprise.id,
        changes={"tier": [before.value, after.value]},
    )


def by_group(rows: list) -> dict:
    return {row.group: row for row in rows}


# Visits ---------------------------------------------------------------------------------------


@pytest.fixture
def visited_world(app) -> dict[str, object]:
    """Candidates (monthly cadence) of two managers, an unmanaged one, and firms out of view."""
    wang = UserFactory(display_name="王芳", sub_district_slug="daninglu")
    li = UserFactory(display_name="李强", sub_district_slug="jiangninglu")
    in_time = firm(tier=Tier.CANDIDATE, manager=wang)
    log_visit(in_time, date(2026, 5, 1), wang)  # due 31 May
    late = firm(tier=Tier.CANDIDATE, manager=wang)
    log_visit(late, date(2026, 4, 1), wang)  # due 1 May
    firm(sub_district="jiangninglu", zone="nanxi", track="fintech", manager=li)  # due next January
    firm(tier=Tier.CANDIDATE)  # nobody manages it; due a month after it joined in January
    gone = firm(tier=Tier.CANDIDATE, manager=li, status=EnterpriseStatus.MOVED_OUT)
    deleted = firm(tier=Tier.CANDIDATE, manager=li, deleted_at=datetime(2026, 3, 1))
    return {"wang": wang, "li": li, "gone": gone, "deleted": deleted}


def test_visit_coverage_per_manager_counts_firms_not_yet_overdue_today(visited_world):
    rows = by_group(visit_coverage_by_manager(QUARTER, reminder_settings()))

    wang, li = rows[visited_world["wang"]], rows[visited_world["li"]]
    assert (wang.firm_count, wang.visited_in_time_count, wang.overdue_count) == (2, 1, 1)
    assert wang.share == 0.5
    assert (li.firm_count, li.visited_in_time_count, li.share) == (1, 1, 1.0)
    assert (rows[None].firm_count, rows[None].share) == (1, 0.0)


def test_managers_are_listed_lowest_coverage_first_and_unmanaged_firms_last(visited_world):
    rows = visit_coverage_by_manager(QUARTER, reminder_settings())

    assert [row.group for row in rows] == [visited_world["wang"], visited_world["li"], None]


def test_visit_coverage_per_sub_district_lists_only_places_with_firms_in_view(visited_world):
    rows = visit_coverage_by_sub_district(QUARTER, reminder_settings())

    assert [(row.group.slug, row.firm_count, row.visited_in_time_count) for row in rows] == [
        ("jiangninglu", 1, 1),
        ("daninglu", 3, 1),
    ]


def test_a_visit_due_today_is_not_overdue_yet_and_one_due_yesterday_is(app):
    manager = UserFactory()
    due_today, due_yesterday = firm(tier=Tier.CANDIDATE), firm(tier=Tier.CANDIDATE)
    log_visit(due_today, date(2026, 4, 20), manager)  # a 30-day cadence: due 20 May
    log_visit(due_yesterday, date(2026, 4, 19), manager)

    [row] = visit_coverage_by_sub_district(QUARTER, reminder_settings())

    assert (row.firm_count, row.visited_in_time_count) == (2, 1)


# Requests -------------------------------------------------------------------------------------


@pytest.fixture
def requests_world(app) -> Enterprise:
    """Requests of one daninglu firm, plus requests that must not count."""
    daning = firm()
    raise_request(
        daning,
        date(2026, 4, 2),
        date(2026, 4, 12),
        RequestState.CLOSED,
        resolved_on=date(2026, 4, 6),
    )
    raise_request(daning, date(2026, 4, 10), date(2026, 4, 20), RequestState.IN_PROGRESS)
    raise_request(daning, date(2026, 5, 15), date(2026, 5, 25))
    raise_request(daning, date(2026, 3, 1), date(2026, 3, 11), RequestState.ACCEPTED)
    # A policy question transferred to finance (its category's route is the STEC).
    raise_request(
        daning,
        date(2026, 4, 15),
        date(2026, 4, 20),
        RequestState.RESOLVED,
        category=RequestCategory.POLICY,
        resolved_on=date(2026, 4, 25),
    )
    raise_request(daning, date(2026, 4, 20), date(2026, 4, 30), RequestState.REJECTED)
    raise_request(
        daning,
        date(2026, 4, 5),
        date(2026, 4, 20),
        RequestState.CLOSED,
        category=RequestCategory.TALENT,
        department="hrss",
        resolved_on=date(2026, 4, 8),
    )
    raise_request(daning, date(2026, 4, 10), date(2026, 4, 11), deleted_at=datetime(2026, 4, 12))
    moved_out = firm(status=EnterpriseStatus.MOVED_OUT)
    raise_request(moved_out, date(2026, 4, 10), date(2026, 4, 11))
    return daning


def test_requests_per_department_count_open_as_of_today_and_rates_over_the_period(
    requests_world,
):
    rows = {row.group.slug: row for row in request_coverage_by_department(QUARTER)}

    finance = rows["finance"]
    assert (finance.open_count, finance.overdue_count) == (3, 2)
    assert (finance.raised_count, finance.closed_count) == (5, 1)
    assert finance.closure_rate == 0.2
    assert finance.median_days_to_resolution == 7  # the middle of 4 and 10 days
    hrss = rows["hrss"]
    assert (hrss.open_count, hrss.raised_count, hrss.closure_rate) == (0, 1, 1.0)
    assert hrss.median_days_to_resolution == 3
    assert (rows["stec"].raised_count, rows["stec"].closure_rate) == (0, None)
    assert rows["stec"].median_days_to_resolution is None
    assert len(rows) == 10  # every department, those without requests too


def test_requests_per_category_group_by_what_was_asked_not_who_answers(requests_world):
    rows = by_group(request_coverage_by_category(QUARTER))

    financing = rows[RequestCategory.FINANCING]
    assert (financing.open_count, financing.overdue_count) == (3, 2)
    assert (financing.raised_count, financing.closed_count, financing.closure_rate) == (4, 1, 0.25)
    assert financing.median_days_to_resolution == 4
    policy = rows[RequestCategory.POLICY]
    assert (policy.open_count, policy.raised_count, policy.closure_rate) == (0, 1, 0.0)
    assert policy.median_days_to_resolution == 10
    assert list(rows) == list(RequestCategory)


def test_department_stats_without_clauses_still_count_every_live_request(requests_world):
    finance = next(row for row in department_stats(TODAY) if row.department.slug == "finance")

    # The moved-out firm's request counts here: the request page has no firm filter.
    assert (finance.total, finance.open_count, finance.overdue_count) == (7, 4, 3)
    assert finance.closure_rate == pytest.approx(1 / 7)


# Support --------------------------------------------------------------------------------------


@pytest.fixture
def support_world(app) -> tuple[Enterprise, Enterprise]:
    candidate = firm(tier=Tier.CANDIDATE)
    tech = firm(sub_district="jingansi", zone="nanxi", tier=Tier.TECH_BASED)
    grant(candidate, "loan_interest_subsidy", "500000", date(2026, 4, 10), disbursed="300000")
    grant(candidate, "talent_housing", "3", date(2026, 4, 10), disbursed="2")
    grant(candidate, "rent_subsidy", "200000", date(2026, 3, 1))  # last quarter
    grant(tech, "rent_subsidy", "100000", date(2026, 5, 1))
    grant(tech, "rent_subsidy", "70000", date(2026, 5, 1), package_state=PackageState.PROPOSED)
    grant(tech, "rent_subsidy", "90000", date(2026, 5, 1), deleted_at=datetime(2026, 5, 2))
    return candidate, tech


def test_support_per_instrument_sums_items_granted_in_the_period_and_their_disbursement(
    support_world,
):
    rows = {row.group.slug: row for row in support_by_instrument(QUARTER)}

    loan, rent, housing = (
        rows["loan_interest_subsidy"],
        rows["rent_subsidy"],
        rows["talent_housing"],
    )
    assert (loan.item_count, loan.yuan_granted, loan.yuan_disbursed) == (1, 500000, 300000)
    assert loan.yuan_disbursed_share == 0.6
    assert (rent.item_count, rent.firm_count, rent.yuan_granted) == (1, 1, 100000)
    assert rent.yuan_disbursed_share == 0.0
    assert (housing.count_granted, housing.count_disbursed, housing.yuan_granted) == (3, 2, 0)
    assert housing.count_disbursed_share == pytest.approx(2 / 3)
    assert rows["guidance_fund"].item_count == 0
    assert len(rows) == 12  # the whole active catalogue


def test_support_per_zone_keeps_yuan_and_counts_apart(support_world):
    rows = support_by_zone(QUARTER)

    assert [
        (row.group.slug, row.firm_count, row.yuan_granted, row.yuan_disbursed, row.count_granted)
        for row in rows
    ] == [("daning", 1, 500000, 300000, 3), ("nanxi", 1, 100000, 0, 0)]


def test_support_per_tier_lists_every_tier_by_the_firms_tier_today(support_world):
    rows = by_group(support_by_tier(QUARTER))

    assert list(rows) == list(Tier)
    assert (rows[Tier.CANDIDATE].yuan_granted, rows[Tier.CANDIDATE].count_granted) == (500000, 3)
    assert rows[Tier.TECH_BASED].yuan_granted == 100000
    assert rows[Tier.RESERVOIR].firm_count == 0


def test_support_per_firm_stands_against_revenue_growth_since_the_year_before_the_grant(app):
    grown, new = firm(), firm()
    grant(grown, "loan_interest_subsidy", "800000", date(2025, 6, 1), disbursed="800000")
    grant(grown, "talent_housing", "5", date(2025, 6, 1))  # counts are not yuan
    YearlyFiguresFactory(enterprise=grown, year=2024, revenue=Decimal("1000"))
    YearlyFiguresFactory(enterprise=grown, year=2025, revenue=Decimal("1250"))
    grant(new, "rent_subsidy", "900000", date(2026, 5, 1))
    YearlyFiguresFactory(enterprise=new, year=2025, revenue=Decimal("3000"))

    rows = support_against_growth(DashboardFilter(today=TODAY, period=Period.PLAN))

    assert [row.enterprise_id for row in rows] == [new.id, grown.id]  # most yuan first
    grown_row = rows[1]
    assert (grown_row.yuan_granted, grown_row.yuan_disbursed) == (800000, 800000)
    assert (grown_row.baseline_year, grown_row.latest_year) == (2024, 2025)
    assert grown_row.revenue_growth == 0.25
    assert (rows[0].baseline_revenue, rows[0].latest_year, rows[0].revenue_growth) == (
        3000,
        None,
        None,
    )


# Pipeline -------------------------------------------------------------------------------------


@pytest.fixture
def tier_world(app) -> dict[str, Enterprise]:
    risen, fallen, back, before, twice = (firm() for _ in range(5))
    tier_edit(risen, Tier.RESERVOIR, Tier.TECH_BASED, date(2026, 4, 10))
    tier_edit(fallen, Tier.CANDIDATE, Tier.NEW_TRACK, date(2026, 5, 2))
    tier_edit(back, Tier.RESERVOIR, Tier.TECH_BASED, date(2026, 4, 5))
    tier_edit(back, Tier.TECH_BASED, Tier.RESERVOIR, date(2026, 4, 20))
    tier_edit(before, Tier.RESERVOIR, Tier.TECH_BASED, date(2026, 3, 31))  # last quarter
    tier_edit(twice, Tier.RESERVOIR, Tier.TECH_BASED, date(2026, 4, 3))
    tier_edit(twice, Tier.TECH_BASED, Tier.NEW_TRACK, date(2026, 5, 10))
    AuditEntryFactory(at=datetime(2026, 4, 11, 9, 0), entity_id=risen.id)  # a name edit
    return {"risen": risen, "fallen": fallen, "twice": twice}


def test_tier_moves_are_net_moves_within_the_period_latest_first(tier_world):
    moves = tier_moves(QUARTER)

    assert [(move.enterprise_id, move.before, move.after, move.is_up) for move in moves] == [
        (tier_world["twice"].id, Tier.RESERVOIR, Tier.NEW_TRACK, True),
        (tier_world["fallen"].id, Tier.CANDIDATE, Tier.NEW_TRACK, False),
        (tier_world["risen"].id, Tier.RESERVOIR, Tier.TECH_BASED, True),
    ]
    assert moves[0].moved_on == date(2026, 5, 10)


def test_tier_move_counts_say_how_many_rose_and_fell_into_each_tier(tier_world):
    counts = {
        row.tier: (row.moved_up_count, row.moved_down_count)
        for row in tier_move_counts(tier_moves(QUARTER))
    }

    assert counts == {
        Tier.RESERVOIR: (0, 0),
        Tier.TECH_BASED: (1, 0),
        Tier.NEW_TRACK: (1, 1),
        Tier.CANDIDATE: (0, 0),
        Tier.ACHIEVED: (0, 0),
    }


def test_last_quarter_sees_only_its_own_tier_moves(tier_world):
    moves = tier_moves(replace(QUARTER, period=Period.LAST_QUARTER))

    assert [(move.before, move.after) for move in moves] == [(Tier.RESERVOIR, Tier.TECH_BASED)]


def test_a_tier_edited_through_the_firm_form_counts_as_a_move(app):
    admin = UserFactory(role="admin")
    edited = firm()
    data = replace(input_from_enterprise(edited), tier=Tier.TECH_BASED.value)

    update_enterprise(admin, edited, data, edited.version_id, utcnow())

    [move] = tier_moves(DashboardFilter(today=today()))
    assert (move.enterprise_id, move.before, move.after) == (
        edited.id,
        Tier.RESERVOIR,
        Tier.TECH_BASED,
    )


@pytest.fixture
def scored(app) -> dict[str, Enterprise]:
    rose, fell, still = firm(), firm(zone="nanxi", sub_district="jingansi"), firm()
    runs = [
        ScoringRunFactory(as_of=date(2026, 4, 1), scored_at=datetime(2026, 4, 1, 3)),
        ScoringRunFactory(as_of=date(2026, 5, 1), scored_at=datetime(2026, 5, 1, 3)),
    ]
    for enterprise, before, after in ((rose, 0.2, 0.6), (fell, 0.5, 0.4), (still, 0.3, 0.3)):
        for run, percentile in zip(runs, (before, after), strict=True):
            PotentialScoreFactory(run=run, enterprise=enterprise, score=percentile)
    return {"rose": rose, "fell": fell}


def test_score_movers_in_view_follow_the_dashboard_filter(scored):
    everywhere = score_movers_in_view(QUARTER)
    nanxi = score_movers_in_view(replace(QUARTER, zone="nanxi"))

    assert [mover.enterprise_id for mover in everywhere] == [scored["rose"].id, scored["fell"].id]
    assert [mover.enterprise_id for mover in nanxi] == [scored["fell"].id]
    assert [mover.enterprise_id for mover in score_movers()] == [
        mover.enterprise_id for mover in everywhere
    ]


# Filters --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("place", "firm_count", "open_count", "yuan_granted"),
    [
        ({}, 3, 3, 600),
        ({"zone": "nanxi"}, 1, 1, 200),
        ({"sub_district": "jiangninglu"}, 1, 1, 200),
        ({"track": "fintech"}, 1, 1, 300),
        ({"zone": "daning", "track": "fintech"}, 0, 0, 0),
    ],
)
def test_every_figure_narrows_to_the_chosen_zone_sub_district_and_track(
    app, place, firm_count, open_count, yuan_granted
):
    firms = [
        firm(),
        firm(zone="nanxi", sub_district="jiangninglu"),
        firm(zone="suhewan", sub_district="beizhan", track="fintech"),
    ]
    for amount, enterprise in zip(("100", "200", "300"), firms, strict=True):
        raise_request(enterprise, date(2026, 5, 1), date(2026, 5, 30))
        grant(enterprise, "loan_interest_subsidy", amount, date(2026, 5, 1))
    filters = replace(QUARTER, **place)

    visits = visit_coverage_by_sub_district(filters, reminder_settings())
    requests = request_coverage_by_department(filters)
    support = support_by_instrument(filters)

    assert sum(row.firm_count for row in visits) == firm_count
    assert sum(row.open_count for row in requests) == open_count
    assert sum(row.yuan_granted for row in support) == yuan_granted


# Sections -------------------------------------------------------------------------------------


def test_coverage_sections_give_every_section_of_well_formed_tables(
    visited_world, requests_world, support_world, tier_world
):
    sections = coverage_sections(QUARTER, "zh")

    assert [section.key for section in sections] == [
        "visits",
        "requests",
        "support",
        "pipeline",
        "listings",
        "discovery",
        "credit",
    ]
    tables = {table.key: table for section in sections for table in section.tables}
    assert {key: len(table.rows) for key, table in tables.items()} == {
        "visits_by_sub_district": 3,  # daninglu, jiangninglu, jingansi
        "visits_by_manager": 3,  # the two managers, then the firms nobody manages
        "requests_by_department": 10,
        "requests_by_category": 8,
        "support_by_instrument": 12,
        "support_by_zone": 2,
        "support_by_tier": 5,
        "support_by_firm": 2,
        "tier_moves": 6,  # five tiers and the total
        "tier_changes": 3,
        "score_movers": 0,  # no scoring run yet
        "listing_funnel": 10,  # every stage, then the total, even before the first track
        "listing_forecast": 10,
        "listing_stuck": 0,
        "discovery_by_source": 0,
        "credit_by_bank": 0,
        "credit_by_zone": 0,
        "credit_by_track": 0,
    }
    for table in tables.values():
        assert table.title
        assert table.note
        assert all(len(row) == len(table.columns) for row in table.rows), table.key
        assert all(index < len(table.columns) for index in table.percent_columns)
        if table.chart is not None:
            assert all(len(s.values) == len(table.chart.labels) for s in table.chart.series)


def test_coverage_tables_name_places_in_the_locale_and_link_firms(support_world, tier_world):
    sections = coverage_sections(QUARTER, "zh")

    tables = {table.key: table for section in sections for table in section.tables}
    assert tables["visits_by_sub_district"].rows[0][0] == "静安寺街道"
    assert tables["support_by_zone"].rows[1][:5] == ["南西功能区", 1, 100000.0, 0.0, 0.0]
    assert tables["support_by_zone"].percent_columns == frozenset({4})
    candidate = support_world[0]
    assert tables["support_by_firm"].rows[0][0] == FirmLink(candidate.id, candidate.name)
    assert tables["tier_moves"].rows[-1][1:] == [2, 1]
    assert all(isinstance(row[0], FirmLink) for row in tables["tier_changes"].rows)
    assert tables["visits_by_sub_district"].chart.percent

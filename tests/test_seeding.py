"""The demo generator: deterministic, valid data, demo accounts, and the seed-demo command."""

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from crm.enterprises.uscc import is_valid_uscc
from crm.seeding import DEMO_PASSWORD, demo_logins, seed_demo
from models import (
    AuditEntry,
    Designation,
    DiscoveryCandidate,
    Enterprise,
    EnterpriseRequest,
    ListingTrack,
    Nomination,
    PackageItem,
    PolicyPackage,
    RequestEvent,
    RequestState,
    Tier,
    User,
    Visit,
    db,
)
from scoring.labels import MILESTONE_DESIGNATIONS
from tests.factories import EnterpriseFactory
from tests.helpers import log_in, row_count, seeded_demo_app

AS_OF = date(2026, 3, 1)
pytestmark = pytest.mark.usefixtures("quick_password_hashes")  # demo accounts
LAST_YEAR = 2025
FIRST_STATISTICS_YEAR = LAST_YEAR - 14  # the statistics reach fifteen years back
MILESTONES = {
    Designation.UNICORN,
    Designation.HIDDEN_CHAMPION,
    Designation.SINGLE_ITEM_CHAMPION,
    Designation.CHAIN_LEADER,
    Designation.LISTED,
}


@pytest.fixture(scope="module")
def seeded_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One reservoir of 200 firms (seed 7), shared by the read-only checks of this module.

    Seeding hashes 26 demo passwords (about two seconds), too slow to repeat for every check.
    The database is a file of its own, so the per-test `app` fixture never meets it.
    """
    app = seeded_demo_app(tmp_path_factory.mktemp("seeded"), 200, seed=7, today=AS_OF)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def seeded(seeded_app: Flask) -> Iterator[Flask]:
    with seeded_app.app_context():
        yield seeded_app


def _firms() -> list[Enterprise]:
    return list(db.session.scalars(select(Enterprise).order_by(Enterprise.id)))


def _reservoir() -> list[tuple[object, ...]]:
    """Everything the generator decides, as plain values that outlive the session."""
    return [
        (
            firm.name,
            firm.uscc,
            firm.address,
            firm.founded_on,
            firm.registered_capital,
            firm.tier,
            firm.status,
            firm.sub_district.slug,
            firm.zone.slug,
            firm.track.slug,
            firm.manager.username if firm.manager else None,
            [(row.designation, row.awarded_on) for row in firm.designation_rows],
            [(event.closed_on, event.amount, event.stage) for event in firm.funding_events],
            firm.in_hundred_enterprises_plan,
            firm.notes,
            firm.created_at,
            [
                (
                    row.year,
                    row.revenue,
                    row.revenue_growth_pct,
                    row.employees,
                    row.rd_spend,
                    row.patents,
                    row.pct_applications,
                    row.blockchain_scenarios,
                    row.funding_raised,
                    row.valuation,
                    row.tax_paid,
                )
                for row in firm.yearly_figures
            ],
            [
                (contact.name, contact.title, contact.phone, contact.email)
                for contact in firm.contacts
            ],
        )
        for firm in _firms()
    ]


def _work() -> list[tuple[object, ...]]:
    # By credit code, not id: another database (PostgreSQL's sequences) numbers the firms apart.
    visits = db.session.execute(
        select(Enterprise.uscc, Visit.visited_on, Visit.kind, Visit.summary)
        .join(Enterprise, Enterprise.id == Visit.enterprise_id)
        .order_by(Enterprise.uscc, Visit.visited_on, Visit.id)
    )
    requests = db.session.execute(
        select(EnterpriseRequest.raised_on, EnterpriseRequest.state).order_by(
            EnterpriseRequest.raised_on, EnterpriseRequest.id
        )
    )
    items = db.session.execute(
        select(PackageItem.amount, PackageItem.disbursed_on).order_by(PackageItem.id)
    )
    tracks, candidates, nominations = _action_plan()
    return [*visits.all(), *requests.all(), *items.all(), *tracks, *candidates, *nominations]


def _action_plan() -> tuple[list[tuple[object, ...]], ...]:
    """The listing tracks, discovery candidates and white-list nominations, by credit code."""
    tracks = [
        (t.enterprise.uscc, t.board, t.stage, t.stage_since, t.sponsor, len(t.steps))
        for t in db.session.scalars(select(ListingTrack).order_by(ListingTrack.id))
    ]
    admitted = aliased(Enterprise)
    candidates = db.session.execute(
        select(
            DiscoveryCandidate.name,
            DiscoveryCandidate.uscc,
            DiscoveryCandidate.source_kind,
            DiscoveryCandidate.state,
            DiscoveryCandidate.received_on,
            DiscoveryCandidate.score,
            admitted.uscc,
        )
        .outerjoin(admitted, admitted.id == DiscoveryCandidate.admitted_enterprise_id)
        .order_by(DiscoveryCandidate.id)
    )
    nominations = db.session.execute(
        select(Enterprise.uscc, Nomination.decision, Nomination.quota_granted, Nomination.rate)
        .join(Enterprise, Enterprise.id == Nomination.enterprise_id)
        .order_by(Nomination.id)
    )
    return tracks, list(candidates.all()), list(nominations.all())


def test_the_same_arguments_seed_the_same_reservoir_into_another_database(app, seeded_app):
    seed_demo(200, seed=7, today=AS_OF)
    db.session.commit()

    again, work_again = _reservoir(), _work()
    with seeded_app.app_context():
        first, work_first = _reservoir(), _work()
    assert len(again) == 200
    assert all(_action_plan())  # the demo's tracks, candidates and nominations are compared too
    assert again == first
    assert work_again == work_first


def test_another_seed_seeds_other_firms(app, seeded_app):
    seed_demo(50, seed=8, today=AS_OF)

    usccs = {firm.uscc for firm in _firms()}
    with seeded_app.app_context():
        seeded_usccs = {firm.uscc for firm in _firms()}
    assert len(usccs) == 50
    assert usccs.isdisjoint(seeded_usccs)


def test_every_seeded_firm_has_a_unique_valid_jingan_uscc_and_a_unique_name(seeded):
    firms = _firms()

    usccs = [firm.uscc for firm in firms]
    names = [firm.name for firm in firms]
    assert all(is_valid_uscc(uscc) for uscc in usccs)
    assert all(uscc.startswith("91310106") for uscc in usccs)
    assert len(set(usccs)) == len(firms) == 200
    assert len(set(names)) == len(firms)
    assert all(name.endswith("有限公司") and "上海" in name for name in names)


def test_every_seeded_firm_has_figures_since_founding_and_its_sub_districts_manager(seeded):
    firms = _firms()

    for firm in firms:
        years = [row.year for row in firm.yearly_figures]
        assert years == list(range(years[0], years[-1] + 1)), firm.name
        assert years[0] == max(firm.founded_on.year, FIRST_STATISTICS_YEAR), firm.name
        assert years[-1] in {LAST_YEAR, LAST_YEAR - 1}  # a closed firm filed no last year
        assert firm.manager.username == f"mgr.{firm.sub_district.slug}"
        assert firm.manager.sub_district_id == firm.sub_district_id


def test_revenue_growth_follows_from_consecutive_revenues(seeded):
    firm = max(_firms(), key=lambda firm: len(firm.yearly_figures))

    previous, current = firm.yearly_figures[-2], firm.yearly_figures[-1]
    expected = ((current.revenue / previous.revenue - 1) * 100).quantize(Decimal("0.01"))
    assert current.revenue_growth_pct == expected
    assert firm.yearly_figures[0].revenue_growth_pct is None


def test_milestone_designations_only_go_to_achieved_firms_on_a_tier_pyramid(seeded):
    firms = _firms()

    tiers = {tier: sum(firm.tier == tier for firm in firms) for tier in Tier}
    assert tiers[Tier.RESERVOIR] > tiers[Tier.TECH_BASED] > tiers[Tier.NEW_TRACK]
    assert tiers[Tier.NEW_TRACK] > tiers[Tier.CANDIDATE] >= tiers[Tier.ACHIEVED] >= 1
    for firm in firms:
        if MILESTONES & set(firm.designations):
            assert firm.tier == Tier.ACHIEVED, firm.name
        if Designation.UNICORN in firm.designations:
            assert firm.yearly_figures[-1].valuation >= 700_000  # US$1 billion, in 10,000 yuan


def test_seeded_contacts_have_mobile_numbers_and_reserved_mail_domains(seeded):
    firms = _firms()

    contacts = [contact for firm in firms for contact in firm.contacts]
    assert all(1 <= len(firm.contacts) <= 3 for firm in firms)
    assert all(
        contact.phone and len(contact.phone) == 11 and contact.phone[:2] in {"13", "15", "18"}
        for contact in contacts
    )
    assert all(contact.email and contact.email.endswith(".example.com") for contact in contacts)


def test_demo_accounts_log_in_with_the_demo_password(seeded):
    for username in ("admin", "leader", "mgr.daninglu", "dept.stec"):
        user = db.session.scalar(select(User).where(User.username == username))

        log_in(seeded.test_client(), user, password=DEMO_PASSWORD)


def test_demo_logins_name_each_kind_of_demo_account(seeded):
    lines = demo_logins()

    assert lines[0].startswith("admin ")
    assert lines[1].startswith("leader ")
    assert lines[2].startswith("mgr.jingansi ... mgr.pengpuzhen ")
    assert "14" in lines[2]
    assert lines[3].startswith("dept.stec ")
    assert "10" in lines[3]


def test_demo_logins_are_empty_without_demo_accounts(app):
    assert demo_logins() == []


def test_seed_demo_command_refuses_a_database_that_holds_firms(app):
    EnterpriseFactory()
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["crm", "seed-demo", "--firms", "50"])

    assert result.exit_code == 1
    assert "already holds firms" in result.output
    assert row_count(User) == 0
    assert row_count(Enterprise) == 1


def test_seed_demo_command_seeds_a_small_reservoir_and_prints_the_logins(app):
    args = ["crm", "seed-demo", "--firms", "50", "--seed", "3", "--as-of", "2026-03-01"]

    result = app.test_cli_runner().invoke(args=args)

    assert result.exit_code == 0, result.output
    assert "Seeded 50 firms" in result.output
    assert DEMO_PASSWORD in result.output
    assert "mgr.jingansi" in result.output
    assert row_count(Enterprise) == 50
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "seed"))
    assert entry.changes["firms"] == [0, 50]


def test_demo_work_is_dated_in_order_and_never_after_the_seed_date(seeded):
    requests = db.session.scalars(select(EnterpriseRequest)).all()
    packages = db.session.scalars(select(PolicyPackage)).all()
    visits = db.session.scalars(select(Visit)).all()

    assert visits
    assert requests
    assert packages
    assert all(visit.visited_on < AS_OF for visit in visits)
    for request in requests:
        assert request.raised_on == request.visit.visited_on
        moments = [event.at for event in request.events]
        assert moments == sorted(moments)
        assert moments[-1].date() < AS_OF
        assert request.events[-1].to_state == request.state
    for package in packages:
        if package.decided_at is not None:
            assert package.decided_at > package.proposed_at
        for item in package.items:
            if item.disbursed_on is not None:
                assert package.decided_at.date() <= item.granted_on <= item.disbursed_on < AS_OF
                assert item.disbursed_amount <= item.amount


def test_demo_requests_are_in_every_state_and_packages_respect_ceilings(seeded):
    states = set(db.session.scalars(select(EnterpriseRequest.state)))
    items = db.session.scalars(select(PackageItem)).all()

    assert states == set(RequestState)
    assert all(
        item.instrument.ceiling is None or item.amount <= item.instrument.ceiling for item in items
    )


def test_each_demo_requests_history_steps_from_the_state_the_last_step_left(seeded):
    """As the workflow records it: created open, then each step from where the previous one
    ended, the last one where the request stands."""
    events = db.session.execute(
        select(RequestEvent.request_id, RequestEvent.from_state, RequestEvent.to_state).order_by(
            RequestEvent.request_id, RequestEvent.at, RequestEvent.id
        )
    ).all()
    states = dict(db.session.execute(select(EnterpriseRequest.id, EnterpriseRequest.state)).all())
    broken, standing = [], {}
    for request_id, from_state, to_state in events:
        if from_state != standing.get(request_id):
            broken.append((request_id, from_state, standing.get(request_id)))
        standing[request_id] = to_state

    assert broken == []
    assert standing == states


def test_nothing_in_the_demo_history_is_dated_after_the_seed_date(seeded):
    firms = _firms()
    held = [(firm, row) for firm in firms for row in firm.designation_rows]
    events = [(firm, event) for firm in firms for event in firm.funding_events]
    items = db.session.scalars(select(PackageItem)).all()

    assert held
    assert events
    for firm, row in held:
        assert firm.founded_on < row.awarded_on <= AS_OF - timedelta(days=30), firm.name
    for firm, event in events:
        assert firm.founded_on <= event.closed_on < AS_OF
        assert event.amount > 0
    assert all(row.year <= LAST_YEAR for firm in firms for row in firm.yearly_figures)
    assert all(item.disbursed_on < AS_OF for item in items if item.disbursed_on is not None)
    assert all(firm.created_at.date() < AS_OF for firm in firms)


def test_milestones_spread_over_the_years_and_little_giants_follow_srdi(seeded):
    firms = _firms()

    milestones = [
        row
        for firm in firms
        for row in firm.designation_rows
        if row.designation.value in MILESTONE_DESIGNATIONS
    ]
    years = {row.awarded_on.year for row in milestones}
    assert len(milestones) >= 10  # of 200 firms: about 9 in 100 reach one
    assert min(years) <= 2018
    assert max(years) >= 2024
    for firm in firms:  # the ministry names little giants among SRDI firms
        days = {row.designation: row.awarded_on for row in firm.designation_rows}
        if Designation.LITTLE_GIANT in days:
            assert days[Designation.SRDI_SME] < days[Designation.LITTLE_GIANT]


def test_a_firm_shows_its_rise_in_the_years_before_its_milestone(seeded):
    """Signals precede outcomes: in the three years filed before its first milestone a firm grew
    faster, spent more on R&D and held more designations than the firms without one did at the
    same dates (firms with three years filed, so start-ups' first leaps do not count)."""
    firms = _firms()
    firsts = {
        firm.id: min(
            row.awarded_on
            for row in firm.designation_rows
            if row.designation.value in MILESTONE_DESIGNATIONS
        )
        for firm in firms
        if {d.value for d in firm.designations} & MILESTONE_DESIGNATIONS
    }
    others = [firm for firm in firms if firm.id not in firsts]

    reached = [_signals(firm, day) for firm in firms if (day := firsts.get(firm.id))]
    compared = [_signals(other, day) for day in firsts.values() for other in others]
    reached = [row for row in reached if row is not None]
    compared = [row for row in compared if row is not None]
    assert len(reached) >= 10
    for index in range(3):  # growth, R&D intensity, designations held
        assert _mean(reached, index) > _mean(compared, index)


def _signals(firm: Enterprise, day: date) -> tuple[float, float, float] | None:
    """Mean growth and R&D intensity of the last three years filed before `day` (a year's
    statistics are filed by April of the next), and the designations held then."""
    filed = [row for row in firm.yearly_figures if date(row.year + 1, 4, 1) < day][-3:]
    if len(filed) < 3 or any(row.revenue_growth_pct is None for row in filed):
        return None
    growth = sum(float(row.revenue_growth_pct) for row in filed) / 3
    intensity = sum(float(row.rd_spend / row.revenue) for row in filed) / 3
    held = sum(1 for row in firm.designation_rows if row.awarded_on < day)
    return growth, intensity, float(held)


def _mean(rows: list[tuple[float, float, float]], index: int) -> float:
    return sum(row[index] for row in rows) / len(rows)


def test_older_visits_and_support_reach_back_to_the_reservoirs_opening(seeded):
    first_visit = db.session.scalar(select(func.min(Visit.visited_on)))
    visits = row_count(Visit)
    disbursed = db.session.scalars(
        select(PackageItem.disbursed_on).where(PackageItem.disbursed_on.is_not(None))
    ).all()

    assert first_visit.year == AS_OF.year - 13
    assert visits <= 30 * 200  # bounded: some 12 a firm over thirteen years
    assert min(disbursed) < AS_OF - timedelta(days=5 * 365)


def test_demo_incubated_firms_are_young_and_joined_soon_after_founding(seeded):
    firms = _firms()

    incubated = [
        (firm, row)
        for firm in firms
        for row in firm.designation_rows
        if row.designation == Designation.INCUBATED
    ]
    assert 0.1 * len(firms) <= len(incubated) <= 0.3 * len(firms)
    for firm, row in incubated:
        assert LAST_YEAR - firm.founded_on.year <= 8, firm.name
        assert firm.founded_on < row.awarded_on <= firm.founded_on + timedelta(days=540)
        assert row.awarded_on <= AS_OF - timedelta(days=30)


def test_demo_blockchain_scenarios_are_counted_since_2023_and_launched_by_a_minority(seeded):
    firms = _firms()

    rows = [(firm, row) for firm in firms for row in firm.yearly_figures]
    assert all(row.blockchain_scenarios is None for _firm, row in rows if row.year < 2023)
    counted = [(firm, row) for firm, row in rows if row.year >= 2023]
    assert all(row.blockchain_scenarios is not None for _firm, row in counted)
    assert all(row.blockchain_scenarios >= 0 for _firm, row in counted)
    launching = {firm.id for firm, row in counted if row.blockchain_scenarios}
    assert 0 < len(launching) < 0.25 * len(firms)

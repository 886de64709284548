"""Every reminder rule on a controlled clock: when it starts, whom it reaches, when it closes."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from crm.reminders.rules import visit_due_dates, week_of
from models import (
    EnterpriseRequest,
    ItemState,
    Reminder,
    ReminderState,
    RequestState,
    ScoringRun,
    Tier,
    User,
    db,
)
from tests import factories
from tests.factories import EnterpriseRequestFactory
from tests.helpers import (
    add_follow_up,
    granted_package,
    item,
    log_visit,
    propose,
    reminder_settings,
    scan_on,
    stored,
)

# The scan and the scheduler read through connections of their own: the data is committed.
pytestmark = pytest.mark.own_database

VISITED = date(2026, 5, 4)


# Visits ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tier", "days"),
    [
        (Tier.CANDIDATE, 30),
        (Tier.NEW_TRACK, 91),
        (Tier.TECH_BASED, 182),
        (Tier.RESERVOIR, 365),
    ],
)
def test_visit_cadence_follows_the_tier(app, manager, tier, days):
    firm = factories.EnterpriseFactory(tier=tier, manager=manager)
    log_visit(firm, VISITED, manager)
    (due,) = visit_due_dates(reminder_settings())
    assert due.due_on == VISITED + timedelta(days=days)


def test_a_never_visited_firm_is_due_a_cadence_after_it_joined(app, manager):
    factories.EnterpriseFactory(tier=Tier.NEW_TRACK, manager=manager)  # created 2026-01-05
    (due,) = visit_due_dates(reminder_settings())
    assert due.due_on == date(2026, 1, 5) + timedelta(days=91)


def test_manager_reminded_a_week_before_and_on_the_due_day(app, manager, candidate):
    log_visit(candidate, VISITED, manager)
    due_on = VISITED + timedelta(days=30)
    scan_on(due_on - timedelta(days=8))
    assert stored() == []
    scan_on(due_on - timedelta(days=7))
    assert stored() == [("visit_upcoming", candidate.id, due_on, manager.username)]
    scan_on(due_on)
    # The week-before reminder gives way to the due-day one: one thing to do, not two.
    assert stored() == [("visit_due", candidate.id, due_on, manager.username)]
    assert stored("visit_upcoming", ReminderState.CLOSED) == [
        ("visit_upcoming", candidate.id, due_on, manager.username)
    ]


def test_thirty_days_late_escalates_to_the_contact_leader(app, manager, leader, candidate):
    other_leader = factories.UserFactory(role="leader")
    candidate.contact_leader = leader
    log_visit(candidate, VISITED, manager)
    due_on = VISITED + timedelta(days=30)
    scan_on(due_on + timedelta(days=29))
    assert stored("visit_escalated") == []
    late = due_on + timedelta(days=30)
    scan_on(late)
    # Rolled up: the sub-district's reminder of the week, the firm inside it.
    assert stored("visit_escalated") == [
        ("visit_escalated", candidate.sub_district_id, week_of(late), leader.username)
    ]
    assert other_leader.username not in {row[3] for row in stored()}
    assert stored("visit_due") == [("visit_due", candidate.id, due_on, manager.username)]


def test_without_a_contact_leader_every_leader_hears_of_it(app, manager, leader, candidate):
    second = factories.UserFactory(role="leader")
    log_visit(candidate, VISITED, manager)
    scan_on(VISITED + timedelta(days=60))
    assert {row[3] for row in stored("visit_escalated")} == {leader.username, second.username}


def test_logging_the_visit_closes_its_reminders(app, manager, leader, candidate):
    log_visit(candidate, VISITED, manager)
    late = VISITED + timedelta(days=70)
    scan_on(late)
    assert {row[0] for row in stored()} == {"visit_due", "visit_escalated"}
    log_visit(candidate, late, manager)
    summary = scan_on(late)
    assert stored() == []
    assert summary.closed == 2
    assert {row[0] for row in stored(state=ReminderState.CLOSED)} == {
        "visit_due",
        "visit_escalated",
    }


def test_an_earlier_planned_visit_makes_it_due_sooner(app, manager, candidate):
    log_visit(candidate, VISITED, manager, next_visit_on=VISITED + timedelta(days=10))
    (due,) = visit_due_dates(reminder_settings())
    assert due.due_on == VISITED + timedelta(days=10)


def _run(as_of: date) -> ScoringRun:
    return factories.ScoringRunFactory(as_of=as_of, scored_at=datetime(2026, 6, 1), firms=2)


def test_a_sharp_rise_in_score_brings_the_visit_forward(app, manager):
    steady = factories.EnterpriseFactory(tier=Tier.RESERVOIR, manager=manager)
    riser = factories.EnterpriseFactory(tier=Tier.RESERVOIR, manager=manager)
    for firm in (steady, riser):
        log_visit(firm, VISITED, manager)
    before, after = _run(date(2026, 6, 1)), _run(date(2026, 6, 2))
    for run, steady_pct, riser_pct in ((before, 0.50, 0.40), (after, 0.55, 0.75)):
        for firm, pct in ((steady, steady_pct), (riser, riser_pct)):
            factories.PotentialScoreFactory(run=run, enterprise=firm, score=pct)
    due = {row.enterprise_id: row.due_on for row in visit_due_dates(reminder_settings())}
    assert due[steady.id] == VISITED + timedelta(days=365)  # +5 points: not sharp
    assert due[riser.id] == date(2026, 6, 2) + timedelta(days=14)  # +35 points


def test_a_rise_before_the_last_visit_changes_nothing(app, manager):
    firm = factories.EnterpriseFactory(tier=Tier.RESERVOIR, manager=manager)
    before, after = _run(date(2026, 4, 1)), _run(date(2026, 4, 2))
    for run, pct in ((before, 0.1), (after, 0.9)):
        factories.PotentialScoreFactory(run=run, enterprise=firm, score=pct)
    log_visit(firm, VISITED, manager)  # after the rise: already seen to
    (due,) = visit_due_dates(reminder_settings())
    assert due.due_on == VISITED + timedelta(days=365)


def test_thresholds_come_from_configuration(app, manager, candidate):
    app.config["REMINDER_VISIT_CADENCE_DAYS"] = {
        **app.config["REMINDER_VISIT_CADENCE_DAYS"],
        "candidate": 14,
    }
    app.config["REMINDER_VISIT_LEAD_DAYS"] = 2
    log_visit(candidate, VISITED, manager)
    scan_on(VISITED + timedelta(days=11))
    assert stored() == []
    scan_on(VISITED + timedelta(days=12))
    assert stored() == [
        ("visit_upcoming", candidate.id, VISITED + timedelta(days=14), manager.username)
    ]


def test_closed_and_moved_out_firms_and_firms_without_manager_get_no_manager_reminder(app, manager):
    factories.EnterpriseFactory(tier=Tier.CANDIDATE, manager=manager, status="moved_out")
    factories.EnterpriseFactory(tier=Tier.CANDIDATE, manager=None)
    scan_on(date(2026, 3, 1))
    assert stored("visit_due") == []


# Follow-up actions ----------------------------------------------------------------------------


def test_follow_up_reminds_its_owner_before_and_on_the_due_date(app, manager, candidate):
    owner = factories.UserFactory(role="manager")
    visit = log_visit(candidate, VISITED, manager)
    action = add_follow_up(visit, owner, date(2026, 5, 20))
    scan_on(date(2026, 5, 16))
    assert stored("follow_up_upcoming") == []
    scan_on(date(2026, 5, 17))
    assert stored("follow_up_upcoming") == [
        ("follow_up_upcoming", action.id, date(2026, 5, 20), owner.username)
    ]
    scan_on(date(2026, 5, 20))
    assert stored("follow_up_upcoming") == []
    assert stored("follow_up_due") == [
        ("follow_up_due", action.id, date(2026, 5, 20), owner.username)
    ]
    action.done_at = datetime(2026, 5, 21, 9, 0)
    scan_on(date(2026, 5, 21))
    assert stored("follow_up_due") == []


def test_deleting_the_visit_closes_its_follow_up_reminders(app, manager, candidate):
    visit = log_visit(candidate, VISITED, manager)
    add_follow_up(visit, manager, date(2026, 5, 10))
    scan_on(date(2026, 5, 12))
    assert stored("follow_up_due")
    visit.deleted_at = datetime(2026, 5, 12, 12, 0)
    scan_on(date(2026, 5, 12))
    assert stored("follow_up_due") == []


# Requests -------------------------------------------------------------------------------------


@pytest.fixture
def finance_head(app) -> User:
    return factories.UserFactory(
        role="department", department_slug="finance", is_department_head=True
    )


@pytest.fixture
def finance_clerk(app) -> User:
    return factories.UserFactory(role="department", department_slug="finance")


@pytest.fixture
def request_due_12th(app, manager, candidate) -> EnterpriseRequest:
    return EnterpriseRequestFactory(
        enterprise=candidate, created_by=manager, due_on=date(2026, 3, 12)
    )


def test_request_reminds_the_department_as_the_due_date_nears(
    app, finance_head, finance_clerk, request_due_12th
):
    scan_on(date(2026, 3, 8))
    assert stored("request_due") == []
    scan_on(date(2026, 3, 9))
    assert {row[3] for row in stored("request_due")} == {
        finance_head.username,
        finance_clerk.username,
    }
    assert stored("request_overdue") == []


def test_overdue_request_escalates_to_the_head_and_the_firms_manager(
    app, manager, finance_head, finance_clerk, request_due_12th
):
    scan_on(date(2026, 3, 12))
    assert stored("request_overdue") == []  # due today is not late yet
    scan_on(date(2026, 3, 13))
    assert {row[3] for row in stored("request_overdue")} == {
        finance_head.username,
        manager.username,
    }


def test_without_a_head_the_escalation_reaches_all_staff(
    app, manager, finance_clerk, request_due_12th
):
    scan_on(date(2026, 3, 20))
    assert {row[3] for row in stored("request_overdue")} == {
        finance_clerk.username,
        manager.username,
    }


def test_resolving_the_request_closes_its_reminders(app, finance_head, request_due_12th):
    scan_on(date(2026, 3, 20))
    assert stored("request_overdue")
    request_due_12th.state = RequestState.RESOLVED
    scan_on(date(2026, 3, 21))
    assert stored("request_due") == stored("request_overdue") == []


def test_a_transfer_moves_the_reminder_to_the_new_department(app, finance_clerk, request_due_12th):
    stec = factories.UserFactory(role="department", department_slug="stec")
    scan_on(date(2026, 3, 10))
    request_due_12th.department = stec.department
    scan_on(date(2026, 3, 10))
    assert {row[3] for row in stored("request_due")} == {stec.username}


def test_reopened_cause_reopens_the_closed_reminder(app, finance_clerk, request_due_12th):
    scan_on(date(2026, 3, 10))
    request_due_12th.state = RequestState.RESOLVED
    scan_on(date(2026, 3, 10))
    request_due_12th.state = RequestState.IN_PROGRESS  # the manager reopened it
    summary = scan_on(date(2026, 3, 10))
    assert summary.reopened == 1
    assert summary.created == 0
    assert len(stored("request_due")) == 1


# Packages -------------------------------------------------------------------------------------


def test_package_milestones_remind_the_firms_manager(app, manager, leader, candidate):
    package = granted_package(manager, candidate, date(2026, 4, 1), date(2026, 12, 1))
    loan, housing = package.items
    scan_on(date(2026, 3, 24))
    assert stored("package_disbursement") == stored("package_review") == []
    scan_on(date(2026, 3, 25))
    assert stored("package_disbursement") == [
        ("package_disbursement", loan.id, date(2026, 4, 1), manager.username)
    ]
    loan.state, loan.disbursed_amount = ItemState.DISBURSED, Decimal("500000")
    scan_on(date(2026, 11, 24))
    assert stored("package_disbursement") == []
    assert stored("package_review") == [
        ("package_review", housing.id, date(2026, 12, 1), manager.username)
    ]
    housing.state = ItemState.REVIEWED
    scan_on(date(2026, 12, 2))
    assert stored("package_review") == []


def test_a_proposed_package_has_no_milestone_reminders(app, manager, candidate):
    propose(
        manager, candidate, item("loan_interest_subsidy", "500000", disburse_by=date(2026, 4, 1))
    )
    scan_on(date(2026, 4, 5))
    assert stored("package_disbursement") == []


# Data freshness -------------------------------------------------------------------------------


def test_missing_figures_of_the_last_complete_year(app, manager):
    candidate = factories.EnterpriseFactory(manager=manager)
    factories.YearlyFiguresFactory(enterprise=candidate, year=2024)
    newcomer = factories.EnterpriseFactory(manager=manager, founded_on=date(2026, 2, 1))
    scan_on(date(2026, 4, 29))
    assert stored("figures_missing") == []  # last year's figures are not due yet
    scan_on(date(2026, 4, 30))
    assert stored("figures_missing") == [
        ("figures_missing", candidate.id, date(2026, 4, 30), manager.username)
    ]
    assert newcomer.id not in {row[1] for row in stored("figures_missing")}  # founded this year
    factories.YearlyFiguresFactory(enterprise=candidate, year=2025)
    scan_on(date(2026, 5, 1))
    assert stored("figures_missing") == []


def test_missing_figures_stay_due_over_new_year(app, manager):
    firm = factories.EnterpriseFactory(manager=manager, founded_on=date(2018, 3, 1))
    factories.YearlyFiguresFactory(enterprise=firm, year=2024)
    scan_on(date(2026, 5, 1))
    scan_on(date(2027, 1, 15))  # 2026's figures are not due yet; 2025's still are
    assert stored("figures_missing") == [
        ("figures_missing", firm.id, date(2026, 4, 30), manager.username)
    ]


def test_only_the_last_visits_plan_counts(app, manager, candidate):
    log_visit(candidate, date(2026, 3, 1), manager, next_visit_on=date(2026, 6, 20))
    log_visit(candidate, VISITED, manager, next_visit_on=VISITED + timedelta(days=5))
    (due,) = visit_due_dates(reminder_settings())
    assert due.due_on == VISITED + timedelta(days=5)


def test_a_deactivated_contact_leader_passes_the_escalation_to_every_leader(
    app, manager, leader, candidate
):
    gone = factories.UserFactory(role="leader", is_active_account=False)
    candidate.contact_leader = gone
    log_visit(candidate, VISITED, manager)
    scan_on(VISITED + timedelta(days=60))
    assert {row[3] for row in stored("visit_escalated")} == {leader.username}


def test_a_deleted_firms_requests_remind_nobody(app, finance_clerk, request_due_12th):
    scan_on(date(2026, 3, 10))
    assert stored("request_due")
    request_due_12th.enterprise.deleted_at = datetime(2026, 3, 10, 12, 0)
    scan_on(date(2026, 3, 10))
    assert stored("request_due") == []


# Idempotence ----------------------------------------------------------------------------------


def test_scanning_again_stores_nothing_twice(app, manager, leader, candidate, finance_clerk):
    log_visit(candidate, VISITED, manager)
    EnterpriseRequestFactory(enterprise=candidate, created_by=manager, due_on=date(2026, 3, 12))
    first = scan_on(date(2026, 8, 1))
    before = stored(state=None)
    second = scan_on(date(2026, 8, 1))
    assert first.created == len(before) > 0
    assert second.created == second.closed == 0
    assert stored(state=None) == before


def test_done_stays_done_while_the_cause_lasts(app, manager, candidate):
    log_visit(candidate, VISITED, manager)
    scan_on(date(2026, 6, 10))
    reminder = db.session.scalars(select(Reminder)).one()
    reminder.state = ReminderState.DONE
    scan_on(date(2026, 6, 11))
    assert stored() == []
    assert len(stored(state=ReminderState.DONE)) == 1


def test_deactivated_users_get_no_reminders(app, manager, candidate):
    manager.is_active_account = False
    log_visit(candidate, VISITED, manager)
    scan_on(date(2026, 6, 10))
    assert stored() == []

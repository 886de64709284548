"""The dashboard's white-list section: the banks' decisions in the period, and the quota in force
and the loans outstanding today, per bank, zone and track."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from crm.credit import decisions
from crm.dashboard.filters import DashboardFilter, Period
from crm.dashboard.sections.credit import credit_groups, credit_section
from tests import factories
from tests.credit.conftest import LATER, nominate
from tests.helpers import log_in

TODAY = date(2026, 12, 4)


def test_the_section_totals_the_quota_in_force_and_the_loans_outstanding(
    app, leader, manager, listed, batch
):
    decisions.record_drawdown(
        manager, listed, decisions.DrawdownInput(date(2026, 11, 25), Decimal(250)), LATER
    )

    section = credit_section(DashboardFilter(today=TODAY, period=Period.YEAR), "en")

    by_bank = section.tables[0]
    assert by_bank.rows == [["Bank of Shanghai", 1, 0, 0, 1000.0, 250.0, 0.25]]
    assert [table.key for table in section.tables] == [
        "credit_by_bank",
        "credit_by_zone",
        "credit_by_track",
    ]
    assert section.tables[1].rows[0][0] == "Daning Zone"


def test_the_filters_leave_out_firms_not_in_view(app, listed):
    elsewhere = DashboardFilter(today=TODAY, period=Period.YEAR, zone="shibei")

    assert credit_groups(elsewhere) == {}


def test_pending_nominations_count_today(app, manager, batch):
    nominate(manager, batch, factories.EnterpriseFactory())

    groups = credit_groups(DashboardFilter(today=TODAY, period=Period.QUARTER))

    assert [totals.pending for totals in groups.values()] == [1]


def test_the_dashboard_page_shows_the_section(client, leader, listed):
    log_in(client, leader)

    page = client.get("/dashboard/?period=plan")

    assert page.status_code == 200
    assert "White-list quotas by bank" in page.text


def test_a_quota_granted_before_the_period_still_stands_against_this_periods_loans(
    app, manager, listed
):
    decisions.record_drawdown(
        manager,
        listed,
        decisions.DrawdownInput(date(2027, 2, 1), Decimal(300)),
        datetime(2027, 2, 10, 9, 0),
    )
    next_quarter = DashboardFilter(today=date(2027, 2, 10), period=Period.QUARTER)

    [totals] = credit_groups(next_quarter).values()

    assert (totals.listed, totals.granted, totals.drawn) == (0, Decimal(1000), Decimal(300))
    assert totals.drawn_share == 0.3


def test_a_repaid_loan_and_a_lapsed_renewal_no_longer_count(app, manager, listed):
    decisions.record_drawdown(
        manager,
        listed,
        decisions.DrawdownInput(date(2026, 11, 25), Decimal(250), repaid_on=date(2027, 1, 5)),
        LATER,
    )
    repaid = DashboardFilter(today=date(2027, 1, 10), period=Period.YEAR)
    lapsed = DashboardFilter(today=listed.renewal_on + timedelta(days=1), period=Period.PLAN)

    [before_lapse] = credit_groups(repaid).values()
    [after_lapse] = credit_groups(lapsed).values()

    assert (before_lapse.granted, before_lapse.drawn) == (Decimal(1000), 0)
    assert after_lapse.granted == 0

"""The measures and the pace, on small worlds whose answers are known."""

from datetime import date, datetime, timedelta

import pytest

from crm.dashboard.facts import FirmFacts, load_facts
from crm.enterprises import services
from crm.targets.progress import (
    firm_value,
    last_complete_year,
    progress,
    quarter_ends,
    value_on,
)
from models import Target, TargetMeasure, Tier, db
from tests.factories import EnterpriseFactory, TargetFactory, UserFactory

DEADLINE = date(2026, 12, 31)


def firms_target(**fields: object) -> Target:
    return TargetFactory.build(goal=10, deadline=DEADLINE, measure=TargetMeasure.FIRMS, **fields)


def figure_target(**fields: object) -> Target:
    return TargetFactory.build(
        goal=100, deadline=DEADLINE, measure=TargetMeasure.FIGURE_SUM, **fields
    )


def firm(
    entered: date = date(2024, 1, 1), tier: Tier = Tier.RESERVOIR, **fields: object
) -> FirmFacts:
    return FirmFacts(id=1, zone_id=1, sub_district_id=1, entered_on=entered, tier=tier, **fields)


def test_a_firm_counts_at_the_tier_it_had_that_day():
    # Promoted to new-track on 2025-07-01: before that day it was tech-based.
    promoted = firm(tier=Tier.NEW_TRACK, tier_changes=[(date(2025, 7, 1), Tier.TECH_BASED)])
    target = firms_target(tier_at_least="new_track")
    assert firm_value(target, promoted, date(2025, 6, 30)) == 0
    assert firm_value(target, promoted, date(2025, 7, 1)) == 1
    assert firm_value(firms_target(tier_at_least="tech_based"), promoted, date(2025, 1, 1)) == 1
    assert firm_value(target, promoted, date(2023, 12, 31)) == 0  # not yet in the reservoir


def test_a_designation_counts_from_its_award_or_else_from_entry():
    holder = firm(designations={"listed": date(2025, 5, 5), "unicorn": None})
    listed = firms_target(designations=["listed"])
    assert firm_value(listed, holder, date(2025, 5, 4)) == 0
    assert firm_value(listed, holder, date(2025, 5, 5)) == 1
    assert firm_value(firms_target(designations=["unicorn"]), holder, date(2024, 1, 1)) == 1
    assert firm_value(firms_target(designations=["gazelle"]), holder, date(2026, 1, 1)) == 0


def test_figures_count_from_the_end_of_their_year():
    reporting = firm(figures={"pct_applications": {2024: 3, 2025: 5, 2026: 7}})
    yearly = figure_target(figure="pct_applications", is_per_year=True)
    cumulated = figure_target(figure="pct_applications", since_year=2025)
    assert last_complete_year(date(2026, 12, 30)) == 2025
    assert last_complete_year(date(2026, 12, 31)) == 2026
    assert firm_value(yearly, reporting, date(2026, 11, 16)) == 5
    assert firm_value(yearly, reporting, date(2026, 12, 31)) == 7
    assert firm_value(cumulated, reporting, date(2025, 12, 30)) == 0
    assert firm_value(cumulated, reporting, date(2026, 11, 16)) == 5
    assert firm_value(cumulated, reporting, date(2026, 12, 31)) == 12


def test_quarter_ends_run_from_the_plan_start_to_today():
    assert quarter_ends(date(2025, 8, 15)) == [
        date(2025, 3, 31),
        date(2025, 6, 30),
        date(2025, 8, 15),
    ]
    assert quarter_ends(date(2026, 12, 31))[-1] == date(2026, 12, 31)
    assert len(quarter_ends(date(2026, 12, 31))) == 8


def test_the_pace_carries_the_gain_since_the_plan_began_to_the_deadline():
    today = date(2025, 12, 31)  # 365 days into the plan, 365 days before the deadline
    gained = [
        firm(entered=date(2024, 6, 1)),
        *[firm(entered=date(2025, 1, 1) + timedelta(days=73 * n)) for n in range(5)],
    ]
    target = firms_target(tier_at_least="reservoir")
    result = progress(target, gained, today)
    assert (result.start_value, result.value) == (1, 6)
    assert result.projected == pytest.approx(6 + 5 * 365 / 365)
    assert result.on_pace is True  # 11 >= 10
    target.goal = 12
    assert progress(target, gained, today).on_pace is False
    # A zone with half the firms gets half the goal.
    assert progress(target, gained, today, scope_share=0.5).goal == 6


def test_a_yearly_figure_is_projected_from_its_last_two_years():
    reporting = [firm(figures={"patents": {2024: 40, 2025: 70}})]
    target = figure_target(figure="patents", is_per_year=True)
    result = progress(target, reporting, date(2026, 6, 1))
    assert result.value == 70
    assert result.projected == 100  # 70 and another +30 in 2026
    assert result.on_pace is True


def test_tier_history_comes_from_the_audit_log_of_real_edits(app):
    admin = UserFactory(role="admin")
    promoted = EnterpriseFactory(tier=Tier.TECH_BASED, created_at=datetime(2024, 1, 1))
    db.session.flush()
    data = services.patch_input(promoted, {"tier": Tier.NEW_TRACK.value})
    services.update_enterprise(admin, promoted, data, promoted.version_id, datetime(2026, 1, 1))
    db.session.commit()
    (facts,) = load_facts([])
    edited_on = facts.tier_changes[0][0]
    target = firms_target(tier_at_least="new_track")
    assert facts.tier_on(edited_on - timedelta(days=1)) == Tier.TECH_BASED
    assert value_on(target, [facts], edited_on - timedelta(days=1)) == 0
    assert value_on(target, [facts], edited_on) == 1

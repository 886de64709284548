from datetime import date

import pytest

from scoring.facts import DesignationFact, FirmFacts
from scoring.labels import reached_milestone

CUTOFF = date(2020, 1, 1)


def firm_with(*designations: DesignationFact) -> FirmFacts:
    return FirmFacts(1, date(2010, 1, 1), "fintech", "east", designations=list(designations))


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2020, 1, 2), True),
        (date(2023, 1, 1), True),
        (date(2023, 1, 2), False),
    ],
)
def test_a_milestone_counts_only_inside_the_window_after_the_cutoff(on, expected):
    firm = firm_with(DesignationFact("little_giant", on))

    assert reached_milestone(firm, CUTOFF, horizon_years=3) is expected


@pytest.mark.parametrize("on", [date(2019, 12, 31), CUTOFF])
def test_a_firm_holding_a_milestone_at_the_cutoff_is_excluded(on):
    firm = firm_with(DesignationFact("listed", on), DesignationFact("unicorn", date(2021, 1, 1)))

    assert reached_milestone(firm, CUTOFF) is None


def test_cultivation_designations_are_not_milestones():
    firm = firm_with(DesignationFact("high_tech", date(2021, 1, 1)))

    assert reached_milestone(firm, CUTOFF) is False


def test_a_shorter_horizon_narrows_the_window():
    firm = firm_with(DesignationFact("hidden_champion", date(2021, 6, 1)))

    assert reached_milestone(firm, CUTOFF, horizon_years=1) is False
    assert reached_milestone(firm, CUTOFF, horizon_years=2) is True

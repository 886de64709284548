"""Dates for the demo's history: when each designation was awarded, when each round closed.

Scoring learns from what a firm looked like before a cut-off and what it became after, so every
fact needs its date. Milestones (unicorn, champions, little giant, listed) go to the firms whose
trajectory earned them (see firms.py) and are dated over the last eight years, at least three
years after founding, so the backtest has outcomes in its training windows as well as its test
window; the broader designations come over the last ten years, and a little giant only after its
SRDI award. Rounds are the yearly `funding_raised`, one closing per funded year.
"""

from datetime import date, timedelta
from random import Random

from crm.demo.randomness import stream
from models import Designation, Enterprise, FundingEvent

# The outcomes the potential score predicts (scoring.labels.MILESTONE_DESIGNATIONS).
MILESTONES = {
    Designation.UNICORN,
    Designation.HIDDEN_CHAMPION,
    Designation.SINGLE_ITEM_CHAMPION,
    Designation.LITTLE_GIANT,
    Designation.LISTED,
}
MILESTONE_WINDOW_DAYS = 8 * 365
DESIGNATION_WINDOW_DAYS = 10 * 365
STAGES = ("angel", "a", "b", "c", "d", "pre_ipo")


def date_history(seed: int, ordinal: int, firm: Enterprise, today: date) -> None:
    rng = stream(seed, "history", ordinal)
    founded = firm.founded_on or today - timedelta(days=10 * 365)
    awarded: dict[Designation, date] = {}
    # Milestones first, so they spread evenly over their window; an SRDI award then falls before
    # the firm's little giant, which the ministry grants only to SRDI firms.
    for held in sorted(firm.designation_rows, key=lambda row: row.designation not in MILESTONES):
        not_after = today - timedelta(days=30)
        if held.designation == Designation.SRDI_SME and Designation.LITTLE_GIANT in awarded:
            not_after = awarded[Designation.LITTLE_GIANT] - timedelta(days=1)
        held.awarded_on = awarded[held.designation] = _award_day(
            rng, held.designation, founded, not_after, today
        )
    funded = [year for year in firm.yearly_figures if year.funding_raised]
    for position, year in enumerate(funded):
        start = max(date(year.year, 1, 1), founded)
        days_left = max(1, (date(year.year, 12, 31) - start).days)
        firm.funding_events.append(
            FundingEvent(
                closed_on=start + timedelta(days=rng.randrange(days_left)),
                amount=year.funding_raised,
                stage=STAGES[min(position, len(STAGES) - 1)],
            )
        )


def _award_day(
    rng: Random, designation: Designation, founded: date, latest: date, today: date
) -> date:
    if designation in MILESTONES:
        earliest = max(
            founded + timedelta(days=3 * 365), today - timedelta(days=MILESTONE_WINDOW_DAYS)
        )
    else:
        earliest = max(
            founded + timedelta(days=365), today - timedelta(days=DESIGNATION_WINDOW_DAYS)
        )
    if earliest >= latest:
        return latest
    return earliest + timedelta(days=rng.randrange((latest - earliest).days))

"""The outcome to predict: a firm reaching a milestone designation within the horizon."""

from datetime import date

from scoring.facts import FirmFacts, add_years

MILESTONE_DESIGNATIONS = frozenset(
    {"unicorn", "hidden_champion", "single_item_champion", "little_giant", "listed"}
)
DEFAULT_HORIZON_YEARS = 3


def reached_milestone(
    firm: FirmFacts, cutoff: date, horizon_years: int = DEFAULT_HORIZON_YEARS
) -> bool | None:
    """Whether a milestone is dated in (cutoff, cutoff + horizon].

    None when the firm already held a milestone on or before the cutoff: it has nothing left to
    predict, and keeping it would teach the model to find firms we already know. Callers drop it.
    """
    end = add_years(cutoff, horizon_years)
    milestone_days = [
        fact.on for fact in firm.designations if fact.designation in MILESTONE_DESIGNATIONS
    ]
    if any(day <= cutoff for day in milestone_days):
        return None
    return any(cutoff < day <= end for day in milestone_days)

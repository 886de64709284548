"""The outcome to predict: a firm reaching a milestone designation within the horizon."""

from datetime import date

from scoring.facts import FirmFacts, add_years

MILESTONE_DESIGNATIONS = frozenset(
    {"unicorn", "hidden_champion", "single_item_champion", "little_giant", "listed"}
)
DEFAULT_HORIZON_YEARS = 3
# Below this many positive training rows a learned model memorises noise; keep the index.
MIN_POSITIVES = 20
# Why a training run kept the index without judging a learned model (stored as the choice's
# reason; the CRM words each in the reader's language).
TOO_FEW_POSITIVES = "too few positive outcomes to learn from"
SINGLE_OUTCOME = "a validation or test cutoff has a single outcome: nothing to choose or judge on"
FOLD_WITHOUT_OUTCOMES = "a calibration fold's fitting rows hold a single outcome"
LATEST_TOO_FEW = f"{TOO_FEW_POSITIVES} in the latest windows"


def holds_milestone(firm: FirmFacts, day: date) -> bool:
    """Whether a milestone was awarded on or before `day`: the firm has arrived."""
    return any(
        fact.on <= day for fact in firm.designations if fact.designation in MILESTONE_DESIGNATIONS
    )


def reached_milestone(
    firm: FirmFacts, cutoff: date, horizon_years: int = DEFAULT_HORIZON_YEARS
) -> bool | None:
    """Whether a milestone is dated in (cutoff, cutoff + horizon].

    None when the firm already held a milestone on or before the cutoff: it has nothing left to
    predict, and keeping it would teach the model to find firms we already know. Callers drop it.
    """
    if holds_milestone(firm, cutoff):
        return None
    end = add_years(cutoff, horizon_years)
    return any(
        cutoff < fact.on <= end
        for fact in firm.designations
        if fact.designation in MILESTONE_DESIGNATIONS
    )

"""Features of a firm as of a cutoff date, computed only from facts known before that date."""

import math
from collections.abc import Iterable, Sequence
from datetime import date

import numpy as np

from scoring.facts import FirmFacts, YearFacts, add_years, statistics_known_on

Row = dict[str, float | str]

NUMERIC_FEATURES: tuple[str, ...] = (
    "revenue_latest",
    "employees_latest",
    "revenue_growth",
    "employee_growth",
    "rd_intensity",
    "patents_latest",
    "patents_cumulative",
    "pct_applications_latest",
    "pct_applications_cumulative",
    "funding_last_3_years",
    "funding_momentum",
    "funding_stage",
    "age_years",
    "designations_held",
    "visits_last_12_months",
    "requests_resolved_last_12_months",
    "support_received",
)
CATEGORICAL_FEATURES: tuple[str, ...] = ("track", "zone")
FEATURE_NAMES: tuple[str, ...] = NUMERIC_FEATURES + CATEGORICAL_FEATURES


def rows_to_matrix(rows: Sequence[Row], names: Sequence[str] = FEATURE_NAMES) -> np.ndarray:
    """An object array, one column per name (numbers and category strings)."""
    matrix = np.empty((len(rows), len(names)), dtype=object)
    for i, row in enumerate(rows):
        matrix[i, :] = [row[name] for name in names]
    return matrix


# Cultivation designations a firm collects on the way; milestones (labels.py) are the outcome.
CULTIVATION_DESIGNATIONS = frozenset(
    {"high_tech", "tech_sme", "srdi_sme", "gazelle", "chain_leader"}
)
# Ordinal of the latest round; 0 means no round known, NaN a stage name we do not know.
FUNDING_STAGES: tuple[str, ...] = (
    "none",
    "seed",
    "angel",
    "pre_a",
    "a",
    "b",
    "c",
    "d",
    "e",
    "pre_ipo",
    "strategic",
)
DAYS_PER_YEAR = 365.25
NAN = math.nan


def known_years(firm: FirmFacts, cutoff: date) -> list[YearFacts]:
    """Years whose statistics were known before the cutoff, oldest first."""
    return sorted(
        (year for year in firm.yearly if statistics_known_on(year.year) < cutoff),
        key=lambda year: year.year,
    )


def _growth(values: Sequence[float | None]) -> float:
    """Relative change between the last two reported values."""
    reported = [value for value in values if value is not None]
    if len(reported) < 2 or reported[-2] <= 0:
        return NAN
    return reported[-1] / reported[-2] - 1.0


def _latest(values: Sequence[float | None]) -> float:
    reported = [value for value in values if value is not None]
    return reported[-1] if reported else NAN


def _total(values: Iterable[float | None]) -> float:
    reported = [value for value in values if value is not None]
    return float(sum(reported)) if reported else NAN


def _rd_intensity(years: Sequence[YearFacts]) -> float:
    for year in reversed(years):
        if year.rd_spend is not None and year.revenue:
            return year.rd_spend / year.revenue
    return NAN


def _funding_features(firm: FirmFacts, cutoff: date) -> tuple[float, float, float]:
    earlier = [funding for funding in firm.fundings if funding.on < cutoff]

    def raised(years_back_from: int, years_back_to: int) -> float:
        start, end = add_years(cutoff, -years_back_to), add_years(cutoff, -years_back_from)
        return sum(funding.amount for funding in earlier if start <= funding.on < end)

    # Momentum: log of the last year's amount over the yearly mean of the two years before (+1 yuan
    # each, so a firm with no rounds at all scores 0 rather than dividing by zero).
    momentum = math.log1p(raised(0, 1)) - math.log1p(raised(1, 3) / 2)
    if not earlier:
        return 0.0, momentum, 0.0
    latest = max(earlier, key=lambda funding: funding.on)
    stage = latest.stage.lower()
    ordinal = float(FUNDING_STAGES.index(stage)) if stage in FUNDING_STAGES else NAN
    return raised(0, 3), momentum, ordinal


def _count_since(days: Iterable[date], start: date, cutoff: date) -> float:
    return float(sum(1 for day in days if start <= day < cutoff))


def features_as_of(firm: FirmFacts, cutoff: date) -> Row:
    """The feature row of `firm` at `cutoff`; missing figures are NaN."""
    years = known_years(firm, cutoff)
    patents = [year.patents for year in years]
    pct = [year.pct_applications for year in years]
    funding_3_years, momentum, stage = _funding_features(firm, cutoff)
    year_ago = add_years(cutoff, -1)
    held = {
        fact.designation
        for fact in firm.designations
        if fact.on < cutoff and fact.designation in CULTIVATION_DESIGNATIONS
    }
    age = NAN if firm.founded_on is None else (cutoff - firm.founded_on).days / DAYS_PER_YEAR
    revenue, employees = _latest([y.revenue for y in years]), _latest([y.employees for y in years])
    return {
        # Size on a log scale: a firm ten times larger is one step up, not ten.
        "revenue_latest": math.log1p(revenue) if revenue >= 0 else NAN,
        "employees_latest": math.log1p(employees) if employees >= 0 else NAN,
        "revenue_growth": _growth([year.revenue for year in years]),
        "employee_growth": _growth([year.employees for year in years]),
        "rd_intensity": _rd_intensity(years),
        "patents_latest": _latest(patents),
        "patents_cumulative": _total(patents),
        "pct_applications_latest": _latest(pct),
        "pct_applications_cumulative": _total(pct),
        "funding_last_3_years": funding_3_years,
        "funding_momentum": momentum,
        "funding_stage": stage,
        "age_years": age,
        "designations_held": float(len(held)),
        "visits_last_12_months": _count_since(firm.visits, year_ago, cutoff),
        "requests_resolved_last_12_months": _count_since(firm.requests_resolved, year_ago, cutoff),
        "support_received": float(sum(s.amount for s in firm.support if s.on < cutoff)),
        "track": firm.track,
        "zone": firm.zone,
    }


def existed_before(firm: FirmFacts, cutoff: date) -> bool:
    return firm.founded_on is None or firm.founded_on < cutoff


def feature_table(firms: Iterable[FirmFacts], cutoff: date) -> tuple[list[int], list[Row]]:
    """Ids and feature rows of the firms founded before the cutoff, in input order."""
    ids: list[int] = []
    rows: list[Row] = []
    for firm in firms:
        if existed_before(firm, cutoff):
            ids.append(firm.firm_id)
            rows.append(features_as_of(firm, cutoff))
    return ids, rows

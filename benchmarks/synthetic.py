"""Synthetic firms for the scoring benchmarks and tests: a hidden quality per firm drives
figures and milestones."""

import math
import random
from datetime import date, timedelta

from scoring.facts import DesignationFact, FirmFacts, FundingFact, SupportFact, YearFacts

FIRST_YEAR = 2006
FIRST_MILESTONE_YEAR = 2009
LAST_YEAR = 2025
TRACKS = ("integrated_circuits", "biomedicine", "artificial_intelligence", "fintech")
ZONES = ("north", "south", "east")
STAGES = ("seed", "angel", "pre_a", "a", "b", "c", "d")
CULTIVATION = ("tech_sme", "high_tech", "srdi_sme", "gazelle", "chain_leader")
MILESTONES = ("little_giant", "hidden_champion", "single_item_champion", "unicorn", "listed")


def day_in(rng: random.Random, year: int) -> date:
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))


def maybe(rng: random.Random, value: float, missing_share: float = 0.08) -> float | None:
    return None if rng.random() < missing_share else value


def yearly_facts(rng: random.Random, quality: float, first_year: int) -> list[YearFacts]:
    revenue = math.exp(rng.gauss(16 + 0.5 * quality, 1.0))
    employees = max(5.0, math.exp(rng.gauss(3.5 + 0.3 * quality, 0.8)))
    years = []
    for year in range(first_year, LAST_YEAR):
        revenue *= 1 + 0.05 + 0.12 * quality + rng.gauss(0, 0.1)
        employees *= 1 + 0.03 + 0.06 * quality + rng.gauss(0, 0.05)
        intensity = max(0.0, 0.06 + 0.03 * quality + rng.gauss(0, 0.02))
        years.append(
            YearFacts(
                year=year,
                revenue=maybe(rng, max(revenue, 1.0)),
                employees=maybe(rng, round(max(employees, 1.0))),
                rd_spend=maybe(rng, intensity * revenue),
                patents=maybe(rng, float(max(0, round(2 + 2 * quality + rng.gauss(0, 1.5))))),
                pct_applications=maybe(rng, float(max(0, round(0.5 + quality + rng.gauss(0, 1))))),
                tax_paid=maybe(rng, 0.05 * revenue),
            )
        )
    return years


def firm(rng: random.Random, firm_id: int) -> FirmFacts:
    quality = rng.gauss(0, 1)
    founded_on = day_in(rng, rng.randrange(2000, 2019))
    first_year = max(FIRST_YEAR, founded_on.year)
    years = range(first_year, LAST_YEAR + 1)
    chance = 1 / (1 + math.exp(-(quality - 1.0)))
    fundings = [
        FundingFact(day_in(rng, year), math.exp(rng.gauss(16 + quality, 1)), STAGES[0])
        for year in years
        if rng.random() < chance * 0.6
    ]
    fundings = [
        FundingFact(f.on, f.amount, STAGES[min(i, len(STAGES) - 1)])
        for i, f in enumerate(sorted(fundings, key=lambda f: f.on))
    ]
    designations = [
        DesignationFact(name, day_in(rng, rng.choice(years)))
        for name in CULTIVATION
        if rng.random() < 1 / (1 + math.exp(-(quality - 0.3)))
    ]
    hazard = min(0.6, 0.035 * math.exp(1.1 * quality))
    for year in range(max(first_year, FIRST_MILESTONE_YEAR), LAST_YEAR + 1):
        if rng.random() < hazard:
            designations.append(DesignationFact(rng.choice(MILESTONES), day_in(rng, year)))
            break
    return FirmFacts(
        firm_id=firm_id,
        founded_on=founded_on,
        track=rng.choice(TRACKS),
        zone=rng.choice(ZONES),
        yearly=yearly_facts(rng, quality, first_year),
        fundings=fundings,
        designations=designations,
        visits=sorted(day_in(rng, rng.choice(years)) for _ in range(rng.randrange(0, 8))),
        requests_resolved=sorted(day_in(rng, rng.choice(years)) for _ in range(rng.randrange(4))),
        support=[SupportFact(day_in(rng, rng.choice(years)), 1e5) for _ in range(rng.randrange(3))],
    )


def synthetic_firms(count: int = 600, seed: int = 0) -> list[FirmFacts]:
    """Deterministic firms for a given seed, with milestones dated from 2009 to 2025."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not a secret
    return [firm(rng, firm_id) for firm_id in range(1, count + 1)]

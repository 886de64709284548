"""Demo facts behind two action plan targets: incubated firms and blockchain scenarios.

Each draws from a stream of its own, added after the rest of the generator, so every other demo
value (and the tests pinned to them) stayed as it was.
"""

import math
from datetime import date, timedelta

from crm.demo.awards import NO_AWARDS_DAYS
from crm.demo.firms import FirmDraft
from crm.demo.parts import DemoParts
from crm.demo.randomness import days_after, poisson, stream
from models import Designation, Enterprise, EnterpriseDesignation

# Incubators take in start-ups: only firms founded within this many years of the last figures
# year can have been through one. About half the reservoir is that young.
INCUBATION_AGE_YEARS = 8
INCUBATED_CHANCE = 0.35  # of the young firms: some 15-20% of the reservoir ends up incubated
FIRST_INCUBATION_DAY, LAST_INCUBATION_DAY = 30, 540  # a firm joins in its first year and a half
# Demo assumption: the district counts launched scenarios from this year on; earlier years stay
# blank, later ones hold 0 for the many firms that launched none.
BLOCKCHAIN_FIRST_YEAR = 2023
SCENARIOS_PER_YEAR = 0.6  # mean launches in the first counted year, of a firm that builds on chains
SCENARIO_GROWTH = 1.25  # yearly: each year brings more use cases (trade finance, traceability ...)
SCENARIO_QUALITY_EFFECT = 0.3  # better firms win more clients, so launch more scenarios


def incubate(seed: int, ordinal: int, firm: Enterprise, last_year: int, today: date) -> None:
    """Make some young firms incubated, awarded shortly after they were founded."""
    founded = firm.founded_on
    if founded is None or last_year - founded.year > INCUBATION_AGE_YEARS:
        return
    rng = stream(seed, "incubation", ordinal)
    if rng.random() >= INCUBATED_CHANCE:
        return
    joined = days_after(rng, founded, FIRST_INCUBATION_DAY, LAST_INCUBATION_DAY)
    awarded_on = min(joined, today - timedelta(days=NO_AWARDS_DAYS))
    if awarded_on > founded:  # a firm founded days before the seed date has not joined yet
        firm.designation_rows.append(
            EnterpriseDesignation(designation=Designation.INCUBATED, awarded_on=awarded_on)
        )


def launch_blockchain_scenarios(draft: FirmDraft, seed: int, parts: DemoParts) -> None:
    """A few firms, most of them in blockchain, fintech and data tracks, launch scenarios."""
    rng = stream(seed, "blockchain", draft.ordinal)
    builds_on_chains = rng.random() < parts.track(draft.track.slug).blockchain_share
    quality_factor = math.exp(SCENARIO_QUALITY_EFFECT * draft.firm.quality)
    for row in draft.figures:
        if row.year < BLOCKCHAIN_FIRST_YEAR:
            continue
        growth = SCENARIO_GROWTH ** (row.year - BLOCKCHAIN_FIRST_YEAR)
        mean = SCENARIOS_PER_YEAR * growth * quality_factor
        row.blockchain_scenarios = poisson(rng, mean) if builds_on_chains else 0

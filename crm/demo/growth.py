"""The hidden growth process of a demo firm, simulated forward year by year from its founding.

Nothing here is stored. The yearly figures (figures.py) are noisy observations of these states
and the designations (awards.py) come when they cross thresholds, so what a firm shows in its
figures rises before the milestone it later reaches, as in real firms.
"""

import math
from dataclasses import dataclass
from datetime import date
from random import Random

# All money is in 10,000 yuan, the unit of the district's statistics.
REVENUE_MEDIAN = 1500.0  # a typical mature reservoir firm books 15 million yuan a year
REVENUE_SIGMA = 1.3  # log-normal spread of what a firm can grow into
START_GAP = 2.3  # a firm is founded at about a tenth of what it can grow into (e^-2.3)
CATCH_UP = 0.35  # each year it closes about a third of the gap
MOMENTUM_PERSISTENCE = 0.7  # AR(1): a good year is likely followed by another
MOMENTUM_EFFECT = 0.10  # on what a firm can become, per standard deviation of momentum, a year
QUALITY_EFFECT = 0.04  # ... and per unit of quality
CAPACITY_FADE_YEARS = 20  # capacity stops moving as a firm matures: old firms plateau
LEVEL_NOISE = 0.08
RD_SPREAD = 0.35  # a firm's R&D share varies around its track's on this log scale
RD_CAP = 0.6
YOUNG_YEARS = 8  # for a young firm momentum counts more, for an old one scale does
# Standing: what designation committees and investors eventually see. R&D counts far more in a
# frontier track, and momentum far more for a young firm: interactions a weighted sum of
# ranks cannot express.
STANDING_QUALITY = 0.5
STANDING_SCALE = 0.3
STANDING_TECH = {True: 0.35, False: 0.1}  # by is_frontier
STANDING_MOMENTUM = {True: 0.5, False: 0.15}  # by is young


@dataclass(frozen=True)
class Firm:
    """The hidden traits (standard normal): they shape the process, and are never stored."""

    founded_on: date
    quality: float
    size: float
    track_rd_share: float  # typical R&D share of the firm's track
    is_frontier: bool


@dataclass(frozen=True)
class LatentYear:
    year: int
    age: int  # years since the founding year
    level: float  # log of the revenue the firm is built for this year
    momentum: float  # standard normal, AR(1)
    rd_share: float  # R&D spend over revenue the firm is aiming at
    standing: float


def simulate(rng: Random, firm: Firm, last_year: int) -> list[LatentYear]:
    """One state per year from the founding year to `last_year`, oldest first."""
    capacity = math.log(REVENUE_MEDIAN) + REVENUE_SIGMA * firm.size + 0.3 * firm.quality
    level = capacity - START_GAP + rng.gauss(0, 0.3)
    momentum = rng.gauss(0, 1)
    base_rd = firm.track_rd_share * math.exp(rng.gauss(0, RD_SPREAD) + 0.2 * firm.quality)
    shock_scale = math.sqrt(1 - MOMENTUM_PERSISTENCE**2)
    years: list[LatentYear] = []
    recent: list[float] = []
    for year in range(firm.founded_on.year, last_year + 1):
        age = year - firm.founded_on.year
        if age:
            momentum = MOMENTUM_PERSISTENCE * momentum + shock_scale * rng.gauss(0, 1)
            fade = max(0.2, 1 - age / CAPACITY_FADE_YEARS)
            capacity += fade * (QUALITY_EFFECT * firm.quality + MOMENTUM_EFFECT * momentum)
            level += CATCH_UP * (capacity - level) + rng.gauss(0, LEVEL_NOISE)
        rd_share = min(RD_CAP, base_rd * math.exp(0.12 * momentum))
        recent = [*recent[-1:], momentum]
        years.append(
            LatentYear(
                year, age, level, momentum, rd_share, _standing(firm, age, level, rd_share, recent)
            )
        )
    return years


def _standing(firm: Firm, age: int, level: float, rd_share: float, recent: list[float]) -> float:
    scale = (level - math.log(REVENUE_MEDIAN)) / REVENUE_SIGMA
    tech = math.log(rd_share / firm.track_rd_share) / RD_SPREAD
    streak = sum(recent) / len(recent)
    return (
        STANDING_QUALITY * firm.quality
        + STANDING_SCALE * scale
        + STANDING_TECH[firm.is_frontier] * tech
        + STANDING_MOMENTUM[age < YOUNG_YEARS] * streak
    )

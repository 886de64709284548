"""Seeded random streams and the number and date shapes the demo generator shares."""

import math
import random
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

CENT = Decimal("0.01")
Drawn = TypeVar("Drawn")
Day = TypeVar("Day", bound=date)  # a date, or a datetime that keeps its time of day


def stream(seed: int, purpose: str, ordinal: int = 0) -> random.Random:
    """A generator per seed, purpose and firm.

    A later change that draws more numbers for one purpose (outcomes, say) then leaves every
    other value as it was. String seeds are hashed with SHA-512, so this is stable across runs
    and machines, unlike hash().
    """
    return random.Random(f"{seed}/{purpose}/{ordinal}")  # noqa: S311 -- demo data, not secrets


def weighted(rng: random.Random, weights: Mapping[Drawn, float]) -> Drawn:
    """One key of `weights`, drawn in proportion to its value."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def days_after(rng: random.Random, day: Day, least: int, most: int) -> Day:
    return day + timedelta(days=rng.randint(least, most))


def days_before(rng: random.Random, day: Day, least: int, most: int) -> Day:
    return day - timedelta(days=rng.randint(least, most))


def day_within(rng: random.Random, start: date, span_days: int) -> date:
    return start + timedelta(days=rng.randrange(span_days))


def step_after(rng: random.Random, at: datetime, least: int, most: int) -> datetime:
    """A workflow's next step: `least` to `most` days and a few hours after the last."""
    return at + timedelta(days=rng.randint(least, most), hours=rng.randint(0, 6))


def at_hour(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour))


def money(amount: float) -> Decimal:
    """10,000 yuan with two places, as the district's statistics report money."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def two_significant_digits(amount: float) -> float:
    """Capital and funding rounds are agreed as round numbers: 537 becomes 540."""
    if amount <= 0:
        return 0.0
    step = 10.0 ** (math.floor(math.log10(amount)) - 1)
    return round(amount / step) * step


def poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 30:  # the normal approximation is close enough there, and Knuth's loop is slow
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count

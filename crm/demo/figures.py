"""Yearly figures and funding rounds of a demo firm: noisy observations of its growth process."""

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from random import Random

from crm.demo.growth import REVENUE_MEDIAN, Firm, LatentYear
from crm.demo.randomness import CENT, day_within, money, poisson, two_significant_digits
from models import YearlyFigures

# All money is in 10,000 yuan, the unit of the district's statistics.
MIN_REVENUE = 1.0  # a firm that reports at all books at least 10,000 yuan
REVENUE_NOISE = 0.05  # what a year books around the level it is built for
PATENT_COST = 150.0  # R&D spend per granted patent, for a small firm of average quality
PATENT_SCALE = 0.85  # large R&D budgets buy fewer patents per yuan: much goes to products
PCT_SHARE = 0.02  # PCT filings per granted patent: international filing is rare
FUNDING_CHANCE = 0.035  # yearly chance of a round for an average young firm in a quiet year
FUNDING_MEDIAN = 2000.0  # a typical round raises 20 million yuan
YOUNG_FUNDING_YEARS = 8  # investors back young firms far more often
STAGES = ("angel", "a", "b", "c", "d", "pre_ipo")


@dataclass(frozen=True)
class Habits:
    """How a firm turns revenue into staff and tax; fixed over its years."""

    revenue_per_employee: float
    minimum_staff: int
    tax_rate: float


@dataclass(frozen=True)
class Round:
    closed_on: date
    amount: float
    stage: str
    post_money: float  # the valuation the round sets


def draft_figures(rng: Random, firm: Firm, latent: list[LatentYear]) -> list[YearlyFigures]:
    """A row per latent year, from the founding year on: the caller keeps the years it stores."""
    habits = _habits(rng, firm)
    rows: list[YearlyFigures] = []
    for state in latent:
        revenue = math.exp(state.level + rng.gauss(0, REVENUE_NOISE))
        if state.age == 0:  # only the months after founding count
            revenue *= max(0.1, 1 - firm.founded_on.timetuple().tm_yday / 366)
        row = _row(rng, firm, habits, state, max(MIN_REVENUE, revenue))
        row.revenue_growth_pct = growth_pct(rows[-1].revenue if rows else None, row.revenue)
        rows.append(row)
    return rows


def _habits(rng: Random, firm: Firm) -> Habits:
    # Tax falls with R&D intensity: R&D is deducted at 200% and high-tech firms pay 15% CIT.
    tax_rate = 0.045 + 0.012 * firm.quality - 0.1 * firm.track_rd_share + rng.gauss(0, 0.01)
    return Habits(
        revenue_per_employee=70.0 * math.exp(rng.gauss(0, 0.35)),
        minimum_staff=rng.randint(3, 12),
        tax_rate=max(0.003, tax_rate),
    )


def _row(
    rng: Random, firm: Firm, habits: Habits, state: LatentYear, revenue: float
) -> YearlyFigures:
    rd_spend = revenue * state.rd_share * math.exp(rng.gauss(0, 0.1))
    patent_mean = (rd_spend / PATENT_COST) ** PATENT_SCALE * math.exp(0.3 * firm.quality)
    patents = poisson(rng, patent_mean)
    pct_mean = patents * PCT_SHARE * (2 if firm.quality > 1 else 1)  # the best file abroad more
    staff = revenue / habits.revenue_per_employee * math.exp(rng.gauss(0, 0.05))
    return YearlyFigures(
        year=state.year,
        revenue=money(revenue),
        employees=max(habits.minimum_staff, round(staff)),
        rd_spend=money(rd_spend),
        patents=patents,
        pct_applications=poisson(rng, pct_mean),
        tax_paid=money(revenue * habits.tax_rate * math.exp(rng.gauss(0, 0.15))),
    )


def growth_pct(previous: Decimal | None, current: Decimal | None) -> Decimal | None:
    if not previous or current is None:
        return None
    return ((current / previous - 1) * 100).quantize(CENT)


def draft_rounds(rng: Random, firm: Firm, latent: list[LatentYear]) -> list[Round]:
    """Rounds come in a firm's good years: investors see the momentum before the statistics do."""
    rounds: list[Round] = []
    for state in latent:
        young = state.age < YOUNG_FUNDING_YEARS
        chance = FUNDING_CHANCE * math.exp(0.5 * firm.quality + 0.7 * state.momentum)
        chance *= (1.6 if young else 0.4) * (1.3 if firm.is_frontier else 1.0)
        if rng.random() >= min(chance, 0.6):
            continue
        scale = 0.4 * firm.quality + 0.5 * (state.level - math.log(REVENUE_MEDIAN))
        raised = two_significant_digits(FUNDING_MEDIAN * math.exp(scale + rng.gauss(0, 0.7)))
        post_money = raised * rng.uniform(4, 10)
        if rounds:  # a later round prices the firm above the last one
            post_money = max(post_money, rounds[-1].post_money * rng.uniform(1.2, 2.0))
        start = max(date(state.year, 1, 1), firm.founded_on)
        days = max(1, (date(state.year, 12, 31) - start).days)
        stage = STAGES[min(len(rounds), len(STAGES) - 1)]
        rounds.append(Round(day_within(rng, start, days), raised, stage, post_money))
    return rounds


def record_rounds(rows: list[YearlyFigures], rounds: list[Round]) -> None:
    """Each year's money raised, and the valuation of the latest round (investors mark a firm at
    its last price until the next round sets another)."""
    by_year: dict[int, float] = {}
    for funding in rounds:
        by_year[funding.closed_on.year] = by_year.get(funding.closed_on.year, 0.0) + funding.amount
    latest: Round | None = None
    pending = iter(rounds)
    upcoming = next(pending, None)
    for row in rows:
        while upcoming is not None and upcoming.closed_on.year <= row.year:
            latest, upcoming = upcoming, next(pending, None)
        raised = by_year.get(row.year)
        row.funding_raised = money(raised) if raised else None
        row.valuation = money(latest.post_money) if latest else None

"""Yearly figures of a demo firm, driven by its hidden quality and size."""

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from random import Random

from crm.demo.randomness import CENT, money, poisson, two_significant_digits
from models import YearlyFigures

# All money is in 10,000 yuan, the unit of the district's statistics.
REVENUE_MEDIAN = 1500.0  # a typical reservoir firm books 15 million yuan a year
REVENUE_SIGMA = 1.4  # log-normal spread: the top 1% book some 400 million yuan or more
MATURITY_YEARS = 6  # a firm grows into its size over about six years
MIN_REVENUE = 1.0  # a firm that reports at all books at least 10,000 yuan
PATENT_COST = 150.0  # R&D spend per granted patent, for a small firm of average quality
PATENT_SCALE = 0.85  # large R&D budgets buy fewer patents per yuan: much goes to products
PCT_SHARE = 0.02  # PCT filings per granted patent: international filing is rare
FUNDING_CHANCE = 0.04  # yearly chance of a round for an average firm under eight years old
FUNDING_MEDIAN = 2000.0  # a typical round raises 20 million yuan
UNICORN_VALUATION = 700_000.0  # US$1 billion at about 7 yuan per dollar


@dataclass(frozen=True)
class Firm:
    """What the figures depend on. `quality` and `size` are hidden traits (standard normal):
    they shape the figures and later outcomes, but are never stored, as nobody observes them."""

    founded_on: date
    quality: float
    size: float
    rd_share: float  # typical R&D share of the firm's track


@dataclass(frozen=True)
class Habits:
    """How a firm turns revenue into staff, R&D and tax; fixed over its years."""

    revenue_per_employee: float
    minimum_staff: int
    rd_share: float
    tax_rate: float


def draft_figures(rng: Random, firm: Firm, last_year: int) -> list[YearlyFigures]:
    """Figures for the last 5-10 complete years, none before the founding year.

    Long histories let scoring learn from how firms looked years before their milestones.
    """
    first_year = max(last_year - rng.randint(5, 10) + 1, firm.founded_on.year)
    years = list(range(first_year, last_year + 1))
    revenues = _revenues(rng, firm, years)
    rounds = _funding_rounds(rng, firm, years, revenues)
    habits = _habits(rng, firm)
    rows: list[YearlyFigures] = []
    for year, revenue, (raised, valuation) in zip(years, revenues, rounds, strict=True):
        row = _row(rng, firm, habits, year, revenue)
        row.funding_raised = money(raised) if raised else None
        row.valuation = money(valuation) if valuation else None
        row.revenue_growth_pct = growth_pct(rows[-1].revenue if rows else None, row.revenue)
        rows.append(row)
    return rows


def _habits(rng: Random, firm: Firm) -> Habits:
    rd_share = firm.rd_share * math.exp(rng.gauss(0, 0.35) + 0.2 * firm.quality)
    rd_share = min(0.6, max(0.005, rd_share))
    # Tax falls with R&D intensity: R&D is deducted at 200% and high-tech firms pay 15% CIT.
    tax_rate = 0.045 + 0.012 * firm.quality - 0.1 * rd_share + rng.gauss(0, 0.01)
    return Habits(
        revenue_per_employee=70.0 * math.exp(rng.gauss(0, 0.35)),
        minimum_staff=rng.randint(3, 12),
        rd_share=rd_share,
        tax_rate=max(0.003, tax_rate),
    )


def _row(rng: Random, firm: Firm, habits: Habits, year: int, revenue: float) -> YearlyFigures:
    rd_spend = revenue * habits.rd_share * math.exp(rng.gauss(0, 0.1))
    patent_mean = (rd_spend / PATENT_COST) ** PATENT_SCALE * math.exp(0.3 * firm.quality)
    patents = poisson(rng, patent_mean)
    pct_mean = patents * PCT_SHARE * (2 if firm.quality > 1 else 1)  # the best file abroad more
    staff = revenue / habits.revenue_per_employee * math.exp(rng.gauss(0, 0.05))
    return YearlyFigures(
        year=year,
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


def _revenues(rng: Random, firm: Firm, years: list[int]) -> list[float]:
    """The last year's level comes from size and age; earlier years divide by yearly growth."""
    age = years[-1] - firm.founded_on.year + 1
    maturity = max(0.05, min(1.0, age / MATURITY_YEARS) ** 1.5)
    level = REVENUE_MEDIAN * math.exp(REVENUE_SIGMA * firm.size + 0.3 * firm.quality) * maturity
    trend = 0.05 + 0.10 * firm.quality + 0.30 * max(0.0, 1 - age / MATURITY_YEARS)
    revenues = [level * math.exp(rng.gauss(0, 0.1))]
    for _ in years[1:]:
        revenues.append(revenues[-1] / (1 + max(-0.5, trend + rng.gauss(0, 0.15))))
    revenues.reverse()
    if years[0] == firm.founded_on.year:  # only the months after founding count
        revenues[0] *= max(0.1, 1 - firm.founded_on.timetuple().tm_yday / 366)
    return [max(MIN_REVENUE, revenue) for revenue in revenues]


def _funding_rounds(
    rng: Random, firm: Firm, years: list[int], revenues: list[float]
) -> list[tuple[float, float | None]]:
    """(raised, valuation) per year; a valuation exists from a firm's first round on."""
    rounds: list[tuple[float, float | None]] = []
    valuation: float | None = None
    previous_revenue = revenues[0]
    for year, revenue in zip(years, revenues, strict=True):
        young = year - firm.founded_on.year < 8  # investors back young firms far more often
        chance = FUNDING_CHANCE * math.exp(0.8 * firm.quality) * (1.6 if young else 0.4)
        raised = 0.0
        if rng.random() < min(chance, 0.6):
            scale = math.exp(0.5 * firm.quality + 0.4 * firm.size + rng.gauss(0, 0.8))
            raised = two_significant_digits(FUNDING_MEDIAN * scale)
            post_money = raised * rng.uniform(4, 10)
            valuation = max(post_money, (valuation or 0.0) * rng.uniform(1.2, 2.0))
        elif valuation is not None:  # between rounds the valuation follows revenue, damped
            valuation *= max(0.5, 1 + 0.6 * (revenue / previous_revenue - 1))
        rounds.append((raised, valuation))
        previous_revenue = revenue
    return rounds


def lift_to_unicorn(rng: Random, figures: list[YearlyFigures]) -> None:
    """Scale a firm's rounds and valuations so its latest valuation passes US$1 billion."""
    latest = figures[-1].valuation
    if latest is not None and latest < Decimal(UNICORN_VALUATION):
        _scale_rounds(figures, UNICORN_VALUATION * rng.uniform(1.0, 1.8) / float(latest))


def keep_below_unicorn(rng: Random, figures: list[YearlyFigures]) -> None:
    """A private firm valued at US$1 billion is a unicorn: others stay clearly below that."""
    latest = figures[-1].valuation
    if latest is not None and latest >= Decimal(UNICORN_VALUATION * 0.9):
        _scale_rounds(figures, UNICORN_VALUATION * rng.uniform(0.3, 0.85) / float(latest))


def _scale_rounds(figures: list[YearlyFigures], factor: float) -> None:
    for row in figures:
        if row.valuation is not None:
            row.valuation = money(float(row.valuation) * factor)
        if row.funding_raised is not None:
            row.funding_raised = money(two_significant_digits(float(row.funding_raised) * factor))

"""The dated history of one firm: the plain input the CRM builds from its database for scoring."""

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

# Firms file their annual statistics for year Y by this month and day of year Y + 1.
STATISTICS_DEADLINE_MONTH = 4
STATISTICS_DEADLINE_DAY = 1


@dataclass(frozen=True, slots=True)
class YearFacts:
    """Annual statistics of one calendar year, None when not reported; amounts in one unit
    throughout (the CRM passes 10,000 yuan): features are ratios, ranks or logs of them."""

    year: int
    revenue: float | None = None
    employees: float | None = None
    rd_spend: float | None = None
    patents: float | None = None
    pct_applications: float | None = None
    funding_raised: float | None = None
    valuation: float | None = None
    tax_paid: float | None = None


@dataclass(frozen=True, slots=True)
class FundingFact:
    on: date
    amount: float
    stage: str


@dataclass(frozen=True, slots=True)
class DesignationFact:
    designation: str
    on: date


@dataclass(frozen=True, slots=True)
class SupportFact:
    on: date
    amount: float


@dataclass(frozen=True, slots=True)
class FirmFacts:
    firm_id: int
    founded_on: date | None
    track: str
    zone: str
    yearly: list[YearFacts] = field(default_factory=list)
    fundings: list[FundingFact] = field(default_factory=list)
    designations: list[DesignationFact] = field(default_factory=list)
    visits: list[date] = field(default_factory=list)
    requests_resolved: list[date] = field(default_factory=list)
    support: list[SupportFact] = field(default_factory=list)


# Both are called for every firm at every cutoff with a few distinct arguments: cached.
@lru_cache(maxsize=1024)
def statistics_known_on(year: int) -> date:
    """The day the figures of `year` count as known: the annual statistics deadline."""
    return date(year + 1, STATISTICS_DEADLINE_MONTH, STATISTICS_DEADLINE_DAY)


@lru_cache(maxsize=1024)
def add_years(day: date, years: int) -> date:
    """`day` moved by whole years; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)

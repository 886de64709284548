"""Designations of a demo firm, dated on the year its growth process earns them.

Each programme names firms once a year on the statistics of the year before, so a designation
is dated in the batch after the year a firm first meets the programme's published conditions
(in its figures) and is strong enough to be chosen (its hidden standing above a bar). Not every
firm that qualifies applies, so each qualifying year names it with a chance. Nothing is dated
within a month of the seed date, or after it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from random import Random

from crm.demo.figures import Round
from crm.demo.growth import Firm, LatentYear
from crm.demo.randomness import day_within
from models import Designation, YearlyFigures

UNICORN_VALUATION = 700_000.0  # US$1 billion at about 7 yuan per dollar, in 10,000 yuan
NO_AWARDS_DAYS = 30  # nothing is awarded in the month before the seed date
LISTING_DAYS = 540  # from the year a firm is ready, an IPO takes up to a year and a half
SME_MAX_EMPLOYEES = 500
SME_MAX_REVENUE = 20_000  # 200 million yuan


@dataclass(frozen=True)
class Year:
    """What a committee sees of one year: the state (for the bar) and the figures up to it."""

    firm: Firm
    state: LatentYear
    rows: list[YearlyFigures]  # the founding year to this one
    patents: int  # granted since the founding
    held: dict[Designation, date]

    @property
    def latest(self) -> YearlyFigures:
        return self.rows[-1]

    @property
    def revenue(self) -> float:
        return float(self.latest.revenue or 0)

    @property
    def employees(self) -> int:
        return self.latest.employees or 0

    @property
    def rd_intensity(self) -> float:
        return float(self.latest.rd_spend or 0) / self.revenue if self.revenue else 0.0

    def held_before(self, designation: Designation) -> bool:
        """Named in an earlier batch than this year's (which falls in the next year)."""
        awarded = self.held.get(designation)
        return awarded is not None and awarded.year <= self.state.year


@dataclass(frozen=True)
class Programme:
    first_year: int  # the first year it names firms
    months: tuple[int, int]  # its yearly batch falls in these months of the following year
    chance: float  # that a qualifying firm is named in a given year
    bar: float  # the hidden standing it takes to be chosen
    conditions: Callable[[Year], bool]  # the published ones, read from the figures


def _gazelle(year: Year) -> bool:  # fast, sustained growth of a young firm
    growths = [row.revenue_growth_pct for row in year.rows[-3:]]
    return (
        year.state.age <= 10
        and len(growths) == 3
        and all(growth is not None and growth >= 20 for growth in growths)
    )


def _listable(year: Year) -> bool:
    # The main boards want size; the STAR market takes smaller frontier firms that do research.
    if year.revenue >= SME_MAX_REVENUE:
        return year.state.age >= 3
    return year.firm.is_frontier and year.revenue >= 5_000 and year.rd_intensity >= 0.08


PROGRAMMES = {  # in this order: a little giant must hold SRDI from an earlier batch
    Designation.HIGH_TECH: Programme(
        2008,
        (10, 12),
        0.4,
        -0.2,
        lambda y: y.state.age >= 1 and y.rd_intensity >= 0.03 and y.patents >= 1,
    ),
    Designation.TECH_SME: Programme(
        2017,
        (4, 9),
        0.3,
        -0.3,
        lambda y: (
            y.employees <= SME_MAX_EMPLOYEES
            and y.revenue <= SME_MAX_REVENUE
            and y.rd_intensity >= 0.02
        ),
    ),
    Designation.SRDI_SME: Programme(
        2011,
        (6, 11),
        0.4,
        0.6,
        lambda y: y.state.age >= 2 and y.employees <= 2 * SME_MAX_EMPLOYEES and y.revenue >= 500,
    ),
    Designation.GAZELLE: Programme(2011, (6, 9), 0.4, 0.5, _gazelle),
    Designation.LITTLE_GIANT: Programme(
        2012,
        (6, 11),
        0.5,
        1.1,
        lambda y: (
            y.held_before(Designation.SRDI_SME)
            and y.state.age >= 3
            and 1_000 <= y.revenue <= 2 * SME_MAX_REVENUE
            and y.employees <= 2 * SME_MAX_EMPLOYEES
            and y.rd_intensity >= 0.03
            and y.patents >= 2
        ),
    ),
    Designation.HIDDEN_CHAMPION: Programme(
        2012, (10, 12), 0.2, 2.5, lambda y: y.state.age >= 8 and y.revenue >= 5_000
    ),
    Designation.SINGLE_ITEM_CHAMPION: Programme(
        2016,
        (10, 12),
        0.2,
        2.5,
        lambda y: y.state.age >= 10 and y.revenue >= 10_000 and y.rd_intensity >= 0.03,
    ),
    Designation.CHAIN_LEADER: Programme(2021, (3, 9), 0.4, 1.5, lambda y: y.revenue >= 50_000),
    Designation.LISTED: Programme(2005, (1, 12), 0.25, 2.0, _listable),
}


def award(
    rng: Random,
    firm: Firm,
    latent: list[LatentYear],
    rows: list[YearlyFigures],
    rounds: list[Round],
    today: date,
) -> dict[Designation, date]:
    """Each designation the firm earned, with the day it was awarded."""
    last_day = today - timedelta(days=NO_AWARDS_DAYS)
    held: dict[Designation, date] = {}
    patents = 0
    for index, (state, row) in enumerate(zip(latent, rows, strict=True)):
        patents += row.patents or 0
        year = Year(firm, state, rows[: index + 1], patents, held)
        for designation, programme in PROGRAMMES.items():
            if designation in held or state.year + 1 < programme.first_year:
                continue
            if state.standing < programme.bar or not programme.conditions(year):
                continue
            if rng.random() >= programme.chance:
                continue
            day = _batch_day(rng, designation, programme, state.year + 1)
            if day <= last_day:
                held[designation] = day
    unicorn = unicorn_day(rounds, held.get(Designation.LISTED))
    if unicorn is not None and unicorn <= last_day:
        held[Designation.UNICORN] = unicorn
    return held


def _batch_day(rng: Random, designation: Designation, programme: Programme, year: int) -> date:
    if designation == Designation.LISTED:
        return day_within(rng, date(year, 1, 1), LISTING_DAYS)
    first, last = programme.months
    start = date(year, first, 1)
    end = date(year + 1, 1, 1) if last == 12 else date(year, last + 1, 1)
    return day_within(rng, start, (end - start).days)


def unicorn_day(rounds: list[Round], listed_on: date | None) -> date | None:
    """A private firm becomes a unicorn on the day a round values it at US$1 billion."""
    for funding in rounds:
        if listed_on is not None and funding.closed_on >= listed_on:
            return None
        if funding.post_money >= UNICORN_VALUATION:
            return funding.closed_on
    return None

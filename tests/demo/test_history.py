"""The demo's hidden growth process and the dated history drawn from it, without a database."""

from datetime import date
from itertools import pairwise

from crm.demo.awards import UNICORN_VALUATION, award, unicorn_day
from crm.demo.figures import Round, draft_figures, draft_rounds, record_rounds
from crm.demo.growth import Firm, simulate
from crm.demo.randomness import stream
from models import Designation

TODAY = date(2026, 12, 4)
LAST_YEAR = 2025


def _firm(ordinal: int) -> Firm:
    rng = stream(1, "test-traits", ordinal)
    return Firm(
        founded_on=date(rng.randint(1996, 2024), rng.randint(1, 12), 1),
        quality=rng.gauss(0, 1),
        size=rng.gauss(0, 1),
        track_rd_share=rng.choice((0.04, 0.1, 0.24)),
        is_frontier=rng.random() < 0.6,
    )


def _history(ordinal: int) -> tuple[Firm, list, list[Round], dict[Designation, date]]:
    firm = _firm(ordinal)
    latent = simulate(stream(1, "growth", ordinal), firm, LAST_YEAR)
    rows = draft_figures(stream(1, "figures", ordinal), firm, latent)
    rounds = draft_rounds(stream(1, "funding", ordinal), firm, latent)
    record_rounds(rows, rounds)
    return (
        firm,
        rows,
        rounds,
        award(stream(1, "awards", ordinal), firm, latent, rows, rounds, TODAY),
    )


def test_the_same_streams_give_the_same_history():
    first, again = _history(3), _history(3)

    assert [row.revenue for row in first[1]] == [row.revenue for row in again[1]]
    assert first[2] == again[2]
    assert first[3] == again[3]


def test_a_firm_reports_every_year_from_its_founding_to_the_last_complete_one():
    firm, rows, _rounds, _awards = _history(5)

    assert [row.year for row in rows] == list(range(firm.founded_on.year, LAST_YEAR + 1))


def test_young_firms_grow_faster_than_old_ones():
    young, old = [], []
    for ordinal in range(300):
        firm = _firm(ordinal)
        latent = simulate(stream(1, "growth", ordinal), firm, LAST_YEAR)
        for before, after in pairwise(latent):
            (young if after.age <= 4 else old).append(after.level - before.level)

    assert sum(young) / len(young) > 0.3 > sum(old) / len(old)


def test_designations_come_after_founding_and_never_in_the_last_month():
    histories = [_history(ordinal) for ordinal in range(300)]

    awarded = [(firm, day) for firm, _rows, _rounds, awards in histories for day in awards.values()]
    assert len(awarded) > 300
    assert all(firm.founded_on < day <= date(2026, 11, 4) for firm, day in awarded)


def test_a_little_giant_holds_srdi_from_an_earlier_batch():
    histories = [_history(ordinal) for ordinal in range(300)]

    giants = [awards for _f, _r, _rounds, awards in histories if Designation.LITTLE_GIANT in awards]
    assert giants
    for awards in giants:
        assert awards[Designation.SRDI_SME].year < awards[Designation.LITTLE_GIANT].year


def test_a_unicorn_is_named_on_the_day_a_round_first_values_it_at_a_billion_dollars():
    rounds = [
        Round(date(2019, 5, 2), 2_000.0, "a", 15_000.0),
        Round(date(2021, 3, 9), 90_000.0, "b", UNICORN_VALUATION + 1),
        Round(date(2023, 7, 1), 200_000.0, "c", 2 * UNICORN_VALUATION),
    ]

    assert unicorn_day(rounds, listed_on=None) == date(2021, 3, 9)
    assert unicorn_day(rounds, listed_on=date(2020, 6, 1)) is None  # listed firms are not
    assert unicorn_day(rounds[:1], listed_on=None) is None

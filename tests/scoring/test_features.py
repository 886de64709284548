import math
import random
from dataclasses import replace
from datetime import date, timedelta

from scoring.facts import (
    DesignationFact,
    FirmFacts,
    FundingFact,
    SupportFact,
    YearFacts,
    statistics_known_on,
)
from scoring.features import FEATURE_NAMES, feature_table, features_as_of

CUTOFF = date(2021, 7, 1)


def rewrite_after(firm: FirmFacts, cutoff: date, rng: random.Random) -> FirmFacts:
    """The same firm with every fact not known before the cutoff changed, and more added."""

    def later() -> date:
        return cutoff + timedelta(days=rng.randrange(0, 900))

    def known(year: YearFacts) -> bool:
        return statistics_known_on(year.year) < cutoff

    return replace(
        firm,
        yearly=[
            year if known(year) else YearFacts(year.year, *(rng.random() * 1e9 for _ in range(8)))
            for year in firm.yearly
        ]
        + [YearFacts(2030, 1e12, 1e5, 1e11, 900.0, 400.0)],
        fundings=[f for f in firm.fundings if f.on < cutoff]
        + [FundingFact(later(), 1e10, "pre_ipo"), FundingFact(cutoff, 5e9, "d")],
        designations=[d for d in firm.designations if d.on < cutoff]
        + [DesignationFact(name, later()) for name in ("high_tech", "gazelle", "unicorn")]
        + [DesignationFact("chain_leader", cutoff)],
        visits=[v for v in firm.visits if v < cutoff] + [cutoff, later(), later()],
        requests_resolved=[r for r in firm.requests_resolved if r < cutoff] + [cutoff, later()],
        support=[s for s in firm.support if s.on < cutoff] + [SupportFact(later(), 1e8)],
    )


def same_row(left: dict[str, float | str], right: dict[str, float | str]) -> bool:
    def equal(a: float | str, b: float | str) -> bool:
        both_nan = isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b)
        return both_nan or a == b

    return left.keys() == right.keys() and all(equal(left[k], right[k]) for k in left)


def test_changing_every_fact_dated_after_the_cutoff_leaves_the_features_unchanged(firms):
    rng = random.Random(1)  # noqa: S311 - reproducible test data, not a secret

    rewritten = [rewrite_after(firm, CUTOFF, rng) for firm in firms]

    assert all(
        same_row(features_as_of(firm, CUTOFF), features_as_of(other, CUTOFF))
        for firm, other in zip(firms, rewritten, strict=True)
    )


def test_the_rewrite_does_change_features_at_a_later_cutoff(firms):
    rng = random.Random(1)  # noqa: S311 - reproducible test data, not a secret
    later = date(2024, 7, 1)

    changed = [
        not same_row(
            features_as_of(firm, later), features_as_of(rewrite_after(firm, CUTOFF, rng), later)
        )
        for firm in firms[:50]
    ]

    assert all(changed)


def test_a_year_whose_statistics_are_known_after_the_cutoff_is_ignored():
    firm = FirmFacts(
        firm_id=1,
        founded_on=date(2015, 5, 1),
        track="biomedicine",
        zone="north",
        yearly=[YearFacts(2020, revenue=100.0), YearFacts(2021, revenue=150.0)],
    )

    on_the_deadline = features_as_of(firm, date(2022, 4, 1))
    a_day_later = features_as_of(firm, date(2022, 4, 2))

    assert statistics_known_on(2021) == date(2022, 4, 1)
    assert math.isnan(float(on_the_deadline["revenue_growth"]))
    assert a_day_later["revenue_growth"] == 0.5


def test_a_firm_with_no_history_gets_nan_figures_and_zero_counts():
    firm = FirmFacts(firm_id=7, founded_on=None, track="fintech", zone="east")

    row = features_as_of(firm, CUTOFF)

    assert list(row) == list(FEATURE_NAMES)
    assert math.isnan(float(row["revenue_growth"]))
    assert math.isnan(float(row["age_years"]))
    assert row["funding_stage"] == 0.0
    assert row["designations_held"] == 0.0
    assert row["funding_momentum"] == 0.0
    assert (row["track"], row["zone"]) == ("fintech", "east")


def test_designations_count_only_cultivation_ones_held_before_the_cutoff():
    firm = FirmFacts(
        firm_id=3,
        founded_on=date(2010, 1, 1),
        track="fintech",
        zone="east",
        designations=[
            DesignationFact("high_tech", date(2019, 1, 1)),
            DesignationFact("high_tech", date(2020, 1, 1)),
            DesignationFact("gazelle", date(2020, 6, 1)),
            DesignationFact("little_giant", date(2020, 6, 1)),
            DesignationFact("srdi_sme", CUTOFF),
        ],
    )

    row = features_as_of(firm, CUTOFF)

    assert row["designations_held"] == 2.0


def test_feature_table_skips_firms_founded_after_the_cutoff(firms):
    ids, rows = feature_table(firms, date(2012, 1, 1))

    founded_before = [f.firm_id for f in firms if f.founded_on and f.founded_on < date(2012, 1, 1)]
    assert ids == founded_before
    assert len(rows) == len(ids)

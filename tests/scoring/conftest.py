"""Shared synthetic data for the scoring tests (no app, no database)."""

from datetime import date

import pytest

from benchmarks.synthetic import synthetic_firms
from scoring.backtest import BacktestReport, backtest
from scoring.facts import FirmFacts

TRAIN_CUTOFFS = [date(2018, 1, 1), date(2019, 1, 1)]
TEST_CUTOFF = date(2022, 1, 1)


@pytest.fixture(scope="session")
def firms() -> list[FirmFacts]:
    return synthetic_firms()


@pytest.fixture(scope="session")
def report(firms: list[FirmFacts]) -> BacktestReport:
    return backtest(firms, TRAIN_CUTOFFS, TEST_CUTOFF)

"""Shared synthetic data for the scoring tests (no app, no database)."""

import pytest

from benchmarks.synthetic import synthetic_firms
from scoring.backtest import BacktestReport, Windows, backtest
from scoring.facts import FirmFacts
from tests.helpers import FIT_CUTOFFS, TEST_BOOTSTRAP_ROUNDS, TEST_CUTOFFS, VALIDATION_CUTOFF

WINDOWS = Windows(FIT_CUTOFFS, VALIDATION_CUTOFF, TEST_CUTOFFS)


@pytest.fixture(scope="session")
def firms() -> list[FirmFacts]:
    return synthetic_firms()


@pytest.fixture(scope="session")
def report(firms: list[FirmFacts]) -> BacktestReport:
    return backtest(firms, WINDOWS, bootstrap_rounds=TEST_BOOTSTRAP_ROUNDS)

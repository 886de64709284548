"""Shared synthetic data for the scoring tests (no app, no database)."""

import pytest

from benchmarks.synthetic import synthetic_firms
from scoring.backtest import BacktestReport, backtest
from scoring.facts import FirmFacts
from tests.helpers import TEST_CUTOFF, TRAIN_CUTOFFS


@pytest.fixture(scope="session")
def firms() -> list[FirmFacts]:
    return synthetic_firms()


@pytest.fixture(scope="session")
def report(firms: list[FirmFacts]) -> BacktestReport:
    return backtest(firms, TRAIN_CUTOFFS, TEST_CUTOFF)

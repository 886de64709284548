"""A small scored reservoir: firms in two sub-districts with figures, and a learned model."""

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sklearn
from flask import Flask

from benchmarks.synthetic import synthetic_firms
from crm.pipeline.rescoring import rescore
from models import Designation, Enterprise, ModelVersion, TrainingState, db
from scoring.backtest import labelled_rows
from scoring.features import FEATURE_NAMES, rows_to_matrix
from scoring.pipeline import build_pipeline
from scoring.store import ModelCard, save_model
from tests.factories import EnterpriseDesignationFactory, ModelVersionFactory
from tests.helpers import PIPELINE_AS_OF, PIPELINE_NOW, firm_with_figures

CARD = {
    "kind": "logistic",
    "choice": "logistic",
    "choice_reason": "its gain over the index is clear at every test cutoff",
    "train_cutoffs": ["2018-01-01", "2019-01-01"],
    "test_cutoff": "2022-01-01",
    "final_fit_cutoffs": ["2018-01-01", "2019-01-01", "2022-01-01"],
    "horizon_years": 3,
    "train_rows": 600,
    "train_positives": 40,
    "test_rows": 300,
    "test_positives": 20,
    "features": [],
    "metrics": {"average_precision": 0.3},
    "index_metrics": {"average_precision": 0.2},
    "sklearn_version": "test",
    "numpy_version": "test",
    "python_version": "test",
    "trained_at": "2026-06-01T03:00:00",
    # Written by training since the publish gate (scoring/training.py's card).
    "validation_cutoff": "2018-06-01",
    "calibration_cutoff": "2022-01-01",
    "base_rate_cutoffs": ["2020-01-01", "2021-01-01", "2022-01-01"],
    "base_rate": 0.0683,
    "test_cutoffs": ["2021-06-01", "2022-01-01"],
    "gate": [
        {
            "cutoff": "2022-01-01",
            "average_precision": {"estimate": 0.1, "low": 0.02, "high": 0.18},
            "roc_auc": {"estimate": 0.05, "low": 0.01, "high": 0.09},
        }
    ],
    "calibration": [
        {
            "cutoff": "2022-01-01",
            "mean_predicted": 0.07,
            "observed_rate": 0.066,
            "brier_score": 0.05,
            "base_rate_brier_score": 0.0616,
            "expected_calibration_error": 0.01,
        }
    ],
}


@pytest.fixture
def reservoir(app: Flask) -> list[Enterprise]:
    firms = [firm_with_figures(n) for n in range(8)]
    firms += [firm_with_figures(n, sub_district="jiangninglu") for n in range(8, 12)]
    listed = firm_with_figures(12)
    EnterpriseDesignationFactory(
        enterprise=listed, designation=Designation.LISTED, awarded_on=date(2024, 5, 1)
    )
    db.session.commit()
    return [*firms, listed]


@pytest.fixture(scope="module")
def fitted_logistic() -> tuple[Any, ModelCard]:
    """A logistic model trained on synthetic firms, and its card."""
    train = labelled_rows(synthetic_firms(300), [date(2018, 1, 1), date(2019, 1, 1)], 3)
    model = build_pipeline("logistic").fit(rows_to_matrix(train.rows), train.labels)
    card = ModelCard(
        kind="logistic",
        sklearn_version=sklearn.__version__,
        feature_names=list(FEATURE_NAMES),
        train_cutoffs=["2018-01-01", "2019-01-01"],
        test_cutoff="2022-01-01",
        horizon_years=3,
        rows=len(train.rows),
        positives=train.positives,
        metrics={},
        trained_at=PIPELINE_NOW.isoformat(),
    )
    return model, card


@pytest.fixture
def learned_version(
    app: Flask, tmp_path: Path, fitted_logistic: tuple[Any, ModelCard]
) -> ModelVersion:
    """The fitted logistic model, recorded as a version that beat the index."""
    app.config["MODEL_FOLDER"] = str(tmp_path / "models")
    model, card = fitted_logistic
    version = ModelVersionFactory(
        state=TrainingState.READY,
        kind="logistic",
        beats_index=True,
        choice_reason="test",
        started_at=PIPELINE_NOW,
        card=CARD,
        report={"candidates": {}, "importance": {}, "feedback_bias": {}},
    )
    version.artifact = save_model(model, card, tmp_path / "models", version=version.id).name
    db.session.commit()
    return version


@pytest.fixture
def scored(reservoir: list[Enterprise]) -> list[Enterprise]:
    rescore(PIPELINE_AS_OF, PIPELINE_NOW)
    return reservoir

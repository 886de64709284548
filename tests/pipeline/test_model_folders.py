"""Two databases served from one checkout share MODEL_FOLDER: each keeps its model files apart."""

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from crm import create_app
from crm.pipeline.versions import load_live_model, model_folder, save_artifact, start_training
from models import db
from scoring.store import ModelCard
from tests.helpers import TEST_SETTINGS

NOW = datetime(2025, 6, 1, 3, 0)


@pytest.fixture
def two_databases(tmp_path: Path) -> Iterator[tuple[Flask, Flask]]:
    """Two apps on two SQLite files of one name, in two folders, with one MODEL_FOLDER."""
    apps = []
    for checkout in ("first", "second"):
        (tmp_path / checkout).mkdir()
        app = create_app(
            {
                **TEST_SETTINGS,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / checkout / 'crm.sqlite3'}",
                "MODEL_FOLDER": str(tmp_path / "models"),
            }
        )
        with app.app_context():
            db.create_all()
        apps.append(app)
    yield apps[0], apps[1]
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def save_version_one(app: Flask, fitted: tuple[Any, ModelCard]) -> Path:
    with app.app_context():
        version = start_training(None, NOW)
        save_artifact(version, *fitted, NOW)
        version.kind = "logistic"
        db.session.commit()
        assert version.id == 1
        assert load_live_model(version) is not None  # its own file, readable
        return model_folder() / str(version.artifact)


def test_two_databases_sharing_a_model_folder_each_save_their_version_one(
    two_databases, fitted_logistic
):
    first, second = two_databases

    one = save_version_one(first, fitted_logistic)
    other = save_version_one(second, fitted_logistic)

    assert one != other
    assert one.is_file()
    assert other.is_file()
    assert one.name == other.name == "potential-v1.joblib"
    assert one.parent.name.startswith("crm-")

"""Versioned model artifacts: potential-v<N>.joblib beside a JSON model card; never overwritten."""

import json
import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import joblib
import sklearn

from scoring.features import FEATURE_NAMES

ARTIFACT_PREFIX = "potential-v"
VERSION_PATTERN = re.compile(rf"^{ARTIFACT_PREFIX}(\d+)\.json$")


class IncompatibleModelError(Exception):
    """The artifact was built by another scikit-learn or for other features: retrain it."""


@dataclass(frozen=True)
class ModelCard:
    kind: str
    sklearn_version: str
    feature_names: list[str]
    train_cutoffs: list[str]  # ISO dates: the data window
    test_cutoff: str
    horizon_years: int
    rows: int
    positives: int
    metrics: dict[str, float]  # held out, at the test cutoff
    trained_at: str  # ISO UTC datetime, passed in by the caller
    version: int = 0  # assigned by save_model


def next_version(folder: Path) -> int:
    versions = [
        int(match.group(1))
        for path in folder.glob(f"{ARTIFACT_PREFIX}*.json")
        if (match := VERSION_PATTERN.match(path.name))
    ]
    return max(versions, default=0) + 1


def save_model(pipeline: Any, card: ModelCard, folder: Path, version: int | None = None) -> Path:
    """Write the card and artifact of `version` (by default the next free one); returns the
    .joblib path. The CRM passes its database id, so file and record share one number."""
    folder.mkdir(parents=True, exist_ok=True)
    while True:
        claimed = version or next_version(folder)
        card_path = folder / f"{ARTIFACT_PREFIX}{claimed}.json"
        try:
            # Mode "x" claims the version: a concurrent trainer fails here and takes the next one.
            with card_path.open("x", encoding="utf-8") as handle:
                json.dump(asdict(replace(card, version=claimed)), handle, indent=2)
            break
        except FileExistsError:
            if version:  # a version asked for by name is never overwritten
                raise
    path = card_path.with_suffix(".joblib")
    if path.exists():
        raise FileExistsError(f"{path.name} exists without its card; refusing to overwrite it")
    joblib.dump(pipeline, path)
    return path


def load_model(path: Path) -> tuple[Any, ModelCard]:
    """The fitted pipeline and its card, if this scikit-learn and FEATURE_NAMES match the card."""
    card = ModelCard(**json.loads(path.with_suffix(".json").read_text(encoding="utf-8")))
    if card.sklearn_version != sklearn.__version__ or card.feature_names != list(FEATURE_NAMES):
        raise IncompatibleModelError(f"{path.name} was trained elsewhere; retrain it.")
    # joblib runs code on load: only open artifacts this team produced (instance/models/).
    return joblib.load(path), card

import json

import pytest
import sklearn

from scoring.features import FEATURE_NAMES, rows_to_matrix
from scoring.pipeline import build_pipeline
from scoring.store import IncompatibleModelError, ModelCard, load_model, save_model
from tests.helpers import FIT_CUTOFFS, TEST_CUTOFFS

TRAINED_AT = "2026-03-01T08:00:00"


@pytest.fixture(scope="module")
def fitted(firms):
    from scoring.backtest import labelled_rows

    train = labelled_rows(firms[:300], FIT_CUTOFFS, 3)
    model = build_pipeline("logistic").fit(rows_to_matrix(train.rows), train.labels)
    card = ModelCard(
        kind="logistic",
        sklearn_version=sklearn.__version__,
        feature_names=list(FEATURE_NAMES),
        train_cutoffs=[cutoff.isoformat() for cutoff in FIT_CUTOFFS],
        test_cutoff=TEST_CUTOFFS[-1].isoformat(),
        horizon_years=3,
        rows=len(train.rows),
        positives=train.positives,
        metrics={"roc_auc": 0.7, "average_precision": 0.3},
        trained_at=TRAINED_AT,
    )
    return model, card, rows_to_matrix(train.rows[:20])


def test_a_saved_model_loads_back_with_its_card_and_predicts_the_same(tmp_path, fitted):
    model, card, sample = fitted

    path = save_model(model, card, tmp_path)
    loaded, loaded_card = load_model(path)

    assert path.name == "potential-v1.joblib"
    assert loaded_card.version == 1
    assert loaded_card.trained_at == TRAINED_AT
    assert loaded_card.feature_names == list(FEATURE_NAMES)
    assert (loaded.predict_proba(sample) == model.predict_proba(sample)).all()


def test_saving_again_writes_the_next_version_and_keeps_the_first(tmp_path, fitted):
    model, card, _ = fitted
    first = save_model(model, card, tmp_path)
    first_card = first.with_suffix(".json").read_text()

    second = save_model(model, card, tmp_path)

    assert second.name == "potential-v2.joblib"
    assert first.with_suffix(".json").read_text() == first_card
    assert json.loads(second.with_suffix(".json").read_text())["version"] == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [("sklearn_version", "0.24.2"), ("feature_names", ["revenue_growth", "track"])],
)
def test_loading_refuses_a_card_from_another_sklearn_or_feature_set(tmp_path, fitted, field, value):
    model, card, _ = fitted
    path = save_model(model, card, tmp_path)
    card_path = path.with_suffix(".json")
    written = json.loads(card_path.read_text())
    card_path.write_text(json.dumps({**written, field: value}))

    with pytest.raises(IncompatibleModelError):
        load_model(path)


def test_the_card_records_the_data_window(tmp_path, fitted):
    model, card, _ = fitted

    path = save_model(model, card, tmp_path)

    written = json.loads(path.with_suffix(".json").read_text())
    assert written["train_cutoffs"] == [day.isoformat() for day in FIT_CUTOFFS]
    assert written["test_cutoff"] == TEST_CUTOFFS[-1].isoformat()
    assert written["rows"] == card.rows
    assert written["positives"] == card.positives

"""The learned candidates: preprocessing plus classifier, built in code.

They are not calibrated here: a model fitted on one period and calibrated inside it carries that
period's base rate into the future. `scoring.calibration` calibrates them on a later window.
"""

from typing import Any, Literal

from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from scoring.features import CATEGORICAL_FEATURES, FEATURE_NAMES, NUMERIC_FEATURES

ModelKind = Literal["logistic", "hist_gradient_boosting"]
MODEL_KINDS: tuple[ModelKind, ...] = ("logistic", "hist_gradient_boosting")
NUMERIC_COLUMNS = [FEATURE_NAMES.index(name) for name in NUMERIC_FEATURES]
CATEGORICAL_COLUMNS = [FEATURE_NAMES.index(name) for name in CATEGORICAL_FEATURES]
# Strong regularisation: one-hot tracks and zones give many columns for a few dozen positives.
# On Crunchbase's 2009 validation panel C = 0.05 beat C = 1 (docs/external-benchmark.md).
LOGISTIC_C = 0.05


def _columns(kind: ModelKind) -> ColumnTransformer:
    numeric: Any
    if kind == "logistic":
        # The indicator keeps "not reported" apart from "median", as the index does (it ranks a
        # missing figure last): without it the linear model would read a gap as an average firm.
        numeric = make_pipeline(
            SimpleImputer(strategy="median", add_indicator=True, keep_empty_features=True),
            StandardScaler(),
        )
    else:
        # Gradient boosting splits on NaN natively: no imputation, no scaling.
        numeric = "passthrough"
    categorical = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
    return ColumnTransformer(
        [("numeric", numeric, NUMERIC_COLUMNS), ("categorical", categorical, CATEGORICAL_COLUMNS)]
    )


def build_pipeline(kind: ModelKind, random_state: int = 0) -> Pipeline:
    """An unfitted classifier over `rows_to_matrix` input; its scores rank, they are not yet
    probabilities of the future (see scoring.calibration)."""
    classifier: Any
    if kind == "logistic":
        classifier = LogisticRegression(C=LOGISTIC_C, max_iter=5000, random_state=random_state)
    elif kind == "hist_gradient_boosting":
        classifier = HistGradientBoostingClassifier(
            learning_rate=0.05,
            max_iter=150,
            max_leaf_nodes=15,
            min_samples_leaf=20,
            l2_regularization=1.0,
            early_stopping=False,  # "auto" would switch it on with more rows: keep runs comparable
            random_state=random_state,
        )
    else:
        raise ValueError(f"unknown model kind {kind!r}")
    return Pipeline([("columns", _columns(kind)), ("classifier", classifier)])

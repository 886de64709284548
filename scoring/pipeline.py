"""The learned candidates: preprocessing plus classifier, calibrated, built in code."""

from typing import Any, Literal

from sklearn.calibration import CalibratedClassifierCV
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
CALIBRATION_FOLDS = 3


def _columns(kind: ModelKind) -> ColumnTransformer:
    numeric: Any
    if kind == "logistic":
        numeric = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    else:
        # Gradient boosting splits on NaN natively: no imputation, no scaling.
        numeric = "passthrough"
    categorical = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
    return ColumnTransformer(
        [("numeric", numeric, NUMERIC_COLUMNS), ("categorical", categorical, CATEGORICAL_COLUMNS)]
    )


def build_pipeline(kind: ModelKind, random_state: int = 0) -> CalibratedClassifierCV:
    """An unfitted, calibrated classifier over `rows_to_matrix` input."""
    classifier: Any
    if kind == "logistic":
        classifier = LogisticRegression(C=1.0, max_iter=5000, random_state=random_state)
        method = "sigmoid"  # a linear model is already near-calibrated; two parameters suffice
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
        method = "isotonic"
    else:
        raise ValueError(f"unknown model kind {kind!r}")
    pipeline = Pipeline([("columns", _columns(kind)), ("classifier", classifier)])
    return CalibratedClassifierCV(pipeline, method=method, cv=CALIBRATION_FOLDS)

"""Crunchbase's October 2013 export as scoring facts: an out-of-time benchmark on real firms.

Research, not part of the shipped scoring library: it reuses scoring/'s facts, features,
pipeline and metrics on data the CRM never holds.
"""

import csv
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any, Literal

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from threadpoolctl import threadpool_limits

from scoring.backtest import (
    TOO_FEW_POSITIVES,
    base_rate_cutoffs,
    check_windows,
    fitting_cutoffs,
)
from scoring.calibration import calibrated_candidate
from scoring.facts import FirmFacts, FundingFact, add_years
from scoring.features import (
    DAYS_PER_YEAR,
    FUNDING_STAGES,
    NAN,
    Row,
    existed_before,
    features_as_of,
    rows_to_matrix,
)
from scoring.gate import BOOTSTRAP_ROUNDS, paired_bootstrap
from scoring.index import index_scores
from scoring.labels import MIN_POSITIVES
from scoring.metrics import candidate_metrics, out_of_time_calibration
from scoring.pipeline import MODEL_KINDS, ModelKind, build_pipeline
from scoring.ranks import percentile_ranks

Label = Literal["bigraise", "acquired", "any"]
LABELS: tuple[Label, ...] = ("bigraise", "acquired", "any")
COMPANIES_FILE = "crunchbase-companies.csv"
ROUNDS_FILE = "crunchbase-rounds.csv"
ACQUISITIONS_FILE = "crunchbase-acquisitions.csv"
EXPORT_FILES = (COMPANIES_FILE, ROUNDS_FILE, ACQUISITIONS_FILE)
COLUMNS_READ = {
    COMPANIES_FILE: ("permalink", "status", "category_code", "region", "state_code", "founded_at"),
    ROUNDS_FILE: ("company_permalink", "funding_round_type", "funded_at", "raised_amount_usd"),
    ACQUISITIONS_FILE: ("company_permalink", "acquired_at"),
}
# Old-Mac files: Mac Roman text, bare CR line ends (the csv module reads those with newline="").
ENCODING = "mac_roman"
ATTRIBUTION = (
    "Data: Crunchbase, October 2013 export (CC-BY), "
    "via github.com/datahoarder/crunchbase-october-2013"
)
# The export's last dated round and acquisition: a later label window would count unseen events
# as negatives.
OBSERVED_UNTIL = date(2013, 10, 1)
WINDOW_YEARS = 2
# "bigraise": one round of at least US$20M dated in the window, the dataset README's growth proxy.
BIG_RAISE_USD = 20_000_000.0
# Early stage, as the dataset README defines it: under US$5M raised and nothing beyond series A.
EARLY_STAGE_MAX_RAISED_USD = 5_000_000.0
# Crunchbase round types onto features.FUNDING_STAGES; "venture" and "other" name no stage, so
# they (and private-equity, post-ipo) keep their own name and features.py gives them a NaN stage.
STAGE_OF_ROUND_TYPE = {
    "crowdfunding": "seed",
    "angel": "angel",
    "series-a": "a",
    "series-b": "b",
    "series-c+": "c",
}
LATE_STAGES = frozenset({"b", "c", "private-equity", "post-ipo"})
UNKNOWN = "unknown"
HEURISTIC = "total_raised"
INDEX = "index"
# Categories seen on fewer training rows are pooled: 794 metro regions would otherwise overfit.
MIN_CATEGORY_ROWS = 20
# Yearly fitting cutoffs before the train cutoff (an early one may hold no firm: no rows).
FIT_CUTOFFS = 3
# Percentile ranks within the panel's own cohort: funding levels drift between cutoffs (2011
# rounds were larger than 2009 ones), a firm's standing among its peers drifts less.
COHORT_RANKED: tuple[str, ...] = ("total_raised", "funding_last_3_years", "largest_round")
NUMERIC_FEATURES: tuple[str, ...] = (
    "total_raised_log",
    "largest_round_log",
    "last_round_log",
    "round_count",
    "undisclosed_round_count",
    "rounds_last_2_years",
    "years_since_first_round",
    "years_since_last_round",
    "funding_last_3_years_log",
    "funding_momentum",
    "funding_stage",
    "highest_stage",
    "age_years_log",
    *(f"{name}_rank" for name in COHORT_RANKED),
)
CATEGORICAL_FEATURES: tuple[str, ...] = ("track", "zone", "last_round_type")
FEATURE_NAMES = NUMERIC_FEATURES + CATEGORICAL_FEATURES


@dataclass(frozen=True)
class CrunchbaseFirm:
    permalink: str
    status: str  # as of October 2013: only ever a population filter, never a feature or label
    facts: FirmFacts
    acquired_on: list[date] = field(default_factory=list)


@dataclass(frozen=True)
class Panel:
    cutoff: date
    permalinks: list[str]
    firm_ids: list[int]
    facts: list[FirmFacts]
    rows: list[Row]  # FEATURE_NAMES of this module
    crm_rows: list[Row]  # features.features_as_of, for the CRM's rule index
    labels: list[bool]


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _amount(text: str) -> float:
    """US dollars; 0.0 for an undisclosed amount (the export has no real zero-dollar round)."""
    try:
        return max(0.0, float(text))
    except ValueError:
        return 0.0


def _read(directory: Path, name: str) -> list[dict[str, str]]:
    with (directory / name).open(encoding=ENCODING, newline="") as file:
        reader = csv.DictReader(file)
        missing = [
            column for column in COLUMNS_READ[name] if column not in (reader.fieldnames or [])
        ]
        if missing:
            raise ValueError(f"{name} lacks the column(s) {', '.join(missing)}")
        return list(reader)


def load_crunchbase(directory: Path) -> list[CrunchbaseFirm]:
    """Every company of the export with its dated rounds and acquisitions, in file order."""
    rounds: dict[str, list[FundingFact]] = defaultdict(list)
    for row in _read(directory, ROUNDS_FILE):
        funded_on = _day(row["funded_at"])
        if funded_on is not None:
            kind = row["funding_round_type"].strip()
            stage = STAGE_OF_ROUND_TYPE.get(kind, kind or UNKNOWN)
            rounds[row["company_permalink"]].append(
                FundingFact(funded_on, _amount(row["raised_amount_usd"]), stage)
            )
    acquisitions: dict[str, list[date]] = defaultdict(list)
    for row in _read(directory, ACQUISITIONS_FILE):
        acquired_on = _day(row["acquired_at"])
        if row["company_permalink"] and acquired_on is not None:  # trailing rows are empty
            acquisitions[row["company_permalink"]].append(acquired_on)
    firms = []
    for firm_id, row in enumerate(_read(directory, COMPANIES_FILE)):
        permalink = row["permalink"]
        region = row["region"].strip()
        facts = FirmFacts(
            firm_id=firm_id,
            founded_on=_day(row["founded_at"]),
            track=row["category_code"].strip() or UNKNOWN,
            zone=region if region and region != UNKNOWN else row["state_code"].strip() or UNKNOWN,
            fundings=sorted(rounds[permalink], key=lambda funding: funding.on),
        )
        firms.append(
            CrunchbaseFirm(permalink, row["status"].strip(), facts, sorted(acquisitions[permalink]))
        )
    return firms


def _is_early_stage(earlier: Sequence[FundingFact]) -> bool:
    raised = sum(funding.amount for funding in earlier)
    return raised < EARLY_STAGE_MAX_RAISED_USD and not any(f.stage in LATE_STAGES for f in earlier)


def in_panel(firm: CrunchbaseFirm, cutoff: date, early_stage: bool = False) -> bool:
    """Funded before the cutoff, founded before it, and not yet acquired or public.

    The IPO date is not in the export, so every firm public by 2013 is left out: a small
    look-ahead in who is scored (never in what they are scored on), the same at both cutoffs.
    """
    earlier = [funding for funding in firm.facts.fundings if funding.on < cutoff]
    if not earlier or not existed_before(firm.facts, cutoff) or firm.status == "ipo":
        return False
    if any(day < cutoff for day in firm.acquired_on):
        return False
    if any(funding.stage == "post-ipo" for funding in earlier):
        return False
    return _is_early_stage(earlier) if early_stage else True


def outcome(firm: CrunchbaseFirm, cutoff: date, label: Label, years: int = WINDOW_YEARS) -> bool:
    """Whether the label's event is dated in [cutoff, cutoff + years)."""
    end = add_years(cutoff, years)
    big_raise = any(
        cutoff <= funding.on < end and funding.amount >= BIG_RAISE_USD
        for funding in firm.facts.fundings
    )
    acquired = any(cutoff <= day < end for day in firm.acquired_on)
    return {"bigraise": big_raise, "acquired": acquired, "any": big_raise or acquired}[label]


def _years(start: date, end: date) -> float:
    return (end - start).days / DAYS_PER_YEAR


def external_features_as_of(firm: FirmFacts, crm_row: Row, cutoff: date) -> Row:
    """The funding history before the cutoff, on top of the CRM features that exist here.

    The CRM's yearly figures, designations, visits and support are absent from the export, so
    most of features.FEATURE_NAMES would be constant; what the export has is a dated round list.
    """
    earlier = [funding for funding in firm.fundings if funding.on < cutoff]
    amounts = [funding.amount for funding in earlier]
    stages = [FUNDING_STAGES.index(f.stage) for f in earlier if f.stage in FUNDING_STAGES]
    last = earlier[-1] if earlier else None
    age = crm_row["age_years"]
    return {
        "total_raised_log": math.log1p(sum(amounts)),
        "largest_round_log": math.log1p(max(amounts, default=0.0)),
        "last_round_log": math.log1p(last.amount) if last and last.amount else NAN,
        "round_count": float(len(earlier)),
        "undisclosed_round_count": float(sum(1 for amount in amounts if amount == 0.0)),
        "rounds_last_2_years": float(
            sum(1 for funding in earlier if funding.on >= add_years(cutoff, -2))
        ),
        "years_since_first_round": _years(earlier[0].on, cutoff) if earlier else NAN,
        "years_since_last_round": _years(last.on, cutoff) if last else NAN,
        "funding_last_3_years_log": math.log1p(float(crm_row["funding_last_3_years"])),
        "funding_momentum": crm_row["funding_momentum"],
        "funding_stage": crm_row["funding_stage"],
        "highest_stage": float(max(stages)) if stages else NAN,
        # Some founding dates are bogus (1906, or after the first round): the log tames them.
        "age_years_log": math.log1p(max(0.0, float(age))) if not math.isnan(float(age)) else NAN,
        "track": firm.track,
        "zone": firm.zone,
        "last_round_type": last.stage if last else "none",
    }


def build_panel(
    firms: Sequence[CrunchbaseFirm], cutoff: date, label: Label, early_stage: bool = False
) -> Panel:
    """One row per firm in the panel at `cutoff`: features before it, the label after it."""
    if label not in LABELS:
        raise ValueError(f"unknown label {label!r}; choose one of {', '.join(LABELS)}")
    permalinks: list[str] = []
    firm_ids: list[int] = []
    facts: list[FirmFacts] = []
    rows: list[Row] = []
    crm_rows: list[Row] = []
    labels: list[bool] = []
    for firm in firms:
        if in_panel(firm, cutoff, early_stage):
            crm_row = features_as_of(firm.facts, cutoff)
            permalinks.append(firm.permalink)
            firm_ids.append(firm.facts.firm_id)
            facts.append(firm.facts)
            crm_rows.append(crm_row)
            rows.append(external_features_as_of(firm.facts, crm_row, cutoff))
            labels.append(outcome(firm, cutoff, label))
    for name in COHORT_RANKED:
        ranks = percentile_ranks(np.array([float(row[f"{name}_log"]) for row in rows]))
        for row, rank in zip(rows, ranks.tolist(), strict=True):
            row[f"{name}_rank"] = rank
    return Panel(cutoff, permalinks, firm_ids, facts, rows, crm_rows, labels)


def _columns(kind: ModelKind) -> ColumnTransformer:
    numeric: Any = "passthrough"  # gradient boosting splits on NaN natively
    if kind == "logistic":
        # The indicator keeps "never reported" apart from "median", e.g. an unknown founding date.
        numeric = make_pipeline(
            SimpleImputer(strategy="median", add_indicator=True, keep_empty_features=True),
            StandardScaler(),
        )
    categorical = OneHotEncoder(
        handle_unknown="infrequent_if_exist", min_frequency=MIN_CATEGORY_ROWS, sparse_output=False
    )
    numeric_columns = list(range(len(NUMERIC_FEATURES)))
    categorical_columns = list(range(len(NUMERIC_FEATURES), len(FEATURE_NAMES)))
    return ColumnTransformer(
        [("numeric", numeric, numeric_columns), ("categorical", categorical, categorical_columns)]
    )


def build_external_pipeline(kind: ModelKind, random_state: int = 0) -> Any:
    """pipeline.build_pipeline's classifier, reading this module's columns."""
    return build_pipeline(kind, random_state).set_params(columns=_columns(kind))


def _metrics(labels: Sequence[bool], scores: Sequence[float]) -> dict[str, float]:
    metrics = candidate_metrics(labels, scores)
    return {
        "roc_auc": metrics.roc_auc,
        "average_precision": metrics.average_precision,
        "precision_at_10pct": metrics.precision_at_top_10_percent,
        "lift_at_10pct": metrics.lift_at_top_10_percent,
        "brier": metrics.brier_score,
    }


def check_benchmark_windows(train_cutoff: date, test_cutoff: date) -> None:
    """The train labels must be settled by the test cutoff, and the test labels by the export."""
    check_windows([train_cutoff], test_cutoff, WINDOW_YEARS)
    if add_years(test_cutoff, WINDOW_YEARS) > OBSERVED_UNTIL + timedelta(days=1):
        raise ValueError(
            f"the label window of test cutoff {test_cutoff} ends after the export's last day "
            f"{OBSERVED_UNTIL}: its negatives would be unobserved"
        )


def fit_cutoffs(train_cutoff: date) -> list[date]:
    """The yearly cutoffs the candidates learn from, before the train cutoff where they are
    calibrated and chosen: the CRM's rule (the latest window ends a year into the train one)."""
    return fitting_cutoffs(train_cutoff, WINDOW_YEARS, FIT_CUTOFFS)


def settled_rate(firms: Sequence[CrunchbaseFirm], cutoffs: Sequence[date], label: Label) -> float:
    """The pooled rate of the label's event in the panels at the cutoffs: outcomes only."""
    outcomes = [outcome(f, day, label) for day in cutoffs for f in firms if in_panel(f, day)]
    return sum(outcomes) / len(outcomes)


def is_discovery(firm: FirmFacts, cutoff: date, label: Label) -> bool:
    """Not at the label's event before the cutoff: a firm the office would still have to find.
    An acquired firm has left the panel already, so only a big raise can come before."""
    if label == "acquired":
        return True
    return not any(f.on < cutoff and f.amount >= BIG_RAISE_USD for f in firm.fundings)


def _judged(
    labels: Sequence[bool], scores: dict[str, list[float]], rows: np.ndarray
) -> dict[str, Any]:
    kept = [label for label, keep in zip(labels, rows, strict=True) if keep]
    if not any(kept) or all(kept):
        return {"n": len(kept), "n_positives": sum(kept), "candidates": {}}
    return {
        "n": len(kept),
        "n_positives": sum(kept),
        "candidates": {
            name: _metrics(kept, np.asarray(values)[rows].tolist())
            for name, values in scores.items()
        },
    }


def benchmark(
    firms: Sequence[CrunchbaseFirm],
    train_cutoff: date,
    test_cutoff: date,
    label: Label = "any",
    early_stage: bool = False,
    bootstrap_rounds: int = BOOTSTRAP_ROUNDS,
) -> dict[str, Any]:
    """Fit the learned candidates on the cutoffs before the train cutoff, calibrate and choose on
    its panel, and judge every candidate on the test panel (or its early-stage firms)."""
    check_benchmark_windows(train_cutoff, test_cutoff)
    fitting = [build_panel(firms, cutoff, label) for cutoff in fit_cutoffs(train_cutoff)]
    validation = build_panel(firms, train_cutoff, label)
    test = build_panel(firms, test_cutoff, label)
    judged = np.array(
        [
            _is_early_stage([f for f in firm.fundings if f.on < test_cutoff])
            if early_stage
            else True
            for firm in test.facts
        ]
    )
    labels = [label for label, keep in zip(test.labels, judged, strict=True) if keep]
    if not any(labels) or all(labels):
        raise ValueError("the test panel needs both positive and negative outcomes")
    scores: dict[str, list[float]] = {
        HEURISTIC: [float(row["total_raised_rank"]) for row in test.rows],
        INDEX: index_scores(test.crm_rows),
    }
    fit_labels = [label for panel in fitting for label in panel.labels]
    base_rate = settled_rate(firms, base_rate_cutoffs(train_cutoff), label)
    skipped: dict[str, str] = {}
    validation_metrics: dict[str, dict[str, float]] = {}
    calibration: dict[str, dict[str, Any]] = {}
    chosen: str | None = None
    if sum(fit_labels) < MIN_POSITIVES:
        skipped = dict.fromkeys(MODEL_KINDS, TOO_FEW_POSITIVES)
    else:
        fit_matrix = np.vstack([rows_to_matrix(p.rows, FEATURE_NAMES) for p in fitting])
        fit_firms = [firm_id for panel in fitting for firm_id in panel.firm_ids]
        test_matrix = rows_to_matrix(test.rows, FEATURE_NAMES)
        # One OpenMP thread: on panels this small, gradient boosting's threads spin-wait for
        # each other, and on a busy machine a 1-second fit took 5 to 60 seconds.
        with threadpool_limits(limits=1, user_api="openmp"):
            for kind in MODEL_KINDS:
                model, validation_scores = calibrated_candidate(
                    partial(build_external_pipeline, kind),
                    fit_matrix,
                    fit_labels,
                    fit_firms,
                    rows_to_matrix(validation.rows, FEATURE_NAMES),
                    validation.labels,
                    validation.firm_ids,
                    base_rate=base_rate,
                )
                validation_metrics[kind] = candidate_metrics(
                    validation.labels, validation_scores.tolist()
                ).ranking()
                scores[kind] = model.predict_proba(test_matrix)[:, 1].tolist()
        chosen = max(validation_metrics, key=lambda k: validation_metrics[k]["average_precision"])
        for kind in MODEL_KINDS:
            found = out_of_time_calibration(labels, np.asarray(scores[kind])[judged].tolist())
            calibration[kind] = {
                key: value for key, value in asdict(found).items() if key != "bins"
            }
    gate: dict[str, dict[str, dict[str, float]]] = {}
    if chosen is not None:
        kept = {name: np.asarray(values)[judged].tolist() for name, values in scores.items()}
        for baseline in (INDEX, HEURISTIC):
            gains = paired_bootstrap(labels, kept[chosen], kept[baseline], bootstrap_rounds)
            gate[baseline] = {name: gain.as_dict() for name, gain in gains.items()}
    published = (
        chosen
        if chosen is not None
        and all(gate[INDEX][name]["low"] > 0 for name in ("average_precision", "roc_auc"))
        else INDEX
    )
    discovery = judged & np.array([is_discovery(f, test_cutoff, label) for f in test.facts])
    return {
        "label": label,
        "early_stage": early_stage,
        "train_cutoff": train_cutoff.isoformat(),
        "fit_cutoffs": [day.isoformat() for day in fit_cutoffs(train_cutoff)],
        "test_cutoff": test_cutoff.isoformat(),
        "window_years": WINDOW_YEARS,
        "big_raise_usd": BIG_RAISE_USD,
        "n_fit": len(fit_labels),
        "n_fit_positives": sum(fit_labels),
        "n_train": len(validation.labels),
        "n_train_positives": sum(validation.labels),
        "base_rate_cutoffs": [day.isoformat() for day in base_rate_cutoffs(train_cutoff)],
        "calibration_base_rate": base_rate,
        "n_test": len(labels),
        "n_test_positives": sum(labels),
        "base_rate": sum(labels) / len(labels),
        "candidates": _judged(test.labels, scores, judged)["candidates"],
        "validation": validation_metrics,
        "chosen_on_validation": chosen,
        "published": published,
        "gate": gate,
        "calibration": calibration,
        "discovery": _judged(test.labels, scores, discovery),
        "skipped": skipped,
        "attribution": ATTRIBUTION,
    }

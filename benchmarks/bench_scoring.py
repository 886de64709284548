"""`make bench`: training on ~100,000 firm-years, and rescoring 100,000 firms into a database.

Each measured run is a fresh process, so its peak RSS is its own and no cache carries over.
"""

import argparse
import math
import sys
import tempfile
from datetime import date, datetime
from itertools import pairwise
from pathlib import Path
from time import perf_counter

import sklearn
from flask import Flask
from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import make_url

from benchmarks.measuring import (
    Info,
    Run,
    in_fresh_process,
    measured,
    peak_rss_mb,
    phase_clock,
    print_table,
)
from benchmarks.reservoir import fill_reservoir, table
from benchmarks.synthetic import synthetic_firms
from crm import create_app
from crm.config import normalise_database_url
from crm.pipeline import rescoring
from models import ModelVersion, PotentialScore, TrainingState, db
from scoring.backtest import BacktestReport, labelled_rows
from scoring.features import FEATURE_NAMES
from scoring.labels import DEFAULT_HORIZON_YEARS
from scoring.store import ModelCard, save_model
from scoring.training import default_windows, train

# default_windows then fits at mid-2014, 2015 and 2016, validates at mid-2019 and tests at mid-2022
# and mid-2023: inside the synthetic firms' history, whose milestones are dated 2009 to 2025.
AS_OF = date(2026, 6, 30)
SCORED_AT = datetime(2026, 6, 30, 6, 0)
SEED = 0
PILOT_FIRMS = 2_000  # enough to estimate firm-years per firm within a percent or so
RESCORE_PHASES = {  # what rescore() calls, by name -> the phase it counts towards
    "load_live_model": "load model",
    "firm_facts": "load facts",
    "feature_table": "features",
    "score_rows": "score + reasons",
}


def bench_app(database_url: str, model_folder: str) -> Flask:
    return create_app(
        {
            "CRM_ENV": "development",
            "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
            "MODEL_FOLDER": model_folder,
        }
    )


def firms_for_rows(target_rows: int) -> int:
    """How many synthetic firms give `target_rows` firm-years over the default cutoffs.

    The generator draws firms one after another from one seed, so the pilot is a prefix of the
    full set and its rate carries over.
    """
    windows = default_windows(AS_OF, DEFAULT_HORIZON_YEARS)
    cutoffs = [*windows.fit_cutoffs, windows.validation_cutoff, *windows.test_cutoffs]
    pilot = labelled_rows(synthetic_firms(PILOT_FIRMS, SEED), cutoffs, DEFAULT_HORIZON_YEARS)
    return math.ceil(target_rows * PILOT_FIRMS / len(pilot.rows))


def measure_training(firm_count: int, model_folder: str | None) -> tuple[Run, Info]:
    """`train` end to end; with `model_folder`, also save every candidate for the scorers."""
    firms = synthetic_firms(firm_count, SEED)
    marks = [("backtest", perf_counter())]

    def progress(step: str, _percent: int) -> None:
        if step != "backtest":  # reported at the start: the time up to it is the backtest's
            marks.append((step, perf_counter()))

    outcome = train(firms, AS_OF, progress=progress)
    marks.append(("end", perf_counter()))
    run = {step: end - start for (step, start), (_, end) in pairwise(marks)}
    run["total"] = marks[-1][1] - marks[0][1]
    run["peak RSS"] = peak_rss_mb()
    report = outcome.report
    saved = _save_candidates(report, Path(model_folder)) if model_folder is not None else []
    return run, {
        "firms": len(firms),
        "firm-years": len(report.fit.labels)
        + len(report.validation.labels)
        + sum(len(test.rows.labels) for test in report.tests),
        "fitting cutoffs": f"{len(report.fit.labels):,} rows at "
        + ", ".join(day.isoformat() for day in report.windows.fit_cutoffs),
        "test cutoffs": ", ".join(
            f"{len(test.rows.labels):,} rows at {test.cutoff.isoformat()}" for test in report.tests
        ),
        "chosen": outcome.kind,
        "saved for the scorers": saved,
    }


def _save_candidates(report: BacktestReport, folder: Path) -> list[str]:
    """Each learned candidate as fitted by the backtest, as versions 1, 2, ...: the scorers
    benchmark every kind, whichever the synthetic data happens to choose."""
    for version, kind in enumerate(report.fitted, start=1):
        card = ModelCard(
            kind=kind,
            sklearn_version=sklearn.__version__,
            feature_names=list(FEATURE_NAMES),
            train_cutoffs=[day.isoformat() for day in report.windows.fit_cutoffs],
            test_cutoff=report.latest.cutoff.isoformat(),
            horizon_years=report.horizon_years,
            rows=len(report.fit.labels),
            positives=report.fit.positives,
            metrics=report.latest.candidates[kind].headline(),
            trained_at=SCORED_AT.isoformat(),
        )
        save_model(report.fitted[kind], card, folder, version=version)
    return list(report.fitted)


def prepare_database(
    database_url: str, model_folder: str, firm_count: int, kinds: list[str]
) -> tuple[Run, Info]:
    """A fresh reservoir, and an unpublished version row for each saved candidate."""
    with bench_app(database_url, model_folder).app_context():
        started = perf_counter()
        counts = fill_reservoir(firm_count, AS_OF, SCORED_AT)
        seconds = perf_counter() - started
        for version, kind in enumerate(kinds, start=1):
            values = {"id": version, "state": TrainingState.READY, "kind": kind}
            artifact = {"artifact": f"potential-v{version}.joblib", "started_at": SCORED_AT}
            db.session.execute(insert(table(ModelVersion)), values | artifact)
        db.session.commit()
        db.session.remove()
    return {"fill": seconds}, counts


def publish_only(database_url: str, model_folder: str, version_id: int | None) -> None:
    """Make `version_id` the live scorer; None leaves the index live."""
    with bench_app(database_url, model_folder).app_context():
        db.session.execute(update(table(ModelVersion)).values(published_at=None))
        if version_id is not None:
            live = update(table(ModelVersion)).where(table(ModelVersion).c.id == version_id)
            db.session.execute(live.values(published_at=SCORED_AT))
        db.session.commit()
        db.session.remove()


def measure_rescoring(database_url: str, model_folder: str) -> tuple[Run, Info]:
    """`rescore` end to end, split into phases."""
    with (
        bench_app(database_url, model_folder).app_context(),
        phase_clock(rescoring, RESCORE_PHASES) as spent,
    ):
        started = perf_counter()
        scoring_run = rescoring.rescore(AS_OF, SCORED_AT)
        db.session.commit()  # as `flask crm score` does: the write is part of the run
        total = perf_counter() - started
        count = select(func.count()).where(PotentialScore.run_id == scoring_run.id)
        info: Info = {"scorer": scoring_run.scorer}
        info |= {"firms scored": scoring_run.firms, "scores written": db.session.scalar(count)}
        db.session.remove()
    run = {phase: spent[phase] for phase in dict.fromkeys(RESCORE_PHASES.values())}
    run["rank + write"] = total - sum(spent.values())  # the rest of rescore(): ranks, inserts
    return run | {"total": total, "peak RSS": peak_rss_mb()}, info


def bench_training(arguments: argparse.Namespace, model_folder: str) -> list[str]:
    """The training table; returns the kinds saved for the scorers (none: only the index)."""
    firm_count = firms_for_rows(arguments.training_rows)
    print(f"Training on ~{arguments.training_rows:,} firm-years of {firm_count:,} synthetic firms")
    runs, info = measured(1, measure_training, firm_count, model_folder)
    more, _same_info = measured(arguments.repeat - 1, measure_training, firm_count, None)
    print_table("scoring.training.train", runs + more, info)
    return list(info["saved for the scorers"])


def bench_scoring(
    arguments: argparse.Namespace, database_url: str, model_folder: str, kinds: list[str]
) -> None:
    backend = make_url(normalise_database_url(database_url)).get_backend_name()
    print(f"Writing {arguments.firms:,} scorable firms to {backend}")
    args = (database_url, model_folder)
    runs, counts = measured(1, prepare_database, *args, arguments.firms, kinds)
    print_table(f"Fill the {backend} database with Core inserts (not a target)", runs, counts)
    for version in [None, *range(1, len(kinds) + 1)]:
        in_fresh_process(publish_only, *args, version)
        runs, info = measured(arguments.repeat, measure_rescoring, *args)
        print_table(f"rescore() on {backend}", runs, info)


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_scoring", description=__doc__)
    parser.add_argument("--firms", type=int, default=100_000, help="firms to score: 100,000")
    parser.add_argument("--training-rows", type=int, default=100_000, help="firm-years: 100,000")
    parser.add_argument(
        "--repeat", type=int, default=3, choices=range(1, 100), metavar="N", help="runs of each: 3"
    )
    parser.add_argument(
        "--database-url",
        help="a scratch database named *bench*, whose tables are dropped (default: a temporary "
        "SQLite file), e.g. postgresql://postgres@127.0.0.1:5432/cultivate_bench",
    )
    parser.add_argument("--skip-training", action="store_true", help="score with the index only")
    parser.add_argument("--skip-scoring", action="store_true")
    return parser.parse_args(argv)


def main(argv: list[str]) -> None:
    arguments = parse_arguments(argv)
    if arguments.database_url and "bench" not in (make_url(arguments.database_url).database or ""):
        sys.exit("--database-url: name a scratch database such as cultivate_bench")
    with tempfile.TemporaryDirectory(prefix="cultivate-bench-") as folder:
        model_folder = str(Path(folder) / "models")
        kinds = [] if arguments.skip_training else bench_training(arguments, model_folder)
        if not arguments.skip_scoring:
            database_url = arguments.database_url or f"sqlite:///{folder}/bench.sqlite3"
            bench_scoring(arguments, database_url, model_folder, kinds)


if __name__ == "__main__":
    main(sys.argv[1:])

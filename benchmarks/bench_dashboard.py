"""The leaders' dashboard on a demo reservoir: one page load, the workbook, and their phases.

    python -m benchmarks.bench_dashboard [--firms 2000 8000] [--repeat 3]

Each size is seeded once into a SQLite file (seeding is not timed); every measured run is then a
fresh interpreter that opens that file, logs a leader in and loads `/dashboard/` and
`/dashboard/export.xlsx` once each, so no cache carries over between runs.
"""

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path
from time import perf_counter
from typing import Any

from benchmarks.measuring import Info, Run, measured, peak_rss_mb, phase_clock, print_table

AS_OF = date(2026, 11, 16)
SEED = 11


def _settings(database: Path, folder: str) -> dict[str, object]:
    from tests.conftest import TEST_SETTINGS

    return {
        **TEST_SETTINGS,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "CRM_UPLOAD_FOLDER": folder,
        "MODEL_FOLDER": f"{folder}/models",
    }


def seed(database: Path, firms: int, folder: str) -> None:
    from crm import create_app
    from crm.reference import load_reference_data
    from crm.seeding import seed_demo
    from models import db
    from tests.factories import UserFactory

    app = create_app(_settings(database, folder))
    with app.app_context():
        db.create_all()
        load_reference_data()
        seed_demo(firms, SEED, AS_OF)
        UserFactory(username="bench.leader", role="leader")
        db.session.commit()


def load_pages(database: Path, folder: str) -> tuple[Run, Info]:
    from crm import create_app
    from crm.dashboard import sections
    from models import db
    from tests.conftest import log_in

    app = create_app(_settings(database, folder))
    run: Run = {}
    with app.app_context():
        from models import User

        leader = db.session.query(User).filter_by(username="bench.leader").one()
        client = app.test_client()
        log_in(client, leader)
        phases = {"target_progress": "targets", "coverage_sections": "coverage"}
        with phase_clock(sections, phases) as spent:
            started = perf_counter()
            _fetch(client, "/dashboard/")
            run["page"] = perf_counter() - started
            started = perf_counter()
            _fetch(client, "/dashboard/export.xlsx")
            run["workbook"] = perf_counter() - started
        run["page + workbook: targets"] = spent["targets"]
        run["page + workbook: coverage"] = spent["coverage"]
    run["total"] = run["page"] + run["workbook"]
    run["peak RSS"] = peak_rss_mb()
    return run, {}


def _fetch(client: Any, path: str) -> None:
    status = client.get(path).status_code
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_dashboard")
    parser.add_argument("--firms", type=int, nargs="+", default=[2000, 8000])
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        for firms in arguments.firms:
            database = Path(folder) / f"dashboard-{firms}.sqlite3"
            print(f"seeding {firms:,} demo firms (not timed) ...", flush=True)
            seed(database, firms, folder)
            runs, _info = measured(arguments.repeat, load_pages, database, folder)
            print_table(
                f"Dashboard, {firms:,} demo firms, SQLite",
                runs,
                {"demo seed": SEED, "as of": AS_OF.isoformat()},
            )


if __name__ == "__main__":
    main(sys.argv[1:])

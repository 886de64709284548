"""`make bench`: the CRM at district scale, pages and batch jobs, on SQLite or PostgreSQL.

    python -m benchmarks.bench_district [--database-url URL] [--firms 100000] [--rounds 3]

1. Builds (or reuses) the district database: `benchmarks/district.py`, not timed.
2. Copies it, so that what the run writes (a visit, a scoring run, reminders) never changes the
   cached database, and serves the copy with gunicorn, 2 workers, on 127.0.0.1.
3. Loads every page of `benchmarks/pages.py` in rounds, each page sample followed by a `/healthz`
   sample, and reports the median and p99 of each, and the ratio to `/healthz`'s.
4. Times the batch jobs as whole processes with their peak memory.
5. Writes `docs/bench/<backend>-<date>-<commit>.json` and rewrites `docs/bench/README.md`, which
   compares the run with the previous one on the same backend.
"""

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from benchmarks import district, report
from benchmarks.jobs import JobResult, flask_command, run_job
from benchmarks.pages import Page, choose_accounts, district_pages, sample_records
from benchmarks.serving import Client, Server, expected, gunicorn

ROOT = Path(__file__).resolve().parent.parent
HEALTHZ = Page("/healthz", "", "/healthz")
SLOW_PAGE_SECONDS = 2.0  # a page this slow gets one sample a round: the run stays bounded


def main(argv: list[str]) -> None:
    arguments = parse(argv)
    folder = arguments.folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    plan = district.Plan(arguments.firms, arguments.base_firms)
    pristine = arguments.database_url or f"sqlite:///{folder}/district-{plan.firms}.sqlite3"
    counts = district.ensure_district(pristine, folder, plan)
    work = working_copy(pristine, folder)
    results: dict[str, Any] = {"rows": counts, "pages": [], "jobs": []}
    day = district.AS_OF
    # First, as the scheduler does every 15 minutes: the dashboard's figures of the day are stored
    # before anyone opens it.
    results["jobs"] += batch_jobs(work, folder, arguments.job_timeout, ("dashboard refresh",))
    with gunicorn(work, folder) as server:
        accounts, records = _records(work, folder)
        pages = district_pages(accounts, records)
        if not arguments.skip_pages:
            results["pages"] = measure_pages(
                server, pages, day, arguments.rounds, arguments.samples
            )
        results["jobs"] += exports(server, accounts.leader, folder)
        results["worker memory MB"] = server.worker_memory_mb()
    if not arguments.skip_jobs:
        results["jobs"] += batch_jobs(work, folder, arguments.job_timeout, LATER_JOBS)
    path = report.write(results, backend_of(pristine), plan, arguments.out)
    print(report.table(results))
    print(f"written: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_district")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--firms", type=int, default=district.FIRMS)
    parser.add_argument("--base-firms", type=int, default=district.BASE_FIRMS)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--samples", type=int, default=10, help="per page and round")
    parser.add_argument("--job-timeout", type=float, default=300.0, help="seconds per job")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--skip-jobs", action="store_true")
    parser.add_argument("--folder", type=Path, default=ROOT / "instance" / "bench")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "bench")
    return parser.parse_args(argv)


def backend_of(database_url: str) -> str:
    return make_url(database_url).get_backend_name()


def working_copy(pristine: str, folder: Path, marker: str = "bench") -> str:
    """A copy the run may write to: a file copy, or a PostgreSQL database from a template. The
    model files of earlier runs go too: the copy's versions start again from v1, and a version's
    file is never overwritten. A PostgreSQL database's name must hold `marker`: the run drops
    and rebuilds it."""
    shutil.rmtree(folder / "models", ignore_errors=True)
    url = make_url(pristine)
    if url.get_backend_name() == "sqlite":
        copy = folder / "work.sqlite3"
        copy.unlink(missing_ok=True)
        # The backup API, not a file copy: recent commits may still sit in the write-ahead log.
        with sqlite3.connect(str(url.database)) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        return f"sqlite:///{copy}"
    name = f"{url.database}_work"
    if marker not in (url.database or ""):
        raise SystemExit(f"refusing to use {url.database}: its name must contain '{marker}'")
    engine = create_engine(
        url.set(drivername="postgresql+psycopg", database="postgres"),
        isolation_level="AUTOCOMMIT",
    )
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{url.database}"'))
    engine.dispose()
    return pristine.rsplit("/", 1)[0] + f"/{name}"


def _records(database_url: str, folder: Path) -> tuple[Any, dict[str, Any]]:
    from crm import create_app
    from models import db

    app = create_app(district.settings(database_url, folder))
    with app.app_context():
        accounts = choose_accounts()
        records = sample_records(accounts.manager)
        db.session.remove()
        db.engine.dispose()
        return accounts, records


def measure_pages(
    server: Server, pages: list[Page], day: date, rounds: int, samples: int
) -> list[dict[str, Any]]:
    clients = _clients(server, pages)
    floor: list[float] = []
    timings: dict[str, list[float]] = {page.name: [] for page in pages}
    failures: dict[str, str] = {}
    anonymous = Client(server.port)
    for page in pages:  # warm up: imports, caches, and a check that each page answers
        answer = clients[page.account].load(page, day)
        if not expected(page, answer):
            failures[page.name] = f"answered {answer.status}"
        elif answer.seconds > SLOW_PAGE_SECONDS:
            print(f"  slow: {page.name} took {answer.seconds:.1f} s", flush=True)
    for round_number in range(rounds):
        for page in pages:
            if page.name in failures:
                continue
            count = (
                1 if timings[page.name] and max(timings[page.name]) > SLOW_PAGE_SECONDS else samples
            )
            for _ in range(count):
                timings[page.name].append(clients[page.account].load(page, day).seconds)
                floor.append(anonymous.request("GET", "/healthz").seconds)
        print(f"  round {round_number + 1} of {rounds} done", flush=True)
    healthz = _summary(HEALTHZ.name, floor, None, None)
    return [healthz] + [
        _summary(page.name, timings[page.name], healthz, failures.get(page.name)) for page in pages
    ]


def _clients(server: Server, pages: list[Page]) -> dict[str, Client]:
    clients: dict[str, Client] = {}
    for account in {page.account for page in pages}:
        client = Client(server.port)
        if account:
            client.log_in(account)
        clients[account] = client
    return clients


def _summary(
    name: str, seconds: list[float], floor: dict[str, Any] | None, failure: str | None
) -> dict[str, Any]:
    if not seconds:
        return {"name": name, "samples": 0, "failure": failure}
    milliseconds = sorted(value * 1000 for value in seconds)
    median = statistics.median(milliseconds)
    p99 = _percentile(milliseconds, 0.99)
    summary = {"name": name, "samples": len(milliseconds), "median ms": median, "p99 ms": p99}
    if floor:
        summary["median ratio"] = median / floor["median ms"]
        summary["p99 ratio"] = p99 / floor["median ms"]
    return summary


def _percentile(ordered: list[float], share: float) -> float:
    """Nearest-rank percentile: with 30 samples, the p99 is the slowest one."""
    rank = max(1, min(len(ordered), int(-(-share * len(ordered) // 1))))
    return ordered[rank - 1]


def exports(server: Server, leader: str, folder: Path) -> list[dict[str, Any]]:
    """The reservoir export as a leader downloads it; the files feed the import jobs."""
    client = Client(server.port)
    client.log_in(leader)
    found = []
    for file_format in ("csv", "xlsx"):
        answer = client.request("GET", f"/enterprises/export?format={file_format}")
        (folder / f"reservoir.{file_format}").write_bytes(answer.body)
        ok = answer.status == 200
        note = f"{len(answer.body) / 1e6:.1f} MB" if ok else f"answered {answer.status}"
        result = JobResult(
            f"export reservoir {file_format.upper()} (web)", answer.seconds, 0, ok, note
        )
        found.append(asdict(result) | {"peak_mb": None})
    return found


LATER_JOBS = (
    "reminder scan",
    "rescore",
    "training",
    "dashboard workbook",
    "import CSV",
    "import XLSX",
)


def batch_jobs(
    database_url: str, folder: Path, timeout: float, names: tuple[str, ...]
) -> list[dict[str, Any]]:
    commands = {
        "dashboard refresh": flask_command("refresh-dashboard"),
        "reminder scan": flask_command("remind"),
        "rescore": flask_command("score"),
        "training": flask_command("train", "--no-publish"),
        "dashboard workbook": flask_command("export-dashboard", str(folder / "dashboard.xlsx")),
        "import CSV": flask_command("import", str(folder / "reservoir.csv"), "--as", "admin"),
        "import XLSX": flask_command("import", str(folder / "reservoir.xlsx"), "--as", "admin"),
    }
    found = []
    for name in names:
        result = run_job(name, commands[name], database_url, folder, timeout)
        print(
            f"  {name}: {result.seconds:.1f} s, {result.peak_mb:.0f} MB {result.note}", flush=True
        )
        found.append(asdict(result))
    return found


def commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


if __name__ == "__main__":
    started = time.perf_counter()
    main(sys.argv[1:])
    print(f"make bench took {time.perf_counter() - started:.0f} s")

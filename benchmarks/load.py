"""`make load`: 50 account managers at once against gunicorn on loopback, for a bounded time.

    python -m benchmarks.load [--database-url URL] [--users 50] [--seconds 120] [--workers 4]

1. Builds (once, then reuses) the demo's 2,000 firms with a year of use (`benchmarks/district.py`
   at the demo's size), and serves a copy of it with gunicorn, several sync workers.
2. Adds one account per simulated manager, spread over the sub-districts (password demo1234).
3. Runs the managers (`benchmarks/load_users.py`): log in, read the reservoir, a firm page, their
   visits, the overdue list and requests, and log visits by the form and by the API.
4. Counts the visits stored with this run's marker against those the server acknowledged, reads
   every worker's peak memory, and writes docs/load/<backend>-<date>.json and docs/load/README.md.

No 5xx may appear, and stored must equal acknowledged: the run exits 1 otherwise.
"""

import argparse
import json
import os
import secrets
import statistics
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import district
from benchmarks.bench_district import backend_of, commit, working_copy
from benchmarks.load_users import Manager, Tally, run_managers
from benchmarks.serving import PASSWORD, gunicorn

ROOT = Path(__file__).resolve().parent.parent
FIRMS_PER_MANAGER = 40  # the firms a simulated manager visits, from its sub-district
# Only failed logins count against the login limits, but 50 people logging in from 127.0.0.1
# within a minute is what a per-address limit is written against: raise both limits far above
# the run rather than find out mid-run.
SERVER_SETTINGS = {
    "LOGIN_LIMIT_PER_ADDRESS": "100000 per minute",
    "LOGIN_LIMIT_PER_ACCOUNT": "100000 per minute",
}


def main(argv: list[str]) -> dict[str, Any]:
    arguments = parse(argv)
    folder = arguments.folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    plan = district.Plan(arguments.firms, arguments.firms)
    pristine = arguments.database_url or f"sqlite:///{folder}/demo-{plan.firms}.sqlite3"
    district.ensure_district(pristine, folder, plan)
    work = working_copy(pristine, folder, marker="load")
    marker = f"load-{secrets.token_hex(4)}"
    assignments = add_managers(work, folder, arguments.users)
    tally = Tally()
    managers = [
        Manager(0, username, firms, marker, tally, arguments.think, seed)
        for seed, (username, firms) in enumerate(assignments)
    ]
    started_at = datetime.now(UTC)
    with gunicorn(work, folder, arguments.workers, SERVER_SETTINGS) as server:
        for manager in managers:
            manager.port = server.port
        print(f"{len(managers)} managers for {arguments.seconds:.0f} s ...", flush=True)
        # Others' work on the machine shows here: the one-minute load before the run and after.
        load_before = os.getloadavg()[0]
        wall = run_managers(managers, arguments.seconds)
        load_after = os.getloadavg()[0]
        peaks = server.worker_peaks_mb()
    stored = marked_visits(work, folder, marker)
    results = summary(tally, stored, wall, peaks) | {
        "backend": backend_of(pristine),
        "started_at": started_at.isoformat(timespec="seconds"),
        "commit": commit(),
        "users": arguments.users,
        "workers": arguments.workers,
        "think seconds": arguments.think,
        "firms": plan.firms,
        "server settings": SERVER_SETTINGS,
        "cpus": os.cpu_count(),
        "load average before and after": [round(load_before, 1), round(load_after, 1)],
    }
    path = write(results, arguments.out)
    print(table_row(results))
    print(f"written: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return results


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load")
    parser.add_argument("--database-url", default=os.environ.get("LOAD_DATABASE_URL"))
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("LOAD_SECONDS", 120)))
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between clicks (s)")
    parser.add_argument("--firms", type=int, default=district.BASE_FIRMS)
    parser.add_argument("--folder", type=Path, default=ROOT / "instance" / "load")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "load")
    return parser.parse_args(argv)


def add_managers(database_url: str, folder: Path, count: int) -> list[tuple[str, list[int]]]:
    """One account per simulated manager, round the sub-districts that hold firms; each with
    the firms of its sub-district it will visit."""
    from sqlalchemy import select

    from crm import create_app
    from crm.admin.services import UserInput, create_user
    from crm.clock import utcnow
    from models import Enterprise, SubDistrict, db

    app = create_app(district.settings(database_url, folder))
    with app.app_context():
        places = db.session.execute(
            select(SubDistrict.slug, SubDistrict.id)
            .where(SubDistrict.id.in_(select(Enterprise.sub_district_id)))
            .order_by(SubDistrict.id)
        ).all()
        assignments = []
        for number in range(count):
            slug, place_id = places[number % len(places)]
            username = f"load-manager-{number + 1:02d}"
            create_user(
                None,
                UserInput(username, username, "manager", None, slug, None, PASSWORD),
                utcnow(),
            )
            firms = db.session.scalars(
                select(Enterprise.id)
                .where(Enterprise.sub_district_id == place_id, Enterprise.deleted_at.is_(None))
                .order_by(Enterprise.id)
                .limit(FIRMS_PER_MANAGER)
            ).all()
            assignments.append((username, list(firms)))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return assignments


def marked_visits(database_url: str, folder: Path, marker: str) -> list[int]:
    from sqlalchemy import select

    from crm import create_app
    from models import Visit, db

    app = create_app(district.settings(database_url, folder))
    with app.app_context():
        found = db.session.scalars(
            select(Visit.id).where(Visit.summary.contains(marker, autoescape=True))
        ).all()
        db.session.remove()
        db.engine.dispose()
    return list(found)


def _percentile(ordered: list[float], share: float) -> float:
    rank = max(1, min(len(ordered), int(-(-share * len(ordered) // 1))))
    return ordered[rank - 1]


def summary(
    tally: Tally, stored: list[int], wall: float, peaks: dict[int, float]
) -> dict[str, Any]:
    kinds = {}
    for kind, seconds in sorted(tally.seconds.items()):
        milliseconds = sorted(value * 1000 for value in seconds)
        kinds[kind] = {
            "requests": len(milliseconds),
            "p50 ms": round(statistics.median(milliseconds), 1),
            "p95 ms": round(_percentile(milliseconds, 0.95), 1),
            "unexpected": sum(n for (k, _), n in tally.unexpected.items() if k == kind),
        }
    by_status: dict[str, int] = {}
    for (_, status), count in tally.unexpected.items():
        by_status[status] = by_status.get(status, 0) + count
    acknowledged = set(tally.acknowledged)
    requests = sum(kind["requests"] for kind in kinds.values())
    return {
        "seconds": round(wall, 1),
        "requests": requests,
        "requests per second": round(requests / wall, 1) if wall else 0,
        "kinds": kinds,
        "errors by status": dict(sorted(by_status.items())),
        "5xx": sum(n for status, n in by_status.items() if status.startswith("5")),
        "visits acknowledged": len(acknowledged),
        "visits stored": len(stored),
        "acknowledged but not stored": sorted(acknowledged - set(stored)),
        "stored but not acknowledged": sorted(set(stored) - acknowledged),
        "worker peak memory MB": [round(mb, 1) for _, mb in sorted(peaks.items())],
    }


def passed(results: dict[str, Any]) -> bool:
    return (
        results["5xx"] == 0
        and results["visits acknowledged"] == results["visits stored"]
        and not results["acknowledged but not stored"]
        and not results["stored but not acknowledged"]
    )


def write(results: dict[str, Any], out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.fromisoformat(results["started_at"]).strftime("%Y%m%d-%H%M%S")
    path = out / f"{results['backend']}-{stamp}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    runs = [json.loads(found.read_text()) for found in out.glob("*.json")]
    runs.sort(key=lambda run: run["started_at"])
    (out / "README.md").write_text(readme(runs))
    return path


def table_row(run: dict[str, Any]) -> str:
    errors = ", ".join(f"{n}× {status}" for status, n in run["errors by status"].items()) or "none"
    peaks = run["worker peak memory MB"]
    return (
        f"| {run['started_at'][:16].replace('T', ' ')} | {run['backend']} | {run['commit']} "
        f"| {run['users']} | {run['workers']} | {run['seconds']:.0f} | {run['requests']} "
        f"| {run['requests per second']} | {run['5xx']} | {errors} "
        f"| {run['visits acknowledged']} / {run['visits stored']} "
        f"| {max(peaks, default=0):.0f} | {cpus_and_load(run)} | {'✓' if passed(run) else '✗'} |"
    )


def cpus_and_load(run: dict[str, Any]) -> str:
    before, after = run.get("load average before and after", ("?", "?"))
    return f"{run.get('cpus', '?')}: {before} → {after}"


def readme(runs: list[dict[str, Any]]) -> str:
    lines = [
        "# `make load`: results",
        "",
        "Written by `benchmarks/load.py` (see its docstring and the README's operations section):",
        'simulated account managers against gunicorn on 127.0.0.1. "ack / stored" is the visits',
        "the server acknowledged against those found in the database afterwards; ✓ means no 5xx",
        'and the two sets are equal. Peak memory is the largest worker\'s VmHWM. "cpus: load" is',
        "the machine's cores and its one-minute load average before and after the run: a load far",
        "above the cores means other work shared the machine, and latencies are that much longer.",
        "",
        "| started (UTC) | backend | commit | users | workers | s | requests | req/s | 5xx "
        "| unexpected answers | ack / stored | worker peak MB | cpus: load | ok |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        *(table_row(run) for run in runs),
    ]
    for backend in sorted({run["backend"] for run in runs}):
        latest = [run for run in runs if run["backend"] == backend][-1]
        lines += [
            "",
            f"## Latest {backend} run ({latest['started_at'][:16].replace('T', ' ')} UTC)",
            "",
            "| kind | requests | p50 ms | p95 ms | unexpected |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {kind} | {row['requests']} | {row['p50 ms']} | {row['p95 ms']} "
            f"| {row['unexpected']} |"
            for kind, row in latest["kinds"].items()
        ]
        lines.append(
            f"\nWorkers' peak memory (MB): {', '.join(map(str, latest['worker peak memory MB']))}."
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(0 if passed(main(sys.argv[1:])) else 1)

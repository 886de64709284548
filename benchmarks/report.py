"""Results of `make bench`: one JSON file per run in docs/bench/, and a README that tables the
latest run of each backend beside the run before it, so a regression shows."""

import json
import os
import platform
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.district import Plan

PAGE_MEDIAN_RATIO = 5.0  # the targets: median <= 5x /healthz, p99 <= 10x
PAGE_P99_RATIO = 10.0
JOB_TARGETS = {  # seconds, peak MB
    "reminder scan": (10, 300),
    "rescore": (5, 300),
    "training": (60, 300),
    "import CSV": (8, 300),
    "import XLSX": (8, 300),
    "export reservoir CSV (web)": (10, None),
    "export reservoir XLSX (web)": (10, None),
    "dashboard workbook": (None, 300),
    "dashboard refresh": (None, 300),
}
WORKER_MB = 250


def machine() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory GB": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }


def write(results: dict[str, Any], backend: str, plan: Plan, out: Path) -> Path:
    from benchmarks.bench_district import commit

    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).replace(tzinfo=None)
    record = {
        "backend": backend,
        "commit": commit(),
        "at": stamp.isoformat(timespec="seconds") + "Z",
        "firms": plan.firms,
        "machine": machine(),
        **results,
    }
    path = out / f"{backend}-{stamp:%Y%m%d-%H%M%S}-{record['commit']}.json"
    path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n")
    (out / "README.md").write_text(readme(out))
    return path


def runs(out: Path, backend: str) -> list[dict[str, Any]]:
    found = [json.loads(path.read_text()) for path in sorted(out.glob(f"{backend}-*.json"))]
    return sorted(found, key=lambda run: run["at"])


def readme(out: Path) -> str:
    parts = [
        "# Benchmark results\n",
        "Written by `make bench` (see benchmarks/README.md); one JSON file per run. Each table "
        "is the latest run of a backend; *before* is the run before it on the same backend. "
        f"Targets: page median <= {PAGE_MEDIAN_RATIO:g}x and p99 <= {PAGE_P99_RATIO:g}x the "
        "`/healthz` median of the same run; jobs as in the issue. ✓ met, ✗ not met.\n",
    ]
    for backend in ("sqlite", "postgresql"):
        history = runs(out, backend)
        if history:
            latest, before = history[-1], (history[-2] if len(history) > 1 else None)
            parts.append(f"\n## {backend}: {latest['at']}, commit {latest['commit']}\n")
            parts.append(_machine_line(latest))
            parts.append(table(latest, before))
            if len(history) > 1:
                parts.append(f"\nEarlier runs: {len(history) - 1} (JSON files beside this one).\n")
    return "".join(parts)


def _machine_line(run: dict[str, Any]) -> str:
    box = run["machine"]
    rows = run.get("rows", {})
    sqlite = f", SQLite {box['sqlite']}" if run["backend"] == "sqlite" else ""
    return (
        f"\n{box['cores']} cores ({box['cpu']}), {box['memory GB']} GB, Python {box['python']}"
        f"{sqlite}. Data: {rows.get('enterprises', 0):,} firms, "
        f"{rows.get('visits', 0):,} visits, {rows.get('enterprise_requests', 0):,} requests, "
        f"{rows.get('policy_packages', 0):,} packages, {rows.get('potential_scores', 0):,} "
        f"scores, {rows.get('reminders', 0):,} reminders.\n\n"
    )


def table(run: dict[str, Any], before: dict[str, Any] | None = None) -> str:
    previous = {page["name"]: page for page in (before or {}).get("pages", [])}
    lines = [
        "| page | median ms | p99 ms | median × healthz | p99 × healthz | before (median ×) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for page in run.get("pages", []):
        lines.append(_page_line(page, previous.get(page["name"])))
    lines += ["", "| job | seconds | peak MB | note |", "|---|---:|---:|---|"]
    for job in run.get("jobs", []):
        lines.append(_job_line(job))
    memory = run.get("worker memory MB")
    if memory:
        mark = "✓" if memory["rss"] <= WORKER_MB else "✗"
        lines.append(
            f"\nLargest web worker after the run: {memory['rss']:.0f} MB resident {mark} "
            f"(target {WORKER_MB} MB), peak {memory['peak']:.0f} MB.\n"
        )
    return "\n".join(lines) + "\n"


def _page_line(page: dict[str, Any], before: dict[str, Any] | None) -> str:
    if not page.get("samples"):
        return f"| {page['name']} | – | – | – | – | {page.get('failure') or 'not run'} |"
    ratio, p99_ratio = page.get("median ratio"), page.get("p99 ratio")
    if ratio is None:
        return (
            f"| {page['name']} (floor) | {page['median ms']:.2f} | {page['p99 ms']:.2f} | 1 | – | |"
        )
    marks = (
        "✓" if ratio <= PAGE_MEDIAN_RATIO else "✗",
        "✓" if p99_ratio <= PAGE_P99_RATIO else "✗",
    )
    earlier = f"{before['median ratio']:.1f}" if before and before.get("median ratio") else ""
    return (
        f"| {page['name']} | {page['median ms']:.1f} | {page['p99 ms']:.1f} | "
        f"{ratio:.1f} {marks[0]} | {p99_ratio:.1f} {marks[1]} | {earlier} |"
    )


def _job_line(job: dict[str, Any]) -> str:
    seconds_target, memory_target = JOB_TARGETS.get(job["name"], (None, None))
    seconds = f"{job['seconds']:.1f}" + _mark(job["seconds"], seconds_target, job["ok"])
    peak = "–" if job.get("peak_mb") is None else f"{job['peak_mb']:.0f}"
    if job.get("peak_mb") is not None:
        peak += _mark(job["peak_mb"], memory_target, job["ok"])
    note = job.get("note") or ("" if job["ok"] else "failed")
    return f"| {job['name']} | {seconds} | {peak} | {note} |"


def _mark(value: float, target: float | None, ok: bool) -> str:
    if target is None:
        return ""
    return " ✓" if ok and value <= target else " ✗"

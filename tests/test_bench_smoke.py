"""`make bench` end to end on a tiny district: every page answers, every job succeeds, results land.

The figures of such a run mean nothing; this keeps the benchmark's code working between full runs.
It always runs on SQLite files of its own (the full benchmark takes BENCH_DATABASE_URL).
"""

import json

import pytest

from benchmarks import bench_district

pytestmark = pytest.mark.usefixtures("quick_password_hashes")


def test_the_benchmark_runs_every_page_and_job_on_a_tiny_district(tmp_path):
    out = tmp_path / "results"

    bench_district.main(
        [
            "--database-url",
            f"sqlite:///{tmp_path / 'district.sqlite3'}",
            "--firms",
            "30",
            "--base-firms",
            "30",
            "--rounds",
            "1",
            "--samples",
            "1",
            "--folder",
            str(tmp_path / "work"),
            "--out",
            str(out),
        ]
    )

    [written] = out.glob("sqlite-*.json")
    run = json.loads(written.read_text())
    assert run["rows"]["enterprises"] == 30
    failed_pages = [page["name"] for page in run["pages"] if not page.get("samples")]
    assert not failed_pages, [page for page in run["pages"] if not page.get("samples")]
    assert all(page["median ratio"] > 0 for page in run["pages"][1:])
    failed_jobs = {job["name"]: job["note"] for job in run["jobs"] if not job["ok"]}
    # Training too: 30 firms hold too few outcomes to learn from, so it ends keeping the index.
    assert not failed_jobs
    assert {job["name"] for job in run["jobs"]} >= {"dashboard refresh", "rescore", "import XLSX"}
    assert "| dashboard |" in (out / "README.md").read_text()

"""`make load` end to end for a few seconds: a handful of managers against a real gunicorn.

The figures of such a run mean nothing; this keeps the load driver working between full runs.
It always runs on SQLite files of its own (the full run takes LOAD_DATABASE_URL).
"""

import json

import pytest

from benchmarks import load
from benchmarks.load_users import ACTIONS

pytestmark = pytest.mark.usefixtures("quick_password_hashes")


def test_the_load_run_logs_visits_and_stores_exactly_those_acknowledged(tmp_path):
    out = tmp_path / "results"

    results = load.main(
        [
            "--database-url",
            f"sqlite:///{tmp_path / 'demo.sqlite3'}",
            "--firms",
            "30",
            "--users",
            "3",
            "--seconds",
            "1",
            "--workers",
            "2",
            "--think",
            "0",
            "--folder",
            str(tmp_path / "work"),
            "--out",
            str(out),
        ]
    )

    assert results["5xx"] == 0, results["errors by status"]
    assert results["errors by status"] == {}
    assert set(results["kinds"]) >= set(ACTIONS) | {"login", "API token"}
    assert results["visits acknowledged"] >= 2 * 3  # each manager's first round logs two
    assert results["visits stored"] == results["visits acknowledged"]
    assert results["acknowledged but not stored"] == []
    assert results["stored but not acknowledged"] == []
    assert len(results["worker peak memory MB"]) == 2
    [written] = out.glob("sqlite-*.json")
    assert json.loads(written.read_text())["requests"] == results["requests"]
    assert "| sqlite |" in (out / "README.md").read_text()

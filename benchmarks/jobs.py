"""Batch jobs timed as whole processes: wall time and the peak memory of the process itself."""

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.serving import app_environment

POLL_SECONDS = 0.02


@dataclass(frozen=True)
class JobResult:
    name: str
    seconds: float
    peak_mb: float
    ok: bool
    note: str = ""


def flask_command(*arguments: str) -> list[str]:
    return [str(Path(sys.executable).with_name("flask")), "--app", "app", "crm", *arguments]


def peak_resident_mb(pid: int) -> float | None:
    """The process's high-water mark of resident memory since its exec (VmHWM).

    Not wait4's ru_maxrss: Linux carries that across fork and exec, so a job started from this
    process would report at least this process's own size."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def run_job(
    name: str, command: list[str], database_url: str, folder: Path, timeout_seconds: float
) -> JobResult:
    """Run `command` to the end (or the timeout), watching its peak resident memory."""
    log = folder / f"{name.replace(' ', '-')}.log"
    started = time.perf_counter()
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - our own CLI
            command,
            env=app_environment(database_url, folder),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        deadline = started + timeout_seconds
        peak = 0.0
        while process.poll() is None:
            # The high-water mark only grows: the last reading before exit is the peak, give or
            # take what the final POLL_SECONDS allocate.
            peak = max(peak, peak_resident_mb(process.pid) or 0.0)
            if time.perf_counter() > deadline:
                process.kill()
                process.wait()
                return JobResult(name, time.perf_counter() - started, peak, False, "timed out")
            time.sleep(POLL_SECONDS)
    seconds = time.perf_counter() - started
    ok = process.returncode == 0
    note = "" if ok else _last_line(log)
    return JobResult(name, seconds, peak, ok, note)


def _last_line(log: Path) -> str:
    lines = [line for line in log.read_text(errors="replace").splitlines() if line.strip()]
    return lines[-1][:200] if lines else "failed without output"

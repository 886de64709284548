"""Serve the app with gunicorn as production does, and time pages from outside with a plain client.

The client is deliberately simple: one request at a time over a fresh loopback connection (sync
gunicorn workers close each connection), so a sample is one page's latency and nothing else.
Every page sample is followed by a `/healthz` sample: the floor is measured in the same run, under
the same conditions, and each page is reported as a ratio to it.
"""

import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.pages import Page

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PASSWORD = "demo1234"  # noqa: S105 - the demo accounts' documented password
START_TIMEOUT_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def app_environment(database_url: str, folder: Path) -> dict[str, str]:
    """The environment of a production server on this database (no mail, no scheduler)."""
    return {
        **os.environ,
        "CRM_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": database_url,
        "CRM_UPLOAD_FOLDER": str(folder / "uploads"),
        "MODEL_FOLDER": str(folder / "models"),
        "MAIL_SERVER": "",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int

    def worker_memory_mb(self) -> dict[str, float]:
        """Resident and peak resident memory of the gunicorn workers (MB, the largest worker)."""
        figures = {"rss": 0.0, "peak": 0.0}
        for pid in _children(self.process.pid):
            status = Path(f"/proc/{pid}/status").read_text()
            for key, name in (("rss", "VmRSS"), ("peak", "VmHWM")):
                found = re.search(rf"^{name}:\s+(\d+) kB", status, re.MULTILINE)
                if found:
                    figures[key] = max(figures[key], int(found.group(1)) / 1024)
        return figures

    def worker_peaks_mb(self) -> dict[int, float]:
        """Each live worker's peak resident memory since it started (VmHWM, MB), by pid."""
        peaks = {}
        for pid in _children(self.process.pid):
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:  # the worker exited meanwhile
                continue
            if found := re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE):
                peaks[pid] = int(found.group(1)) / 1024
        return peaks


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


@contextmanager
def gunicorn(
    database_url: str,
    folder: Path,
    workers: int = 2,
    settings: dict[str, str] | None = None,
) -> Iterator[Server]:
    """Serve the app on a free loopback port; `settings` are extra environment variables."""
    port = free_port()
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "--config",
        "python:crm.gunicorn_config",  # as production runs it: no version banner
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "600",
        "app:app",
    ]
    with (folder / "gunicorn.log").open("ab") as log:
        process = subprocess.Popen(  # noqa: S603 - our own server on loopback
            command,
            env=app_environment(database_url, folder) | (settings or {}),
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        server = Server(process, port)
        try:
            _wait_until_up(server)
            yield server
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)


def _wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError("gunicorn exited at start; see gunicorn.log in the bench folder")
        try:
            if Client(server.port).request("GET", "/healthz").status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz in time")


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str]
    seconds: float


@dataclass
class Client:
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    token: str | None = None

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
        payload: Any = None,
        api: bool = False,
    ) -> Answer:
        headers = {"Accept-Language": "zh-CN,zh;q=0.9"}
        body: bytes | None = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if payload is not None:
            body = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        if api and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        elif self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return Answer(response.status, content, dict(response.getheaders()), seconds)

    def csrf_token(self, path: str) -> str:
        answer = self.request("GET", path)
        found = CSRF_FIELD.search(answer.body.decode())
        if not found:
            raise RuntimeError(f"no CSRF token on {path} (status {answer.status})")
        return found.group(1)

    def log_in(self, username: str) -> None:
        form = {"username": username, "password": PASSWORD}
        answer = self.request("POST", "/login", form | {"csrf_token": self.csrf_token("/login")})
        if answer.status != 302:
            raise RuntimeError(f"{username} could not log in (status {answer.status})")
        token = self.request(
            "POST", "/api/v1/auth/token", payload={"username": username, "password": PASSWORD}
        )
        self.token = json.loads(token.body)["token"]

    def load(self, page: Page, day: date) -> Answer:
        if page.method == "POST" and page.form is not None:
            form = page.form(day) | {"csrf_token": self.csrf_token(page.path)}
            return self.request("POST", page.path, form=form)
        return self.request(page.method, page.path, api=page.api)


def expected(page: Page, answer: Answer) -> bool:
    return answer.status in ((302, 303) if page.method == "POST" else (200,))

"""The simulated account managers of `make load`: each logs in, reads its pages and logs visits.

Each manager is a thread with its own plain HTTP client (benchmarks/serving.py), one request at a
time, as one person with one browser tab: it logs in, does each action once, then actions drawn
by weight, with a random pause (mean `think_seconds`) between two, until the deadline. Every
answer is tallied by kind: its latency, and its status when it is not the one expected. A visit
counts as acknowledged only when the server answered that it was stored (a redirect to the new
visit's page, or 201 with its id).
"""

import json
import random
import re
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from benchmarks.serving import CSRF_FIELD, PASSWORD, Answer, Client

VISIT_PAGE = re.compile(r"/visits/(\d+)$")
# What a manager does between logging in and leaving, by how often: mostly reading.
ACTIONS = {
    "reservoir": 3,
    "firm page": 4,
    "my visits": 2,
    "overdue": 1,
    "requests": 1,
    "log visit (form)": 1,
    "log visit (API)": 1,
}


@dataclass
class Tally:
    """What every manager saw, shared by all threads (one lock)."""

    seconds: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    unexpected: Counter[tuple[str, str]] = field(default_factory=Counter)
    acknowledged: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, answer: Answer | None, expected: tuple[int, ...]) -> None:
        with self.lock:
            if answer is None:
                self.unexpected[(kind, "connection failed")] += 1
                return
            self.seconds[kind].append(answer.seconds)
            if answer.status not in expected:
                self.unexpected[(kind, str(answer.status))] += 1

    def acknowledge(self, visit_id: int) -> None:
        with self.lock:
            self.acknowledged.append(visit_id)


@dataclass
class Manager:
    port: int
    username: str
    firm_ids: list[int]
    marker: str  # in every visit's summary: the visits of this run, counted afterwards
    tally: Tally
    think_seconds: float
    seed: int
    logged: int = 0

    def run(self, deadline: float, stop: threading.Event) -> None:
        rng = random.Random(self.seed)  # noqa: S311 - a reproducible mix, not a secret
        client = Client(self.port)
        if not self.log_in(client):
            return
        kinds, weights = list(ACTIONS), list(ACTIONS.values())
        for kind in kinds:  # a first round of everything, even past the deadline: no kind unseen
            self.act(client, kind, rng)
        while time.monotonic() < deadline and not stop.is_set():
            self.act(client, rng.choices(kinds, weights)[0], rng)
            if self.think_seconds:
                stop.wait(rng.uniform(0, 2 * self.think_seconds))

    def call(
        self,
        client: Client,
        kind: str,
        method: str,
        path: str,
        expected: tuple[int, ...] = (200,),
        **options: Any,
    ) -> Answer | None:
        try:
            answer = client.request(method, path, **options)
        except OSError:  # refused or reset: counted, and the manager carries on
            answer = None
        self.tally.record(kind, answer, expected)
        return answer

    def log_in(self, client: Client) -> bool:
        page = self.call(client, "login page", "GET", "/login")
        token = CSRF_FIELD.search(page.body.decode()) if page else None
        form = {"username": self.username, "password": PASSWORD}
        if token is None:
            return False
        answer = self.call(
            client, "login", "POST", "/login", (302,), form=form | {"csrf_token": token.group(1)}
        )
        issued = self.call(client, "API token", "POST", "/api/v1/auth/token", payload=form)
        if answer is None or answer.status != 302 or issued is None or issued.status != 200:
            return False
        client.token = json.loads(issued.body)["token"]
        return True

    def act(self, client: Client, kind: str, rng: random.Random) -> None:
        firm = rng.choice(self.firm_ids)
        if kind == "log visit (form)":
            self.log_visit_by_form(client, firm)
        elif kind == "log visit (API)":
            self.log_visit_by_api(client, firm)
        else:
            path = {
                "reservoir": "/enterprises/",
                "firm page": f"/enterprises/{firm}",
                "my visits": "/visits/",
                "overdue": "/visits/overdue",
                "requests": "/requests/",
            }[kind]
            self.call(client, kind, "GET", path)

    def visit_fields(self) -> dict[str, str]:
        self.logged += 1
        yesterday = datetime.now(UTC).date() - timedelta(days=1)  # never "in the future"
        return {
            "visited_on": yesterday.isoformat(),
            "kind": "phone",
            "summary": f"Load test call {self.marker} {self.username} #{self.logged}",
        }

    def log_visit_by_form(self, client: Client, firm: int) -> None:
        page = self.call(client, "visit form", "GET", f"/visits/new/{firm}")
        token = CSRF_FIELD.search(page.body.decode()) if page and page.status == 200 else None
        if token is None:
            return
        form = self.visit_fields() | {"confirm_duplicate": "1", "csrf_token": token.group(1)}
        answer = self.call(
            client, "log visit (form)", "POST", f"/visits/new/{firm}", (302,), form=form
        )
        location = answer.headers.get("Location", "") if answer and answer.status == 302 else ""
        if found := VISIT_PAGE.search(location):
            self.tally.acknowledge(int(found.group(1)))

    def log_visit_by_api(self, client: Client, firm: int) -> None:
        body = self.visit_fields() | {"enterprise_id": firm, "confirm_duplicate": True}
        answer = self.call(
            client, "log visit (API)", "POST", "/api/v1/visits", (201,), payload=body, api=True
        )
        if answer is not None and answer.status == 201:
            self.tally.acknowledge(int(json.loads(answer.body)["id"]))


def run_managers(managers: list[Manager], seconds: float) -> float:
    """Run every manager until `seconds` have passed; returns the wall time it took."""
    stop = threading.Event()
    started = time.monotonic()
    deadline = started + seconds
    threads = [threading.Thread(target=m.run, args=(deadline, stop), daemon=True) for m in managers]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            thread.join()
    finally:
        stop.set()
    return time.monotonic() - started

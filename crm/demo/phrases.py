"""The phrases demo work is written in, and how often each kind of request comes up."""

import csv
from collections import defaultdict
from typing import TypeVar

from crm.reference import SEED_DATA
from models import RequestCategory, RequestState

CATEGORY_WEIGHTS = {
    RequestCategory.FINANCING: 5,
    RequestCategory.SPACE: 4,
    RequestCategory.TALENT: 5,
    RequestCategory.PERMITS: 2,
    RequestCategory.MARKET: 3,
    RequestCategory.INTELLECTUAL_PROPERTY: 2,
    RequestCategory.POLICY: 4,
    RequestCategory.OTHER: 1,
}
FINDING_AREAS = ("operations", "financing", "space", "talent", "market", "risks")

Phrases = dict[tuple[str, str], list[str]]
Actor = TypeVar("Actor")  # a user, or a user's id for the bulk-inserted older work


def request_steps(
    officer: Actor, manager: Actor, due_days: int
) -> list[tuple[RequestState, str, Actor, int, int]]:
    """A request's way from open to closed: (state, action, by whom, fewest and most days)."""
    return [
        (RequestState.ACCEPTED, "accept", officer, 1, 3),
        (RequestState.IN_PROGRESS, "start", officer, 1, 5),
        (RequestState.RESOLVED, "resolve", officer, 2, due_days + 5),
        (RequestState.CLOSED, "close", manager, 2, 10),
    ]


def load_phrases() -> Phrases:
    """(purpose, key) -> texts, from seed_data/demo_activity_phrases.csv."""
    table: Phrases = defaultdict(list)
    with (SEED_DATA / "demo_activity_phrases.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            table[(row["purpose"], row["key"])].append(row["text"])
    return table

"""Cursors come back from the browser: anything the driver cannot bind is refused, not a 500."""

import base64
import json
from datetime import date

import pytest

from crm import keyset
from crm.enterprises import keyset as reservoir_keyset
from crm.keyset import Key
from models import Visit
from tests.helpers import log_in

VISIT_KEYS = (Key(Visit.visited_on, date, is_descending=True), Key(Visit.id, int, True))


def forged(content: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(content).encode()).decode().rstrip("=")


def test_a_list_cursor_past_bigint_is_refused():
    with pytest.raises(keyset.CursorError):
        keyset.decode(forged([0, "2026-01-01", 10**30]), VISIT_KEYS)

    assert keyset.decode(forged([0, "2026-01-01", 5]), VISIT_KEYS) == (0, [date(2026, 1, 1), 5])


@pytest.mark.parametrize(
    "content",
    [
        ["name", 0, ["a\x00b", 3], False],  # PostgreSQL refuses NUL in text
        ["name", 0, ["a", 10**30], False],  # past BIGINT
        ["registered_capital", 0, ["NaN", 3], False],
    ],
)
def test_a_reservoir_cursor_the_database_cannot_take_is_refused(content):
    with pytest.raises(reservoir_keyset.BadCursorError):
        reservoir_keyset.decode(content[0], forged(content), 2)


def test_a_reservoir_cursor_holding_a_lone_surrogate_is_refused():
    content = ["name", 0, ["a\ud800", 3], False]  # no driver can encode it

    with pytest.raises(reservoir_keyset.BadCursorError):
        reservoir_keyset.decode(content[0], forged(content), 2)


@pytest.mark.parametrize("path", ["/visits/my-firms", "/visits/risks"])
def test_a_list_cursor_holding_a_lone_surrogate_is_a_client_error(client, leader, path):
    log_in(client, leader)
    cursors = [forged([0, "\ud800", 1]), forged([0, "2024-01-01", "\ud800", 1])]

    statuses = {client.get(path, query_string={"after": cursor}).status_code for cursor in cursors}

    assert all(400 <= status < 500 for status in statuses)

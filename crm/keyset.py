"""Keyset paging: a page of rows after (or before) a cursor, and a count that stops early.

OFFSET paging reads and throws away every row before the page, and an exact total counts the
whole table on every view; at a million visits both dominate the page. A cursor names the last
row shown by its sort values, so the next page is one index range read whatever its depth. The
sort keys must end with a unique column (the id), so ties never repeat or skip a row, and must
not be NULL.
"""

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.base import ExecutableOption

from crm.errors import MAX_DATABASE_ID
from crm.text_checks import UNSAFE_CHARACTER
from models import db

T = TypeVar("T")
COUNT_CAP = 200  # counted exactly up to here (8 pages); beyond it the page says "more than"
MAX_CURSOR_LENGTH = 1_000  # characters: a longer ?after= is not one of ours
# Rows, for every numbered ?page= (API and pages): OFFSET reads and drops each row before the page.
# 100,000 rows is the district's whole reservoir, so every firm stays reachable by number, while a
# forged ?page= costs at most one index walk of that length (not a BIGINT overflow). Deeper lists
# (visits, reminders) are followed by cursor, which costs the same at any depth.
MAX_OFFSET = 100_000


class CursorError(ValueError):
    """A cursor that this module did not write (edited, truncated or for another list)."""


@dataclass(frozen=True)
class Key:
    column: ColumnElement[Any] | QueryableAttribute[Any]
    kind: type  # int, str, date or datetime: what the cursor's value is read back as
    is_descending: bool = False


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    next_cursor: str | None  # pass as ?after= for the following page; None on the last
    previous_cursor: str | None  # pass as ?before=; None on the first page


@dataclass(frozen=True)
class Count:
    value: int
    is_exact: bool  # False: there are more than `value` rows


def page_of(
    segments: Select[Any] | Sequence[Select[Any]],
    keys: Sequence[Key],
    values_of: Callable[[Any], Sequence[Any]],
    per_page: int,
    after: str | None = None,
    before: str | None = None,
    offset: int = 0,
) -> Page[Any]:
    """The `per_page` rows (scalars) following `after`, or preceding `before`.

    `segments` is one query, or several shown one after the other (pending work before finished,
    say), each sorted by `keys`: two index range reads beat sorting the whole table by a CASE.
    `values_of(row)` gives a row's values for `keys`, in order. Without a cursor, `offset` rows
    are skipped (the API's ?page=, kept for old clients). Raises CursorError on a cursor that
    does not decode to values of the keys' kinds.
    """
    parts = [segments] if isinstance(segments, Select) else list(segments)
    is_backward = before is not None and after is None
    cursor = before if is_backward else after
    start, values = decode(cursor, keys, len(parts)) if cursor is not None else (0, None)
    is_first = cursor is None and offset == 0
    found: list[tuple[int, Any]] = []
    for index in range(start, -1, -1) if is_backward else range(start, len(parts)):
        query = parts[index].order_by(None).order_by(*_ordering(keys, reverse=is_backward))
        if values is not None and index == start:
            query = query.where(_beyond(keys, values, reverse=is_backward))
        elif offset:
            is_last = index == len(parts) - 1  # the rest of the offset falls in it: no count
            skipped = offset if is_last else min(offset, _count(query))
            query, offset = query.offset(skipped), offset - skipped
        found += [
            (index, row) for row in db.session.scalars(query.limit(per_page + 1 - len(found)))
        ]
        if len(found) > per_page:
            break
    has_more = len(found) > per_page
    found = found[:per_page]
    if is_backward:
        found.reverse()
    first = encode(found[0][0], values_of(found[0][1])) if found else None
    last = encode(found[-1][0], values_of(found[-1][1])) if found else None
    rows = [row for _index, row in found]
    if is_backward:
        return Page(rows, next_cursor=last, previous_cursor=first if has_more else None)
    return Page(
        rows, next_cursor=last if has_more else None, previous_cursor=None if is_first else first
    )


@dataclass(frozen=True)
class KeysetPager(Generic[T]):
    """How one list pages: `pager(query, per_page, after, before, offset)` is page_of() with
    the list's sort keys, a row's values for them, and the loader options of what a row shows."""

    keys: Sequence[Key]
    values_of: Callable[[T], Sequence[Any]]
    options: Sequence[ExecutableOption] = ()

    def __call__(
        self,
        query: Select[Any],
        per_page: int,
        after: str | None = None,
        before: str | None = None,
        offset: int = 0,
    ) -> Page[T]:
        detailed = query.options(*self.options)
        return page_of(detailed, self.keys, self.values_of, per_page, after, before, offset)


def offset_of(page: int, per_page: int) -> int:
    """The rows before numbered page `page` (from 1), at most MAX_OFFSET."""
    return min((max(page, 1) - 1) * per_page, MAX_OFFSET)


def _count(query: Select[Any]) -> int:
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


def capped_count(query: Select[Any], cap: int = COUNT_CAP) -> Count:
    """How many rows `query` has, reading at most `cap` + 1 of them."""
    limited = query.order_by(None).limit(cap + 1).subquery()
    value = db.session.scalar(select(func.count()).select_from(limited)) or 0
    return Count(min(value, cap), is_exact=value <= cap)


def encode(segment: int, values: Sequence[Any]) -> str:
    plain = [
        segment,
        *(value.isoformat() if isinstance(value, date) else value for value in values),
    ]
    raw = json.dumps(plain, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str, keys: Sequence[Key], segments: int = 1) -> tuple[int, list[Any]]:
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise CursorError(cursor)
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        plain = json.loads(raw)
    except (binascii.Error, UnicodeDecodeError, ValueError) as bad:
        raise CursorError(cursor) from bad
    if not isinstance(plain, list) or len(plain) != len(keys) + 1:
        raise CursorError(cursor)
    segment = _typed(plain[0], int, cursor)
    if not 0 <= segment < segments:
        raise CursorError(cursor)
    return segment, [
        _typed(value, key.kind, cursor) for value, key in zip(plain[1:], keys, strict=True)
    ]


def is_bindable(value: object) -> bool:
    """Whether the database driver takes `value` as a query parameter: a forged cursor may hold
    an integer past BIGINT, a NUL (PostgreSQL refuses it in text), a lone surrogate (no driver
    can encode it) or a Decimal NaN."""
    if isinstance(value, int):
        return -MAX_DATABASE_ID <= value <= MAX_DATABASE_ID
    if isinstance(value, str):
        return UNSAFE_CHARACTER.search(value) is None
    if isinstance(value, Decimal):
        return value.is_finite()
    return True


def _typed(value: Any, kind: type, cursor: str) -> Any:
    try:
        if kind is datetime and isinstance(value, str):
            return datetime.fromisoformat(value)
        if kind is date and isinstance(value, str):
            return date.fromisoformat(value)
    except ValueError as bad:
        raise CursorError(cursor) from bad
    # bool is an int to Python, never a sort value of ours
    is_kind = isinstance(value, kind) and not isinstance(value, bool)
    if kind in {int, str} and is_kind and is_bindable(value):
        return value
    raise CursorError(cursor)


def _ordering(keys: Sequence[Key], reverse: bool) -> list[ColumnElement[Any]]:
    return [key.column.desc() if key.is_descending != reverse else key.column.asc() for key in keys]


def _beyond(keys: Sequence[Key], values: Sequence[Any], reverse: bool) -> ColumnElement[bool]:
    """Rows strictly past the cursor in the (possibly reversed) order of `keys`.

    Spelled as a leading-column bound AND an OR of prefixes, so mixed directions work and both
    SQLite and PostgreSQL start an index range at the cursor instead of filtering from the top.
    """

    def past(key: Key, value: Any, inclusive: bool) -> ColumnElement[bool]:
        descending = key.is_descending != reverse
        if inclusive:
            return key.column <= value if descending else key.column >= value
        return key.column < value if descending else key.column > value

    branches = [
        and_(
            *(key.column == value for key, value in zip(keys[:i], values[:i], strict=True)),
            past(keys[i], values[i], inclusive=False),
        )
        for i in range(len(keys))
    ]
    return and_(past(keys[0], values[0], inclusive=True), or_(*branches))

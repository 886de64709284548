"""Keyset paging of the reservoir: a page starts after (or ends before) a firm, never at an OFFSET.

An OFFSET makes the database walk past every earlier row, so page 2,000 of 100,000 firms cost
as much as reading them all. A cursor names the last firm shown by its sort value and id; the
next page is a range read on the sort column's index. A sort splits into segments, each read in
index order: the firms with a value, then those without (NULLs sort differently on SQLite and
PostgreSQL, so neither dialect's habit decides), or one segment per tier in ladder order.
"""

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select, true, tuple_

from crm.keyset import is_bindable
from models import Enterprise, Tier, db

# Counting stops here: "10,000+ firms" says enough, and a count never reads the whole reservoir.
COUNT_LIMIT = 10_000
PARSERS: dict[str, Callable[[str], object]] = {
    "founded_on": date.fromisoformat,
    "registered_capital": Decimal,
    "updated_at": datetime.fromisoformat,
}


class BadCursorError(ValueError):
    """A cursor this module did not write (edited by hand, or from another sort)."""


@dataclass(frozen=True)
class Segment:
    where: ColumnElement[bool]
    keys: tuple[Any, ...]  # the ORDER BY columns, the last one always Enterprise.id


@dataclass(frozen=True)
class Cursor:
    segment: int
    values: tuple[object, ...]
    before: bool  # True: the page ends just before this firm (the "previous" link)


@dataclass(frozen=True)
class KeysetPage:
    ids: list[int]
    next_cursor: str | None
    previous_cursor: str | None


def segments(sort: str, descending: bool) -> list[Segment]:
    if sort == "tier":  # ladder order, each tier read on the (tier, id) index
        tiers = list(reversed(Tier)) if descending else list(Tier)
        return [Segment(Enterprise.tier == tier, (Enterprise.id,)) for tier in tiers]
    column = getattr(Enterprise, sort)
    if column.nullable:
        return [
            Segment(column.is_not(None), (column, Enterprise.id)),
            Segment(column.is_(None), (Enterprise.id,)),
        ]
    return [Segment(true(), (column, Enterprise.id))]


def encode(sort: str, cursor: Cursor) -> str:
    values = [_plain(value) for value in cursor.values]
    text = json.dumps([sort, cursor.segment, values, cursor.before], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode(sort: str, token: str, segment_count: int) -> Cursor:
    try:
        padded = token + "=" * (-len(token) % 4)
        name, segment, values, before = json.loads(base64.urlsafe_b64decode(padded))
        if name != sort or not 0 <= segment < segment_count or not isinstance(before, bool):
            raise BadCursorError(token)
        *sort_values, last_id = values
        parse = PARSERS.get(sort, str)
        typed = tuple(parse(value) for value in sort_values)
        if not isinstance(last_id, int) or isinstance(last_id, bool):
            raise BadCursorError(token)
        if not all(map(is_bindable, (*typed, last_id))):
            raise BadCursorError(token)
    except (ValueError, TypeError, InvalidOperation, binascii.Error) as error:
        raise BadCursorError(token) from error
    return Cursor(segment, (*typed, last_id), before)


def page_ids(
    base: Select[Any], sort: str, descending: bool, per_page: int, token: str | None
) -> KeysetPage:
    """The ids of one page of `base` (a filtered select of firms, unordered), with cursors."""
    parts = segments(sort, descending)
    cursor = decode(sort, token, len(parts)) if token else None
    backwards = cursor is not None and cursor.before
    found: list[tuple[int, tuple[object, ...]]] = []  # (segment, keys) in reading order
    order = range(cursor.segment if cursor else 0, len(parts))
    if backwards and cursor is not None:
        order = range(cursor.segment, -1, -1)
    for index in order:
        bound = cursor.values if cursor is not None and index == cursor.segment else None
        wanted = per_page + 1 - len(found)
        rows = _read(base, parts[index], descending, backwards, bound, wanted)
        found += [(index, keys) for keys in rows]
        if len(found) > per_page:
            break
    more = len(found) > per_page
    found = found[:per_page]
    if backwards:
        found.reverse()
    ids = [int(keys[-1]) for _, keys in found]  # type: ignore[call-overload]
    if not found:
        return KeysetPage([], None, None)
    first, last = found[0], found[-1]
    has_next = (not backwards and more) or (backwards and cursor is not None)
    has_previous = (backwards and more) or (not backwards and cursor is not None)
    return KeysetPage(
        ids,
        encode(sort, Cursor(last[0], last[1], before=False)) if has_next else None,
        encode(sort, Cursor(first[0], first[1], before=True)) if has_previous else None,
    )


def _read(
    base: Select[Any],
    segment: Segment,
    descending: bool,
    backwards: bool,
    bound: tuple[object, ...] | None,
    limit: int,
) -> Sequence[tuple[object, ...]]:
    query = base.with_only_columns(*segment.keys).where(segment.where).order_by(None)
    later = descending != backwards  # reading towards smaller keys
    if bound is not None:
        keys = tuple_(*segment.keys) if len(segment.keys) > 1 else segment.keys[0]
        value = tuple_(*bound) if len(bound) > 1 else bound[0]
        query = query.where(keys < value if later else keys > value)
    ordered = [key.desc() if later else key.asc() for key in segment.keys]
    return [tuple(row) for row in db.session.execute(query.order_by(*ordered).limit(limit))]


def count_up_to(base: Select[Any], limit: int = COUNT_LIMIT) -> int:
    """How many firms `base` selects, reading at most `limit` + 1 of them."""
    capped = base.with_only_columns(Enterprise.id).order_by(None).limit(limit + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(capped)) or 0


def _plain(value: object) -> object:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value

"""Keyset paging in the JSON API: ?after= and ?before= cursors, and the page's answer."""

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Response, jsonify, request
from flask_babel import gettext as _
from sqlalchemy import Select

from crm.api.paging import Paging
from crm.api.spec import query_param
from crm.errors import InvalidInputError
from crm.keyset import Count, CursorError, Page, capped_count, offset_of

T = TypeVar("T")

CURSOR_PARAMS = [
    query_param("after", "string", "The `next` cursor of the previous answer"),
    query_param("before", "string", "The `previous` cursor of the previous answer"),
    query_param("page", "integer", "From 1; prefer the cursors, which stay fast at any depth"),
    query_param("per_page", "integer", "1 to 200"),
]


def cursor_error() -> dict[str, list[str]]:
    return {"after": [_("This cursor is not one the API gave out; start from the first page.")]}


def keyset_page(load: Callable[..., T], *args: Any, paging: Paging) -> T:
    """`load(*args, per_page, after, before, offset)` with the request's cursors, or at numbered
    `paging.page`; a cursor the API never gave out answers 422 naming `after`."""
    after, before = request.args.get("after") or None, request.args.get("before") or None
    try:
        return load(*args, paging.per_page, after, before, offset_of(paging.page, paging.per_page))
    except CursorError:
        raise InvalidInputError(cursor_error()) from None


def page_answer(
    items: list[dict[str, Any]], page: Page[Any], count: Count, paging: Paging
) -> dict[str, Any]:
    return {
        "items": items,
        "total": count.value,
        "total_is_exact": count.is_exact,
        "page": paging.page,
        "per_page": paging.per_page,
        "next": page.next_cursor,
        "previous": page.previous_cursor,
    }


def keyset_answer(
    load: Callable[..., Page[T]],
    query: Select[Any],
    paging: Paging,
    item_json: Callable[[T], dict[str, Any]],
) -> Response:
    """The list endpoints' answer: the page `load(query, ...)` reads, each row as `item_json`
    shows it, and `query` counted."""
    rows = keyset_page(load, query, paging=paging)
    items = [item_json(row) for row in rows.rows]
    return jsonify(page_answer(items, rows, capped_count(query), paging))

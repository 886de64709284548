"""Keyset paging in the JSON API: ?after= and ?before= cursors, and the page's answer."""

from collections.abc import Callable
from typing import Any, TypeVar

from flask import request
from flask_babel import gettext as _

from crm.api.spec import json_body, query_param, ref
from crm.errors import InvalidInputError
from crm.keyset import COUNT_CAP, Count, CursorError, Page, offset_of

T = TypeVar("T")

CURSOR_PARAMS = [
    query_param("after", "string", "The `next` cursor of the previous answer"),
    query_param("before", "string", "The `previous` cursor of the previous answer"),
    query_param("page", "integer", "From 1; prefer the cursors, which stay fast at any depth"),
    query_param("per_page", "integer", "1 to 200"),
]


def cursor_error() -> dict[str, list[str]]:
    return {"after": [_("This cursor is not one the API gave out; start from the first page.")]}


def keyset_page(load: Callable[..., T], *args: Any, page: int, per_page: int) -> T:
    """`load(*args, per_page, after, before, offset)` with the request's cursors, or at numbered
    `page`; a cursor the API never gave out answers 422 naming `after`."""
    after, before = request.args.get("after") or None, request.args.get("before") or None
    try:
        return load(*args, per_page, after, before, offset_of(page, per_page))
    except CursorError:
        raise InvalidInputError(cursor_error()) from None


def page_answer(
    items: list[dict[str, Any]], page: Page[Any], count: Count, number: int, per_page: int
) -> dict[str, Any]:
    return {
        "items": items,
        "total": count.value,
        "total_is_exact": count.is_exact,
        "page": number,
        "per_page": per_page,
        "next": page.next_cursor,
        "previous": page.previous_cursor,
    }


def cursor_page_of(schema_name: str, description: str) -> dict[str, Any]:
    """The 200 answer of a keyset-paged list endpoint."""
    answer = {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": ref(schema_name)},
            "total": {"type": "integer", "description": f"Counted up to {COUNT_CAP}"},
            "total_is_exact": {
                "type": "boolean",
                "description": "false: more rows match than `total`",
            },
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "next": {"type": ["string", "null"], "description": "Pass as ?after="},
            "previous": {"type": ["string", "null"], "description": "Pass as ?before="},
        },
    }
    return {"description": description, **json_body(answer)}

"""The ?after= and ?before= cursors of a keyset-paged HTML list (see crm/keyset.py)."""

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, request

from crm.keyset import CursorError

T = TypeVar("T")


def cursor_page(load: Callable[..., T], *args: Any) -> T:
    """`load(*args, after=..., before=...)` with the request's cursors; 400 on a forged one."""
    after, before = request.args.get("after") or None, request.args.get("before") or None
    try:
        return load(*args, after=after, before=before)
    except CursorError:
        abort(400)

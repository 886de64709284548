"""Counts that several snapshots of one refresh share: made once, not per period and language.

The targets and the visit coverage do not depend on the period or the language, yet a refresh
stores a snapshot for each. Outside `shared_counts()` nothing is kept.
"""

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar, cast

T = TypeVar("T")
_memo: ContextVar[dict[Hashable, Any] | None] = ContextVar("dashboard_memo", default=None)


@contextmanager
def shared_counts() -> Iterator[None]:
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def once(key: Hashable, compute: Callable[[], T]) -> T:
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return cast(T, memo[key])

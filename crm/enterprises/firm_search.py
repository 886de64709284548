"""Firm search for the pickers of forms: a few firms of the user's scope matching typed text.

No Flask here: the JSON route (crm/enterprises/search_views.py) and the pages that search on the
server without JavaScript (a visit's and a request's firm picker) share it.
"""

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, true

from crm.access import enterprise_scope
from crm.enterprises.queries import name_contains
from models import Enterprise, SubDistrict, User, db

SEARCH_LIMIT = 20  # a phone shows about this many; typing more narrows further
QUERY_MAX_LENGTH = 100
USCC_LENGTH = 18


def _live() -> ColumnElement[bool]:
    live = Enterprise.deleted_at.is_(None)
    if db.session.get_bind().dialect.name == "sqlite":
        # Without statistics SQLite takes "deleted_at IS NULL" for a selective index and reads
        # every live firm; likely() tells it nearly all are, so it seeks the name's range.
        return func.likely(live)
    return live


def _firms(user: User) -> Select[int, str, str, SubDistrict]:
    return (
        select(Enterprise.id, Enterprise.name, Enterprise.uscc, SubDistrict)
        .join(SubDistrict, Enterprise.sub_district_id == SubDistrict.id)
        .where(_live(), enterprise_scope(user))
        .order_by(Enterprise.name, Enterprise.id)
    )


# Above every character: `column < text + TOP` ends the range of values starting with text.
TOP = "\U0010ffff"


def _starts_with(column: Any, text: str) -> ColumnElement[bool]:
    # The range lets SQLite and PostgreSQL seek the column's index (LIKE alone reads it all
    # unless the collation is binary); LIKE keeps the answer exact under any collation.
    return and_(column >= text, column < text + TOP, column.startswith(text, autoescape=True))


def _leading(
    user: User, column: Any, text: str, after: tuple[str, int] | None, limit: int
) -> Select[int, str, str, SubDistrict]:
    return _firms(user).where(_starts_with(column, text), _after(after)).limit(limit)


def _after(key: tuple[str, int] | None) -> ColumnElement[bool]:
    if key is None:
        return true()
    name, firm_id = key
    return or_(Enterprise.name > name, and_(Enterprise.name == name, Enterprise.id > firm_id))


def search_firms(
    user: User, text: str, after: tuple[str, int] | None = None, limit: int = SEARCH_LIMIT
) -> list[Any]:
    """Firms of `user`'s scope whose name starts with or holds `text`, or whose credit code
    starts with it, by name; prefix matches first, as the ones an index finds at any scale."""
    text = text.strip()[:QUERY_MAX_LENGTH]
    if not text:
        return []
    code = text.upper()
    # Two queries, not one OR: each seeks its own index, and a credit code matches few firms.
    rows = list(db.session.execute(_leading(user, Enterprise.name, text, after, limit)))
    if code.isascii() and code.isalnum() and len(code) <= USCC_LENGTH:
        by_code = db.session.execute(_leading(user, Enterprise.uscc, code, after, limit))
        merged = {row.id: row for row in [*rows, *by_code]}
        rows = sorted(merged.values(), key=lambda row: (row.name, row.id))[:limit]
    if len(rows) < limit and after is None:
        # A substring scans the scope's names (one sub-district for a manager), so it only
        # fills a short first answer and never pages.
        seen = [row.id for row in rows]
        inside = _firms(user).where(name_contains(text), Enterprise.id.not_in(seen))
        rows += db.session.execute(inside.limit(limit - len(rows)))
    return rows

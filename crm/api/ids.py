"""Record ids in JSON bodies: whole numbers that a database id column can hold."""

from typing import TypeGuard

from crm.errors import MAX_DATABASE_ID


def is_database_id(value: object) -> TypeGuard[int]:
    # A larger int would overflow in the driver (SQLite) or the database (BIGINT), and JSON's
    # true is an int to Python: both are refused as the field's error, not looked up.
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_DATABASE_ID

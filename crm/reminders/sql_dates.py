"""Day arithmetic inside SQL, spelled for each database: the rules compute due dates in bulk.

SQLite keeps dates as 'YYYY-MM-DD' text and has no date type to add days to; PostgreSQL adds an
integer to a date. Both give back a day that compares and sorts like a stored Date column.
"""

from typing import Any

from sqlalchemy import ColumnElement, Date, Integer, case, cast
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class days_after(FunctionElement[Any]):  # noqa: N801 -- a SQL function, named like one
    """`day` (a date) plus `days` (an integer expression)."""

    type = Date()
    name = "days_after"
    inherit_cache = True


class day_of(FunctionElement[Any]):  # noqa: N801 -- a SQL function, named like one
    """The calendar day of a stored (naive UTC) datetime."""

    type = Date()
    name = "day_of"
    inherit_cache = True


@compiles(days_after)
def _days_after(element: days_after, compiler: SQLCompiler, **kw: Any) -> str:
    day, days = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"({day} + {days})"


@compiles(days_after, "sqlite")
def _days_after_sqlite(element: days_after, compiler: SQLCompiler, **kw: Any) -> str:
    day, days = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"date({day}, ({days}) || ' days')"


class months_after(FunctionElement[Any]):  # noqa: N801 -- a SQL function, named like one
    """`day` (a date) plus a whole number of calendar months (a Python int)."""

    type = Date()
    name = "months_after"
    inherit_cache = True


@compiles(months_after)
def _months_after(element: months_after, compiler: SQLCompiler, **kw: Any) -> str:
    day, months = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"CAST(({day} + make_interval(months => CAST({months} AS INTEGER))) AS DATE)"


@compiles(months_after, "sqlite")
def _months_after_sqlite(element: months_after, compiler: SQLCompiler, **kw: Any) -> str:
    day, months = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"date({day}, '+' || ({months}) || ' months')"


@compiles(day_of)
def _day_of(element: day_of, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS DATE)"


@compiles(day_of, "sqlite")
def _day_of_sqlite(element: day_of, compiler: SQLCompiler, **kw: Any) -> str:
    # CAST(... AS DATE) on SQLite makes a number of the year: date() keeps the day.
    return f"date({compiler.process(element.clauses, **kw)})"


def whole_days(days: ColumnElement[Any]) -> ColumnElement[int]:
    """An integer for days_after: a bound Python int reaches PostgreSQL as bigint, and there is
    no date + bigint operator."""
    return cast(days, Integer)


def earlier(day: ColumnElement[Any], other: ColumnElement[Any]) -> ColumnElement[Any]:
    """The earlier of two days; `other` may be NULL, and then `day` stands."""
    return case((other < day, other), else_=day)

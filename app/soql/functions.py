"""SOQL functions over one field -> SQL: date functions (CALENDAR_YEAR(CreatedDate) …), the aggregates
(SUM, AVG …) and the pass-through wrappers (toLabel, FORMAT, convertTimezone), with the field types each
takes.

Date functions (SOQL reference, "Date Functions"): CALENDAR_MONTH 1-12, CALENDAR_QUARTER 1-4, CALENDAR_YEAR,
DAY_IN_MONTH 1-31, DAY_IN_WEEK 1 (Sunday) - 7, DAY_IN_YEAR 1-366, DAY_ONLY (the date of a dateTime),
HOUR_IN_DAY 0-23, WEEK_IN_MONTH 1-5 (days 1-7 are week 1), WEEK_IN_YEAR 1-53 (January 1-7 are week 1); the
FISCAL_* ones equal the calendar ones for Salesforce's default fiscal year (starting in January). A dateTime
is read in UTC, as stored; `convertTimezone(field)` inside a date function reads it in the user's time zone
instead (SOQL reference, "convertTimezone()": client queries get dateTime values in UTC, and convertTimezone()
in a date function converts a dateTime field to the user's time zone; it is allowed only inside a date
function). PostgreSQL converts with its own zone database (`AT TIME ZONE`); SQLite has none, so its
connections get `sfmock_local_time(value, zone)` from Python's zoneinfo (registered on every SQLite
connection, below).
Field types per aggregate: SOQL reference, "Support for Field Types in Aggregate Functions".
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

_NUMBER = frozenset({"int", "double", "currency", "percent"})
_ORDERED = frozenset(
    {
        "date",
        "datetime",
        "string",
        "email",
        "phone",
        "picklist",
        "url",
        "textarea",
        "id",
        "reference",
        "combobox",
    }
)
# Which field types each aggregate takes.
AGGREGATE_TYPES = {
    "AVG": _NUMBER,
    "SUM": _NUMBER,
    "COUNT": _NUMBER | _ORDERED,
    "COUNT_DISTINCT": _NUMBER | _ORDERED,
    "MIN": _NUMBER | _ORDERED,
    "MAX": _NUMBER | _ORDERED,
}
WRAPPERS = frozenset({"TOLABEL", "FORMAT", "CONVERTTIMEZONE", "CONVERTCURRENCY"})


class _LocalTime(FunctionElement):
    """A dateTime column (naive UTC) as the wall-clock time of a time zone (IANA name)."""

    type = sa.DateTime()
    inherit_cache = False  # the zone is not part of the statement cache's key

    def __init__(self, column: ColumnElement, zone: str) -> None:
        self.zone = zone
        super().__init__(column)


def _zone_literal(zone: str) -> str:
    # A literal, not a bound parameter: GROUP BY must repeat the SELECT's expression exactly on PostgreSQL.
    # The name comes from ZoneInfo's keys (letters, digits, "/_+-"), never from the query text.
    assert all(c.isalnum() or c in "/_+-" for c in zone), zone
    return f"'{zone}'"


@compiles(_LocalTime)
def _local_time_default(element: _LocalTime, compiler, **kw) -> str:
    column = compiler.process(element.clauses, **kw)
    return f"(({column} AT TIME ZONE 'UTC') AT TIME ZONE {_zone_literal(element.zone)})"


@compiles(_LocalTime, "sqlite")
def _local_time_sqlite(element: _LocalTime, compiler, **kw) -> str:
    return f"sfmock_local_time({compiler.process(element.clauses, **kw)}, {_zone_literal(element.zone)})"


def _local_time(value: str | None, zone: str) -> str | None:
    """SQLite's sfmock_local_time: a stored UTC dateTime ("YYYY-MM-DD HH:MM:SS[.ffffff]") in `zone`."""
    if value is None:
        return None
    instant = dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
    return instant.astimezone(ZoneInfo(zone)).replace(tzinfo=None).isoformat(sep=" ")


@sa.event.listens_for(sa.Engine, "connect")
def _register_sqlite_functions(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function("sfmock_local_time", 2, _local_time, deterministic=True)


def local_time(column: ColumnElement, zone: dt.tzinfo | None) -> ColumnElement:
    """convertTimezone(column): the column read in `zone` (the user's); UTC leaves it as stored."""
    key = getattr(zone, "key", None)
    if key is None or key in ("UTC", "GMT", "Etc/UTC"):
        return column
    return _LocalTime(column, key)


class _DayOnly(FunctionElement):
    """The date part of a dateTime column (stored naive UTC)."""

    type = sa.Date()
    inherit_cache = True


@compiles(_DayOnly)
def _day_only_default(element: _DayOnly, compiler, **kw) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS DATE)"


@compiles(_DayOnly, "sqlite")
def _day_only_sqlite(element: _DayOnly, compiler, **kw) -> str:
    return f"date({compiler.process(element.clauses, **kw)})"


class _Part(FunctionElement):
    """One integer part of a date or dateTime: year, month, day, hour, dow (0 = Sunday) or doy (1-366)."""

    type = sa.Integer()
    # The part is not among the statement cache's key: caching off, or CALENDAR_MONTH would reuse YEAR's SQL.
    inherit_cache = False

    def __init__(self, part: str, column: ColumnElement) -> None:
        self.part = part
        super().__init__(column)


_SQLITE_PARTS = {"year": "%Y", "month": "%m", "day": "%d", "hour": "%H", "dow": "%w", "doy": "%j"}


@compiles(_Part)
def _part_default(element: _Part, compiler, **kw) -> str:
    return f"CAST(EXTRACT({element.part} FROM {compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(_Part, "sqlite")
def _part_sqlite(element: _Part, compiler, **kw) -> str:
    fmt = _SQLITE_PARTS[element.part]
    return f"CAST(strftime('{fmt}', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


def date_function(name: str, column: ColumnElement) -> ColumnElement:
    """The SQL of one date function over a date or dateTime column."""
    part = {
        "CALENDAR_YEAR": "year",
        "FISCAL_YEAR": "year",
        "CALENDAR_MONTH": "month",
        "FISCAL_MONTH": "month",
        "DAY_IN_MONTH": "day",
        "HOUR_IN_DAY": "hour",
        "DAY_IN_YEAR": "doy",
    }.get(name)
    if part is not None:
        return _Part(part, column)
    if name in ("CALENDAR_QUARTER", "FISCAL_QUARTER"):
        return (_Part("month", column) + 2) // 3
    if name == "DAY_IN_WEEK":
        return _Part("dow", column) + 1
    if name == "WEEK_IN_MONTH":
        return (_Part("day", column) - 1) // 7 + 1
    if name == "WEEK_IN_YEAR":
        return (_Part("doy", column) - 1) // 7 + 1
    assert name == "DAY_ONLY"
    return _DayOnly(column)


def date_function_type(name: str) -> str:
    """The result type of a date function: a date for DAY_ONLY, else an int."""
    return "date" if name == "DAY_ONLY" else "int"


def aggregate(name: str, column: ColumnElement, field_type: str) -> ColumnElement:
    if name == "COUNT":
        return sa.func.count(column)
    if name == "COUNT_DISTINCT":
        return sa.func.count(sa.distinct(column))
    if name == "AVG":
        return sa.func.avg(sa.cast(column, sa.Float))
    return getattr(sa.func, name.lower())(column)


def aggregate_type(name: str, field_type: str) -> str:
    """The result type: COUNT and COUNT_DISTINCT are ints, AVG a double, SUM/MIN/MAX the field's type."""
    if name in ("COUNT", "COUNT_DISTINCT"):
        return "int"
    if name == "AVG":
        return "double"
    return field_type

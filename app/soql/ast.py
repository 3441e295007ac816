"""The typed syntax tree of one SOQL statement, as written (names not yet checked against the schema)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Position:
    """Where a token starts: 0-based character offset, 1-based row and column (as Salesforce reports)."""

    offset: int
    row: int
    column: int


@dataclass(frozen=True)
class FieldPath:
    """`Name`, `Owner.Name`, `Parent.Owner.Email`: relationship names, then a field name."""

    parts: tuple[str, ...]
    at: Position

    @property
    def text(self) -> str:
        return ".".join(self.parts)


@dataclass(frozen=True)
class Call:
    """A function applied to fields: COUNT(Id), SUM(AnnualRevenue), CALENDAR_YEAR(CreatedDate), FIELDS(ALL),
    toLabel(Status), ROLLUP(a, b). `name` is upper case; arguments are field paths or nested calls."""

    name: str
    args: tuple[FieldPath | Call, ...]
    at: Position

    @property
    def text(self) -> str:
        return f"{self.name}({', '.join(a.text for a in self.args)})"


Operand = FieldPath | Call


@dataclass(frozen=True)
class FieldItem:
    path: FieldPath
    alias: str | None = None
    alias_at: Position | None = None


@dataclass(frozen=True)
class CountItem:
    """COUNT() when `path` is None, else COUNT(path) with an optional alias."""

    path: FieldPath | None
    alias: str | None
    at: Position


@dataclass(frozen=True)
class CallItem:
    """A function in the SELECT list, with its alias if any."""

    call: Call
    alias: str | None = None


@dataclass(frozen=True)
class SubqueryItem:
    """A parent-to-child subquery: (SELECT LastName FROM Contacts WHERE ...)."""

    query: Query
    at: Position


@dataclass(frozen=True)
class TypeofItem:
    """TYPEOF Owner WHEN User THEN Name, Email WHEN Group THEN Name ELSE Name END."""

    relationship: str
    whens: tuple[tuple[str, tuple[FieldPath, ...]], ...]
    otherwise: tuple[FieldPath, ...]
    at: Position


SelectItem = FieldItem | CountItem | CallItem | SubqueryItem | TypeofItem


@dataclass(frozen=True)
class StringValue:
    value: str
    # The same text as a LIKE pattern: `%`/`_` are wildcards, `\%`, `\_`, `\\` escaped with a backslash.
    like: str
    at: Position


@dataclass(frozen=True)
class NumberValue:
    value: int | float
    at: Position


@dataclass(frozen=True)
class BoolValue:
    value: bool
    at: Position


@dataclass(frozen=True)
class NullValue:
    at: Position


@dataclass(frozen=True)
class DateValue:
    value: dt.date
    at: Position


@dataclass(frozen=True)
class DateTimeValue:
    value: dt.datetime  # aware, UTC
    at: Position


@dataclass(frozen=True)
class DateLiteral:
    """TODAY, LAST_N_DAYS:7 …: a range of days relative to now. `name` is upper case."""

    name: str
    n: int | None
    at: Position


Value = StringValue | NumberValue | BoolValue | NullValue | DateValue | DateTimeValue | DateLiteral
# A value that is neither null nor a date literal: one literal `.value`.
PlainValue = StringValue | NumberValue | BoolValue | DateValue | DateTimeValue

# Operators after normalisation (`<>` is written `!=`).
COMPARE_OPS = ("=", "!=", "<", "<=", ">", ">=")
LIST_OPS = ("IN", "NOT IN", "INCLUDES", "EXCLUDES")


@dataclass(frozen=True)
class Comparison:
    path: FieldPath | Call
    op: str  # one of COMPARE_OPS, "LIKE", or one of LIST_OPS
    # a tuple for LIST_OPS; a Query for a semi-join (IN) or anti-join (NOT IN)
    value: Value | tuple[Value, ...] | Query
    at: Position


@dataclass(frozen=True)
class And:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    item: Condition


Condition = Comparison | And | Or | Not


@dataclass(frozen=True)
class OrderItem:
    path: FieldPath | Call
    descending: bool = False
    # None: Salesforce's default (ASC NULLS FIRST, DESC NULLS LAST).
    nulls_first: bool | None = None

    @property
    def effective_nulls_first(self) -> bool:
        return (not self.descending) if self.nulls_first is None else self.nulls_first


@dataclass(frozen=True)
class Query:
    text: str
    select: tuple[SelectItem, ...]
    sobject: str
    sobject_at: Position
    where: Condition | None = None
    order_by: tuple[OrderItem, ...] = ()
    limit: int | None = None
    offset: int | None = None
    # FOR VIEW / FOR REFERENCE: accepted and ignored (they only update "recently viewed" data).
    for_: tuple[str, ...] = ()
    # WITH SECURITY_ENFORCED / USER_MODE / SYSTEM_MODE: accepted and ignored (no field-level security here).
    with_: str | None = None
    group_by: tuple[FieldPath | Call, ...] = ()
    group_at: Position | None = None
    # "ROLLUP" or "CUBE" for GROUP BY ROLLUP(...) / CUBE(...), else None.
    group_kind: str | None = None
    having: Condition | None = None
    # USING SCOPE mine …: accepted; sfmock's one user sees everything, so every scope reads all records.
    scope: str | None = None
    # UPDATE TRACKING / UPDATE VIEWSTAT: accepted and ignored (they feed usage statistics only).
    update: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchObject:
    """One RETURNING item of a SOSL search: Lead(Id, Name WHERE ... ORDER BY ... LIMIT n OFFSET m)."""

    name: str
    at: Position
    select: tuple[SelectItem, ...] = ()
    where: Condition | None = None
    order_by: tuple[OrderItem, ...] = ()
    limit: int | None = None
    offset: int | None = None


@dataclass(frozen=True)
class Search:
    """A SOSL statement: FIND {term} IN <scope> FIELDS RETURNING ... LIMIT n."""

    text: str
    term: str  # as written between the braces
    scope: str  # ALL, NAME, EMAIL, PHONE or SIDEBAR
    objects: tuple[SearchObject, ...]
    limit: int | None

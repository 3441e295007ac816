"""WHERE conditions -> SQLAlchemy boolean expressions, every value a bound parameter.

SOQL semantics reproduced (SOQL reference, "Comparison Operators"):
- text comparisons and LIKE are case-insensitive (lower() on both sides); ids compare exactly, 15-char ids
  are read as their 18-char form;
- `= null` / `!= null` test for null; a null field never equals, is never less than, never LIKE a value,
  but is "not equal" to it (`!=`, NOT IN, EXCLUDES and NOT keep null rows), and NOT negates in two-valued
  logic: every comparison below is true or false, never SQL NULL;
- date literals are day ranges ([start, end)): `=` is inside, `<` before start, `>` after end;
- INCLUDES/EXCLUDES test the `;`-separated values of a multi-select picklist; 'a;b' means a and b;
- a number compares as mathematics says whatever its size: an int field against a literal outside 32 bits
  (or with a fraction), and every double field, compare with a double parameter, never one the database
  cannot take (SQLite overflows past 64 bits, a PostgreSQL integer past 32).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from sfmock.core import ids
from sfmock.soql import ast, dates
from sfmock.soql.diagnostics import query_error
from sfmock.soql.resolve import Column, Resolver

_TEXT = frozenset({"string", "textarea", "email", "phone", "url", "picklist", "multipicklist"})
_ID = frozenset({"id", "reference"})
_NUMBER = frozenset({"double", "currency", "percent", "int"})
_INT_RANGE = range(-(2**31), 2**31)  # an "int" field's values (its column is a 32-bit integer on PostgreSQL)
# The type named in "value of filter criterion for field 'X' must be of type T …".
_TYPE_NAMES = {"boolean": "boolean", "date": "date", "datetime": "dateTime", "int": "int"}
_VALUE_TYPES: dict[str, tuple[type, ...]] = {
    "text": (ast.StringValue,),
    "id": (ast.StringValue,),
    "boolean": (ast.BoolValue,),
    "number": (ast.NumberValue,),
    "date": (ast.DateValue, ast.DateLiteral),
    "datetime": (ast.DateTimeValue, ast.DateLiteral),
}


def kind_of(field_type: str) -> str:
    if field_type in _TEXT:
        return "text"
    if field_type in _ID:
        return "id"
    if field_type in _NUMBER:
        return "number"
    return field_type  # boolean, date, datetime


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _double(value: int | float) -> float:
    """A number as a double; an integer beyond a double's range is ±inf (compares the same with any field)."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def _single(value: ast.Value | tuple[ast.Value, ...] | ast.Query) -> ast.Value:
    """A comparison's one literal: the parser gives a list only after IN, NOT IN, INCLUDES and EXCLUDES, and a
    sub-query only after IN and NOT IN."""
    if isinstance(value, tuple | ast.Query):
        raise TypeError("a comparison with one value was given a list or a sub-query")
    return value


def _many(value: ast.Value | tuple[ast.Value, ...] | ast.Query) -> tuple[ast.Value, ...]:
    """The literals of an IN, NOT IN, INCLUDES or EXCLUDES list (the parser always gives a tuple there)."""
    if not isinstance(value, tuple):
        raise TypeError("a list comparison was given one value or a sub-query")
    return value


def _utc_midnight(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    try:
        return dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC).replace(tzinfo=None)
    except OverflowError:  # a range cut at date.min / date.max (see sfmock.soql.dates)
        return dt.datetime.combine(day, dt.time())


def _definite(column: ColumnElement, condition: ColumnElement) -> ColumnElement[bool]:
    """`condition`, false (not NULL) where the column is null."""
    return sa.and_(column.is_not(None), condition)


def _or_null(column: ColumnElement, condition: ColumnElement) -> ColumnElement[bool]:
    return sa.or_(column.is_(None), condition)


def _balanced(join: Callable[..., ColumnElement[bool]],
              terms: list[ColumnElement[bool]]) -> ColumnElement[bool]:
    """`a OR b OR c ...` as a balanced tree of parenthesised halves: databases parse a flat chain one level
    deep per term (SQLite refuses 1,000 levels: "Expression tree is too large"), a balanced one log2(n)
    deep."""
    if len(terms) <= 8:
        return join(*terms)
    middle = len(terms) // 2
    # type_coerce keeps each half one parenthesised operand (SQLAlchemy flattens a nested OR into its parent).
    halves = (_balanced(join, terms[:middle]), _balanced(join, terms[middle:]))
    return join(*(sa.type_coerce(half, sa.Boolean).self_group() for half in halves))


class FilterBuilder:
    def __init__(
        self,
        resolver: Resolver,
        expr: Callable[[Column], ColumnElement],
        now: dt.datetime,
        *,
        call: Callable[[ast.Call], Any] | None = None,
        semi_join: Callable[[ast.Comparison, Column], sa.Select] | None = None,
    ) -> None:
        self.resolver = resolver
        self.text = resolver.text
        self.expr = expr
        self.now = now
        # `call` resolves a function operand (CALENDAR_YEAR(CreatedDate) in WHERE, COUNT(Id) in HAVING) to an
        # Operand; `semi_join` builds the inner SELECT of `Id IN (SELECT …)`.
        self.call = call
        self.semi_join = semi_join

    def build(self, condition: ast.Condition) -> ColumnElement[bool]:
        if isinstance(condition, ast.And):
            return _balanced(sa.and_, [self.build(c) for c in condition.items])
        if isinstance(condition, ast.Or):
            return _balanced(sa.or_, [self.build(c) for c in condition.items])
        if isinstance(condition, ast.Not):
            return sa.not_(self.build(condition.item))
        return self._comparison(condition)

    # --- one comparison ------------------------------------------------------------------------------
    def _comparison(self, cmp: ast.Comparison) -> ColumnElement[bool]:
        if isinstance(cmp.path, ast.Call):
            if self.call is None:
                reason = f"unexpected token: '{cmp.path.name}'"
                raise query_error("MALFORMED_QUERY", self.text, cmp.at, reason)
            operand = self.call(cmp.path)
            col, column = operand.column, operand.sql
        else:
            col = self.resolver.filterable(self.resolver.column(cmp.path))
            column = self.expr(col)
        kind = kind_of(col.type)
        op = cmp.op
        if isinstance(cmp.value, ast.Query):
            # SOQL reference, "Semi-Join and Anti-Join Considerations": the outer field is an Id or a
            # reference, and semi-joins do not nest [texts UNCONFIRMED].
            if kind != "id":
                reason = "Semi-join sub-selects are only allowed on Id or reference fields"
                raise query_error("MALFORMED_QUERY", self.text, cmp.at, reason)
            if self.semi_join is None:
                reason = "Nesting of semi join sub-selects is not supported"
                raise query_error("MALFORMED_QUERY", self.text, cmp.at, reason)
            inner = self.semi_join(cmp, col)
            if op == "IN":
                return _definite(column, column.in_(inner))
            return _or_null(column, column.not_in(inner))
        if op == "LIKE":
            if kind != "text":
                raise self._bad_operator(cmp, col)
            value = self._check(col, kind, _single(cmp.value))
            if not isinstance(value, ast.StringValue):  # a text field's literal is a string or null
                raise self._bad_type(col, kind, value)
            pattern = sa.literal(value.like, sa.String)
            return _definite(column, sa.func.lower(column).like(sa.func.lower(pattern), escape="\\"))
        if op in ("INCLUDES", "EXCLUDES"):
            if col.type != "multipicklist":
                raise query_error(
                    "INVALID_QUERY_FILTER_OPERATOR",
                    self.text,
                    cmp.at,
                    "includes or excludes operator only valid on multipicklist field",
                )
            values = [self._check(col, kind, v) for v in _many(cmp.value)]
            found = sa.or_(*(self._includes(column, v) for v in values))
            return _definite(column, found) if op == "INCLUDES" else _or_null(column, sa.not_(found))
        if op in ("IN", "NOT IN"):
            values = [self._check(col, kind, v) for v in _many(cmp.value)]
            found = self._in(col, column, kind, values)
            return found if op == "IN" else sa.not_(found)
        value = self._check(col, kind, _single(cmp.value))
        if kind == "boolean" and op not in ("=", "!="):
            raise self._bad_operator(cmp, col)
        if isinstance(value, ast.NullValue):
            if op == "=":
                return column.is_(None)
            if op == "!=":
                return column.is_not(None)
            return sa.false()
        if isinstance(value, ast.DateLiteral):
            return self._date_range(column, kind, op, value)
        left, right = self._operands(col, column, kind, value)
        if op == "!=":
            return _or_null(column, left != right)
        compare = {
            "=": left.__eq__,
            "<": left.__lt__,
            "<=": left.__le__,
            ">": left.__gt__,
            ">=": left.__ge__,
        }[op]
        return _definite(column, compare(right))

    def _operands(
        self, col: Column, column: ColumnElement, kind: str, value: ast.PlainValue
    ) -> tuple[ColumnElement, ColumnElement]:
        """Both sides of a comparison with one non-null value: lower() for text, bound parameter always."""
        if kind == "text":
            return sa.func.lower(column), sa.func.lower(sa.literal(value.value, sa.String))
        raw = value.value
        if isinstance(value, ast.NumberValue):
            if col.type == "int" and isinstance(raw, int) and raw in _INT_RANGE:
                return column, sa.literal(raw, sa.Integer)
            return column, sa.literal(_double(value.value), sa.Float)
        if isinstance(value, ast.DateTimeValue):
            raw = value.value.astimezone(dt.UTC).replace(tzinfo=None)
        return column, sa.literal(raw, column.type)

    def _in(
        self, col: Column, column: ColumnElement, kind: str, values: list[ast.Value]
    ) -> ColumnElement[bool]:
        with_null = any(isinstance(v, ast.NullValue) for v in values)
        ranges = [self._date_range(column, kind, "=", v) for v in values if isinstance(v, ast.DateLiteral)]
        plain = [v for v in values if not isinstance(v, ast.NullValue | ast.DateLiteral)]
        parts = list(ranges)
        if plain:
            pairs = [self._operands(col, column, kind, v) for v in plain]
            parts.append(_definite(column, pairs[0][0].in_([right for _, right in pairs])))
        if with_null:
            parts.append(column.is_(None))
        return sa.or_(*parts) if parts else sa.false()

    def _includes(self, column: ColumnElement, value: ast.Value) -> ColumnElement[bool]:
        if not isinstance(value, ast.StringValue):  # a multi-select picklist's literal is a string or null
            return column.is_(None)
        wrapped = sa.literal(";", sa.String) + sa.func.lower(column) + sa.literal(";", sa.String)
        needed = [part.strip() for part in value.value.split(";") if part.strip()]
        return sa.and_(
            *(
                wrapped.like(sa.func.lower(sa.literal(f"%;{like_escape(part)};%", sa.String)), escape="\\")
                for part in needed
            )
        )

    def _date_range(self, column: ColumnElement, kind: str, op: str, value: ast.DateLiteral) -> ColumnElement:
        zone = self.now.tzinfo or dt.UTC  # run_query hands `now` over in the org's time zone
        first, after = dates.day_range(value.name, value.n, self.now, zone)
        if kind == "datetime":
            # Local midnights of the org's time zone, as the naive UTC the database stores.
            start = sa.literal(_utc_midnight(first, zone), column.type)
            end = sa.literal(_utc_midnight(after, zone), column.type)
        else:
            start, end = sa.literal(first, column.type), sa.literal(after, column.type)
        if op == "!=":
            return _or_null(column, sa.or_(column < start, column >= end))
        inside = {
            "=": sa.and_(column >= start, column < end),
            "<": column < start,
            "<=": column < end,
            ">": column >= end,
            ">=": column >= start,
        }[op]
        return _definite(column, inside)

    # --- literal checks ------------------------------------------------------------------------------
    def _check(self, col: Column, kind: str, value: ast.Value) -> ast.Value:
        if isinstance(value, ast.NullValue):
            return value
        if not isinstance(value, _VALUE_TYPES[kind]):
            raise self._bad_type(col, kind, value)
        if kind == "id" and isinstance(value, ast.StringValue):  # _VALUE_TYPES: an id is a string literal
            if value.value == "":
                return ast.NullValue(value.at)  # [UNCONFIRMED] '' on an id field is taken as null
            canonical = ids.canonical(value.value)
            if canonical is None:
                # Salesforce: "invalid ID field: abc" (INVALID_QUERY_FILTER_OPERATOR).
                raise query_error(
                    "INVALID_QUERY_FILTER_OPERATOR", self.text, value.at, f"invalid ID field: {value.value}"
                )
            return ast.StringValue(canonical, canonical, value.at)
        return value

    def _bad_type(self, col: Column, kind: str, value: ast.Value) -> Exception:
        type_name = _TYPE_NAMES.get(
            col.type, {"text": "string", "id": "id", "number": "double"}.get(kind, kind)
        )
        quoted = kind in ("text", "id")
        reason = (
            f"value of filter criterion for field '{col.written}' must be of type {type_name} and should "
            f"{'' if quoted else 'not '}be enclosed in quotes"
        )
        return query_error("INVALID_FIELD", self.text, value.at, reason)

    def _bad_operator(self, cmp: ast.Comparison, col: Column) -> Exception:
        type_name = _TYPE_NAMES.get(col.type, col.type)
        return query_error(
            "INVALID_QUERY_FILTER_OPERATOR", self.text, cmp.at, f"invalid operator on {type_name} field"
        )

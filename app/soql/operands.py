"""What a SOQL operand stands for in SQL: a field path, or a function of one (a date function, an aggregate,
toLabel / FORMAT / convertTimezone), with the type of its value. Shared by SELECT, WHERE, GROUP BY, HAVING and
ORDER BY, so every clause reads a function the same way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.sql.elements import ColumnElement

from sfmock.soql import ast, functions
from sfmock.soql.builder import AGGREGATES, DATE_FUNCTIONS
from sfmock.soql.diagnostics import malformed, query_error
from sfmock.soql.resolve import Column, Resolver


@dataclass(frozen=True)
class Operand:
    """A resolved operand: a Column (for a function: a synthetic one named after it, typed by its result),
    its SQL, and the field it reads (for grouping and messages)."""

    column: Column
    sql: ColumnElement
    field: Column
    aggregate: bool  # an aggregate function: allowed in SELECT, HAVING and ORDER BY of a grouped query only
    converted: bool = False  # a date function of convertTimezone(field): another value than of the field

    @property
    def key(self) -> tuple[str, ...]:
        """Equal for the same field, or the same function of the same field, however written."""
        if self.column is self.field:
            return self.field.key
        return (self.column.name.upper(), "CONVERTTIMEZONE" if self.converted else "", *self.field.key)


class Operands:
    def __init__(self, resolver: Resolver, value: Callable[[Column], ColumnElement],
                 zone: dt.tzinfo | None = None) -> None:
        self.resolver = resolver
        self.text = resolver.text
        self.value = value
        self.zone = zone  # the user's time zone, which convertTimezone() converts to

    def of(self, node: ast.Operand) -> Operand:
        if isinstance(node, ast.FieldPath):
            col = self.resolver.column(node)
            return Operand(col, self.value(col), col, False)
        return self._call(node)

    def _call(self, call: ast.Call) -> Operand:
        if call.name == "CONVERTTIMEZONE":
            # SOQL reference, "convertTimezone()": "you can only use convertTimezone() in a date function"
            # [UNCONFIRMED text].
            raise malformed(self.text, call.at, "convertTimezone() can only be used in a date function")
        if call.name in functions.WRAPPERS:
            inner = self._single(call)
            return inner if isinstance(inner, Operand) else self.of(inner)
        if call.name in DATE_FUNCTIONS:
            field = self._field_arg(call, unwrap=True)
            if field.column.type not in ("date", "datetime") or (
                call.name in ("HOUR_IN_DAY", "DAY_ONLY") and field.column.type != "datetime"
            ):
                # [UNCONFIRMED text] Salesforce refuses a date function on a field of another type.
                kind, written = field.column.type, field.column.written
                reason = f"{call.name} function does not support the {kind} field: {written}"
                raise query_error("INVALID_FIELD", self.text, call.at, reason)
            kind = functions.date_function_type(call.name)
            sql, converted = field.sql, self._converted(call)
            if converted:
                if field.column.type != "datetime":
                    # [UNCONFIRMED text] convertTimezone() takes a dateTime field only.
                    reason = f"convertTimezone() does not support the {field.column.type} field: " \
                             f"{field.column.written}"
                    raise query_error("INVALID_FIELD", self.text, call.at, reason)
                sql = functions.local_time(sql, self.zone)
            value = functions.date_function(call.name, sql)
            return Operand(self._synthetic(call, kind), value, field.field, False, converted=converted)
        if call.name in AGGREGATES:
            field = self._field_arg(call, unwrap=False)
            if field.column.type not in functions.AGGREGATE_TYPES[call.name]:
                # [UNCONFIRMED code] "field X does not support aggregate operator SUM" (SOQL reference,
                # "Support for Field Types in Aggregate Functions" lists which types each function takes).
                reason = f"field {field.column.written} does not support aggregate operator {call.name}"
                raise query_error("INVALID_FIELD", self.text, call.at, reason)
            kind = functions.aggregate_type(call.name, field.column.type)
            sql = functions.aggregate(call.name, field.sql, field.column.type)
            return Operand(self._synthetic(call, kind), sql, field.field, True)
        raise malformed(self.text, call.at, f"unexpected token: '{call.name}'")

    def _single(self, call: ast.Call) -> ast.Operand:
        if len(call.args) != 1:
            raise malformed(self.text, call.at, f"{call.name} takes exactly one field")
        return call.args[0]

    @staticmethod
    def _converted(call: ast.Call) -> bool:
        arg = call.args[0] if len(call.args) == 1 else None
        return isinstance(arg, ast.Call) and arg.name == "CONVERTTIMEZONE"

    def _field_arg(self, call: ast.Call, *, unwrap: bool) -> Operand:
        arg = self._single(call)
        if isinstance(arg, ast.Call) and unwrap and arg.name == "CONVERTTIMEZONE":
            arg = self._single(arg)
        if not isinstance(arg, ast.FieldPath):
            raise malformed(self.text, arg.at, f"unexpected token: '{arg.name}'")
        return self.of(arg)

    @staticmethod
    def _synthetic(call: ast.Call, kind: str) -> Column:
        return Column((), call.name, kind, (), call.text, call.at)

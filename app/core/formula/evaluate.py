"""Evaluating a checked formula tree over a record, with the rules' null handling (treatNullAsNull).

Rule and workflow formulas run as `[treatNullAsNull]` (salesforce-rules-mail-web.md §4, SFSE 48639): a blank
number or date is null, arithmetic on null is null, and any comparison with null is FALSE (`null <> 100` too).
Text is never null: a blank text field reads as "" (Help "ISBLANK"/"ISNULL").
"""
from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sfmock.core.formula.check import Field, Typed
from sfmock.core.formula.fields import FieldPath, formula_type
from sfmock.core.formula.functions import FUNCTIONS, MULTI, NUMBER, PICKLIST, TEXT, FormulaRuntimeError
from sfmock.core.formula.nodes import Call, Literal, Op

Row = dict[str, Any]
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq, "!=": operator.ne, "<": operator.lt, ">": operator.gt, "<=": operator.le,
    ">=": operator.ge,
}
_TEXT_PARAM = frozenset({TEXT})


@dataclass(frozen=True)
class FormulaContext:
    """What a formula sees: the record, its prior values (None: a new record), parent rows by (sObject, Id),
    the rows behind $User / $Organization / $Profile / $RecordType, and the clock."""

    record: Row
    prior: Row | None = None
    lookup: Callable[[str, str], Row | None] = lambda sobject, record_id: None
    global_row: Callable[[str], Row | None] = lambda name: None
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))


def _normal(kind: str, raw: Any) -> Any:
    if kind in (TEXT, PICKLIST, MULTI):
        return "" if raw is None else str(raw)
    if kind == "Boolean":
        return bool(raw)  # a checkbox is never null
    if raw == "":
        return None
    if kind == NUMBER and raw is not None and not isinstance(raw, int | float):
        return float(raw)
    return raw


def read(path: FieldPath, row: Row | None, ctx: FormulaContext) -> Any:
    """The value `path` names, starting from `row` (the record) or from its global; blank along the way is
    a blank value, as a formula on an empty lookup is."""
    if path.start is not None:
        row = ctx.global_row(path.start)
    for reference, target in path.hops:
        parent_id = row.get(reference) if row else None
        row = ctx.lookup(target, parent_id) if parent_id else None
    return _normal(formula_type(path.field), row.get(path.field.name) if row else None)


def _arith(op: str, left: Any, right: Any) -> Any:
    if left is None or right is None:
        return None
    if isinstance(left, str) or isinstance(right, str):
        return left + right
    if isinstance(left, dt.date) or isinstance(right, dt.date):
        if op == "+":
            date, days = (left, right) if isinstance(left, dt.date) else (right, left)
            return date + dt.timedelta(days=days)
        if isinstance(right, dt.date):  # date - date and datetime - datetime give days
            delta = left - right
            return delta.days if not isinstance(left, dt.datetime) else delta.total_seconds() / 86400
        return left - dt.timedelta(days=right)
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if op == "^":
        return left ** right
    if right == 0:
        raise FormulaRuntimeError("division by zero")
    return left / right


class Evaluator:
    def __init__(self, ctx: FormulaContext) -> None:
        self.ctx = ctx

    def value(self, node: Typed) -> Any:
        if isinstance(node, Literal):
            return node.value
        if isinstance(node, Field):
            return read(node.path, self.ctx.record, self.ctx)
        if isinstance(node, Op):
            return self._op(node)
        return self._call(node)

    def truth(self, node: Typed) -> bool:
        return self.value(node) is True

    def _op(self, node: Op[Typed]) -> Any:
        op, args = node.op, node.args
        if op == "&&":
            return self.truth(args[0]) and self.truth(args[1])
        if op == "||":
            return self.truth(args[0]) or self.truth(args[1])
        if op == "!":
            return not self.truth(args[0])
        if op == "neg":
            operand = self.value(args[0])
            return None if operand is None else -operand
        left, right = self.value(args[0]), self.value(args[1])
        if op == "&":
            return ("" if left is None else str(left)) + ("" if right is None else str(right))
        if op in _COMPARE:
            if left is None or right is None:
                return False  # treatNullAsNull: a comparison with null is FALSE, `<>` included
            return _COMPARE[op](left, right)
        return _arith(op, left, right)

    def _call(self, node: Call[Typed]) -> Any:
        name, args = node.name, node.args
        if name in ("AND", "OR"):
            test = all if name == "AND" else any
            return test(self.truth(a) for a in args)
        if name == "NOT":
            return not self.truth(args[0])
        if name == "IF":
            return self.value(args[1] if self.truth(args[0]) else args[2])
        if name == "CASE":
            subject = self.value(args[0])
            pairs = args[1:-1]
            for position in range(0, len(pairs), 2):
                if subject is not None and subject == self.value(pairs[position]):
                    return self.value(pairs[position + 1])
            return self.value(args[-1])
        if name in ("ISBLANK", "ISNULL"):
            found = self.value(args[0])
            # ISNULL on text is always FALSE: text is never null (Help "ISNULL").
            return found is None or (name == "ISBLANK" and found == "")
        if name in ("BLANKVALUE", "NULLVALUE"):
            found = self.value(args[0])
            blank = found is None or (name == "BLANKVALUE" and found == "")
            return self.value(args[1]) if blank else found
        if name == "TODAY":
            return self.ctx.now.astimezone(dt.UTC).date()
        if name == "NOW":
            return self.ctx.now
        if name == "ISNEW":
            return self.ctx.prior is None
        if name in ("ISCHANGED", "PRIORVALUE"):
            field = args[0]
            assert isinstance(field, Field)  # the checker allows only a field here
            current = self.value(field)
            # On a new record ISCHANGED is FALSE and PRIORVALUE is the current value (Help "PRIORVALUE").
            prior = current if self.ctx.prior is None else read(field.path, self.ctx.prior, self.ctx)
            return prior != current if name == "ISCHANGED" else prior
        fn = FUNCTIONS[name]
        values = []
        for arg, allowed in zip(args, fn.params, strict=False):
            found = self.value(arg)
            values.append("" if found is None and allowed == _TEXT_PARAM else found)
        return fn.run(*values)

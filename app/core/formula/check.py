"""Type-checking a formula's syntax tree against the rule's object: the result is a tree whose field
references are resolved (Field nodes), or a FormulaError with the formula editor's wording."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from sfmock.core.formula.errors import FormulaError
from sfmock.core.formula.fields import FieldPath, Schema, resolve
from sfmock.core.formula.functions import (
    BOOLEAN,
    DATE,
    DATETIME,
    FUNCTIONS,
    MULTI,
    NUMBER,
    PICKLIST,
    TEXT,
    TIME,
)
from sfmock.core.formula.nodes import Call, Literal, Node, Op, Ref
from sfmock.core.schema.model import SObjectDef
from sfmock.core.schema.registry import registry

NULL = "Null"
_COMPARABLE = frozenset({TEXT, NUMBER, BOOLEAN, DATE, DATETIME, TIME})
_ORDERED = frozenset({TEXT, NUMBER, DATE, DATETIME, TIME})
# Result types of `+` and `-` by operand types (Help "Formula Operators": date arithmetic).
_PLUS = {(NUMBER, NUMBER): NUMBER, (TEXT, TEXT): TEXT, (DATE, NUMBER): DATE, (NUMBER, DATE): DATE,
         (DATETIME, NUMBER): DATETIME, (NUMBER, DATETIME): DATETIME}
_MINUS = {(NUMBER, NUMBER): NUMBER, (DATE, NUMBER): DATE, (DATE, DATE): NUMBER, (DATETIME, NUMBER): DATETIME,
          (DATETIME, DATETIME): NUMBER}
# ISNEW, ISCHANGED and PRIORVALUE exist only where a record has a prior state: assignment rules, validation
# rules, field updates, workflow (Help "ISCHANGED", "PRIORVALUE"; salesforce-rules-mail-web.md §4).
PRIOR_FUNCTIONS = frozenset({"ISNEW", "ISCHANGED", "PRIORVALUE"})
_CONTROL = frozenset({"AND", "OR", "NOT", "IF", "CASE", "ISBLANK", "ISNULL", "BLANKVALUE", "NULLVALUE"})


@dataclass(frozen=True)
class Field:
    """A resolved field reference."""

    path: FieldPath


Typed: TypeAlias = "Literal | Field | Call[Typed] | Op[Typed]"


def _shown(kind: str) -> str:
    return {PICKLIST: "Picklist", MULTI: "Picklist (Multi-Select)", NULL: "Null"}.get(kind, kind)


def _picklist_error(node: Node, kind: str) -> FormulaError:
    name = node.path.split(".")[-1] if isinstance(node, Ref) else "value"
    line, column = (node.line, node.column) if isinstance(node, Ref | Call | Op) else (None, None)
    label = "picklist" if kind == PICKLIST else "multi-select picklist"
    return FormulaError(f"Field {name} is a {label} field. {label.capitalize()} fields are only supported in "
                        "certain functions.", line, column)


class Checker:
    def __init__(self, root: SObjectDef, *, prior_allowed: bool, schema: Schema = registry) -> None:
        self.root = root
        self.prior_allowed = prior_allowed
        self.schema = schema

    def check(self, node: Node) -> tuple[Typed, str]:
        if isinstance(node, Literal):
            return node, node.type
        if isinstance(node, Ref):
            path = resolve(node.path, self.root, node.line, node.column, self.schema)
            return Field(path), path.type
        if isinstance(node, Op):
            return self._op(node)
        return self._call(node)

    def _arg(self, node: Node, allowed: frozenset[str], what: str, line: int,
             column: int) -> tuple[Typed, str]:
        typed, kind = self.check(node)
        if kind in allowed or kind == NULL:
            return typed, kind
        if kind in (PICKLIST, MULTI):
            raise _picklist_error(node, kind)
        expected = ", ".join(_shown(k) for k in sorted(allowed))
        raise FormulaError(f"Incorrect parameter type for {what}. Expected {expected}, received "
                           f"{_shown(kind)}",
                           line, column)

    def _op(self, node: Op[Node]) -> tuple[Typed, str]:
        op, line, column = node.op, node.line, node.column
        what = f"operator '{op if op != 'neg' else '-'}'"
        if op in ("&&", "||", "!"):
            args = [self._arg(a, frozenset({BOOLEAN}), what, line, column)[0] for a in node.args]
            return Op(op, tuple(args), line, column), BOOLEAN
        if op in ("neg", "*", "/", "^"):
            args = [self._arg(a, frozenset({NUMBER}), what, line, column)[0] for a in node.args]
            return Op(op, tuple(args), line, column), NUMBER
        if op == "&":
            args = [self._arg(a, frozenset({TEXT}), what, line, column)[0] for a in node.args]
            return Op(op, tuple(args), line, column), TEXT
        allowed = _ORDERED if op in ("<", ">", "<=", ">=") else _COMPARABLE
        if op in ("+", "-"):
            allowed = frozenset({NUMBER, TEXT, DATE,
                                 DATETIME}) if op == "+" else frozenset({NUMBER, DATE, DATETIME})
        (left, lkind), (right, rkind) = (self._arg(a, allowed, what, line, column) for a in node.args)
        if op in ("+", "-"):
            table = _PLUS if op == "+" else _MINUS
            result = NULL if NULL in (lkind, rkind) else table.get((lkind, rkind))
            if result is None:
                raise FormulaError(f"Incorrect parameter type for {what}. Expected {_shown(lkind)}, received "
                                   f"{_shown(rkind)}", line, column)
            if result == NULL:
                result = rkind if lkind == NULL else lkind
            return Op(op, (left, right), line, column), result
        if NULL not in (lkind, rkind) and lkind != rkind:
            raise FormulaError(f"Incorrect parameter type for {what}. Expected {_shown(lkind)}, received "
                               f"{_shown(rkind)}", line, column)
        return Op(op, (left, right), line, column), BOOLEAN

    def _count(self, node: Call[Node], low: int, high: int | None) -> None:
        got = len(node.args)
        if got < low or (high is not None and got > high):
            expected = str(low) if high == low else (f"{low} or more" if high is None else f"{low} to {high}")
            raise FormulaError(f"Incorrect number of parameters for function '{node.name}()'. Expected "
                               f"{expected}, received {got}", node.line, node.column)

    def _call(self, node: Call[Node]) -> tuple[Typed, str]:
        name, line, column = node.name, node.line, node.column
        what = f"function '{name}()'"
        if name in PRIOR_FUNCTIONS and not self.prior_allowed:
            raise FormulaError(f"Function {name} may not be used in this type of formula", line, column)
        if name in _CONTROL or name in PRIOR_FUNCTIONS or name in ("TODAY", "NOW"):
            return self._control(node, what)
        fn = FUNCTIONS.get(name)
        if fn is None:
            raise FormulaError(f"Unknown function {name}. Check spelling.", line, column)
        self._count(node, len(fn.params) - fn.optional, len(fn.params))
        args = []
        for position, (arg, allowed) in enumerate(zip(node.args, fn.params, strict=False)):
            if position in fn.literal and not (isinstance(arg, Literal) and arg.type == TEXT):
                raise FormulaError(f"Incorrect parameter type for {what}. Expected Text Literal, received "
                                   f"{_shown(self.check(arg)[1])}", line, column)
            args.append(self._arg(arg, allowed, what, line, column)[0])
        return Call(name, tuple(args), line, column), fn.result

    def _same(self, kinds: list[str], what: str, line: int, column: int) -> str:
        """The common type of IF/CASE/BLANKVALUE results; Null fits any."""
        found = NULL
        for kind in kinds:
            if kind in (PICKLIST, MULTI):
                raise FormulaError(f"Incorrect parameter type for {what}. Expected Text, received "
                                   f"{_shown(kind)}", line, column)
            if found == NULL:
                found = kind
            elif kind not in (NULL, found):
                raise FormulaError(f"Incorrect parameter type for {what}. Expected {_shown(found)}, received "
                                   f"{_shown(kind)}", line, column)
        return found

    def _control(self, node: Call[Node], what: str) -> tuple[Typed, str]:
        name, line, column, args = node.name, node.line, node.column, node.args
        any_scalar = _COMPARABLE | {PICKLIST, MULTI}
        if name in ("TODAY", "NOW", "ISNEW"):
            self._count(node, 0, 0)
            return Call(name, (), line, column), {"TODAY": DATE, "NOW": DATETIME, "ISNEW": BOOLEAN}[name]
        if name in ("AND", "OR"):
            self._count(node, 1, None)
            operands = [self._arg(a, frozenset({BOOLEAN}), what, line, column)[0] for a in args]
            return Call(name, tuple(operands), line, column), BOOLEAN
        if name == "NOT":
            self._count(node, 1, 1)
            return Call(name, (self._arg(args[0], frozenset({BOOLEAN}), what, line, column)[0],), line,
                        column), BOOLEAN
        if name in ("ISCHANGED", "PRIORVALUE"):
            self._count(node, 1, 1)
            if not isinstance(args[0], Ref):
                raise FormulaError(f"Incorrect parameter type for {what}. Expected Field, received "
                                   f"{_shown(self.check(args[0])[1])}", line, column)
            field, kind = self.check(args[0])
            assert isinstance(field, Field)  # a Ref checks to a Field
            if field.path.hops or field.path.start:  # only the record's own fields have a prior value
                raise FormulaError(f"Incorrect parameter type for {what}. Expected Field, received "
                                   f"{field.path.written}", line, column)
            return Call(name, (field,), line, column), BOOLEAN if name == "ISCHANGED" else kind
        if name in ("ISBLANK", "ISNULL"):
            self._count(node, 1, 1)
            # ISBLANK refuses a picklist (use ISBLANK(TEXT(p)) or ISPICKVAL(p, "")); multi-select is fine.
            allowed = _COMPARABLE | {MULTI}
            return Call(name, (self._arg(args[0], allowed, what, line, column)[0],), line, column), BOOLEAN
        if name in ("BLANKVALUE", "NULLVALUE"):
            self._count(node, 2, 2)
            pairs = [self._arg(a, _COMPARABLE, what, line, column) for a in args]
            kind = self._same([k for _, k in pairs], what, line, column)
            return Call(name, tuple(t for t, _ in pairs), line, column), kind
        if name == "IF":
            self._count(node, 3, 3)
            cond = self._arg(args[0], frozenset({BOOLEAN}), what, line, column)[0]
            pairs = [self._arg(a, _COMPARABLE, what, line, column) for a in args[1:]]
            kind = self._same([k for _, k in pairs], what, line, column)
            return Call(name, (cond, *(t for t, _ in pairs)), line, column), kind
        # CASE(expression, value1, result1, ..., else_result): an even count of arguments, at least 4.
        self._count(node, 4, None)
        if len(args) % 2 != 0:
            raise FormulaError(f"Incorrect number of parameters for function '{name}()'. Expected "
                               f"{len(args) + 1}, received {len(args)}", line, column)
        subject, kind = self._arg(args[0], any_scalar - {MULTI}, what, line, column)
        match_kind = TEXT if kind == PICKLIST else kind
        typed: list[Typed] = [subject]
        results: list[str] = []
        for position, arg in enumerate(args[1:], start=1):
            is_value = position % 2 == 1 and position != len(args) - 1
            if is_value:
                typed.append(self._arg(arg, frozenset({match_kind}), what, line, column)[0])
            else:
                result, result_kind = self._arg(arg, _COMPARABLE, what, line, column)
                typed.append(result)
                results.append(result_kind)
        return Call(name, tuple(typed), line, column), self._same(results, what, line, column)

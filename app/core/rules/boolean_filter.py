"""Filter logic (RuleEntry.booleanFilter): parses text like `1 AND (2 OR NOT 3)` into an expression tree."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sfmock.core.rules.model import RuleDefinitionError

# Salesforce's own wording, as its filter-logic editor shows it (Help "Add Filter Logic"); the rest is ours.
MIXED_AND_OR = "Your filter must use parentheses around successive AND and OR expressions."
UNREFERENCED = "Some filter conditions are defined but not referenced in your filter logic."

_TOKEN = re.compile(r"\s*(?:(?P<word>[A-Za-z0-9_]+)|(?P<punct>[()])|(?P<other>\S))")
_KEYWORDS = frozenset({"AND", "OR", "NOT"})


@dataclass(frozen=True)
class Item:
    """A reference to criteria item `number` (1-based, as written in the filter)."""

    number: int

    def evaluate(self, results: Sequence[bool]) -> bool:
        return bool(results[self.number - 1])


@dataclass(frozen=True)
class Not:
    operand: Expr

    def evaluate(self, results: Sequence[bool]) -> bool:
        return not self.operand.evaluate(results)


@dataclass(frozen=True)
class And:
    operands: tuple[Expr, ...]

    def evaluate(self, results: Sequence[bool]) -> bool:
        return all(op.evaluate(results) for op in self.operands)


@dataclass(frozen=True)
class Or:
    operands: tuple[Expr, ...]

    def evaluate(self, results: Sequence[bool]) -> bool:
        return any(op.evaluate(results) for op in self.operands)


Expr = Item | Not | And | Or


@dataclass(frozen=True)
class _Token:
    kind: str  # "num" | "AND" | "OR" | "NOT" | "(" | ")" | "end"
    text: str
    column: int  # 1-based, for error messages


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:  # only trailing whitespace is left
            break
        pos = m.end()
        column = m.start(m.lastgroup or 0) + 1
        if m.group("word") is not None:
            word = m.group("word")
            if word.isdigit():
                out.append(_Token("num", word, column))
            elif word.upper() in _KEYWORDS:
                out.append(_Token(word.upper(), word, column))
            else:
                raise RuleDefinitionError(f"Check the spelling in your filter logic: unknown term '{word}' "
                                          f"at column {column}.")
        elif m.group("punct") is not None:
            out.append(_Token(m.group("punct"), m.group("punct"), column))
        else:
            raise RuleDefinitionError(f"Check the spelling in your filter logic: unknown character "
                                      f"'{m.group('other')}' at column {column}.")
    out.append(_Token("end", "", len(text) + 1))
    return out


class _Parser:
    """expr := term (AND term)* | term (OR term)*;  term := NOT term | '(' expr ')' | number."""

    def __init__(self, tokens: list[_Token], item_count: int) -> None:
        self.tokens = tokens
        self.pos = 0
        self.item_count = item_count
        self.seen: set[int] = set()

    def peek(self) -> _Token:
        return self.tokens[self.pos]

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def expr(self) -> Expr:
        first = self.term()
        operator: str | None = None
        operands = [first]
        while self.peek().kind in ("AND", "OR"):
            token = self.take()
            if operator is not None and token.kind != operator:
                # Salesforce refuses `1 AND 2 OR 3` rather than apply a precedence (Help "Add Filter Logic").
                raise RuleDefinitionError(MIXED_AND_OR)
            operator = token.kind
            operands.append(self.term())
        if operator is None:
            return first
        return And(tuple(operands)) if operator == "AND" else Or(tuple(operands))

    def term(self) -> Expr:
        token = self.take()
        if token.kind == "NOT":
            return Not(self.term())
        if token.kind == "(":
            inner = self.expr()
            closing = self.take()
            if closing.kind == "end":
                raise RuleDefinitionError("Your filter is missing a closing parenthesis.")
            if closing.kind != ")":
                raise _missing_operator(closing)
            return inner
        if token.kind == "num":
            number = int(token.text)
            if not 1 <= number <= self.item_count:
                raise RuleDefinitionError(
                    f"The filter logic references an undefined filter: {token.text} (there are "
                    f"{self.item_count} filter conditions)."
                )
            self.seen.add(number)
            return Item(number)
        if token.kind == "end":
            raise RuleDefinitionError(
                "Your filter logic ends too early: a filter condition number is missing."
            )
        raise RuleDefinitionError(
            f"Unexpected '{token.text}' at column {token.column}: "
            "expected a filter condition number, NOT or '('."
        )


def _missing_operator(token: _Token) -> RuleDefinitionError:
    return RuleDefinitionError(
        f"Your filter is missing an operator before '{token.text}' at column {token.column}."
    )


def parse(text: str | None, item_count: int) -> Expr:
    """The tree of `text`, checked against `item_count` criteria items; RuleDefinitionError if invalid."""
    if text is None or not text.strip():
        raise RuleDefinitionError("Your filter logic is empty.")
    parser = _Parser(_tokens(text), item_count)
    try:
        tree = parser.expr()
    except RecursionError:
        raise RuleDefinitionError("Your filter logic is nested too deeply.") from None
    rest = parser.peek()
    if rest.kind == ")":
        raise RuleDefinitionError(f"Your filter has an unmatched ')' at column {rest.column}.")
    if rest.kind != "end":
        raise _missing_operator(rest)
    # Every criteria row must appear in the logic (Help "Add Filter Logic": the editor rejects unused rows).
    if len(parser.seen) != item_count:
        missing = ", ".join(str(n) for n in range(1, item_count + 1) if n not in parser.seen)
        raise RuleDefinitionError(f"{UNREFERENCED} (not referenced: {missing})")
    return tree

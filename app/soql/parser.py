"""SOQL text -> ast.Query with the LALR grammar in soql.lark; syntax errors become MALFORMED_QUERY."""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from importlib import resources
from typing import Literal, cast, overload

from lark import Lark
from lark.exceptions import UnexpectedCharacters, UnexpectedToken, VisitError

from sfmock.core import no_wait
from sfmock.core.errors import QueryError
from sfmock.soql import ast
from sfmock.soql.builder import Builder
from sfmock.soql.diagnostics import (
    error_position,
    keyword_position,
    malformed,
    position_at,
    unexpected,
)
from sfmock.soql.grammar_cache import cache_file


@lru_cache(maxsize=1)
def _lark() -> Lark:
    grammar = resources.files("sfmock.soql").joinpath("soql.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", lexer="basic", start=["start", "sosl"], cache=cache_file())


_building = threading.Lock()


def warm() -> Lark:
    """The parser, built once (the server calls this in the background at start; a query arriving meanwhile
    waits for that build rather than starting a second one)."""
    if _lark.cache_info().currsize == 0:
        no_wait.would_wait()  # the build takes a while: not on the event loop
    with _building:
        return _lark()


# Salesforce: "By default, SOQL statements can't exceed 100,000 characters" (SOQL and SOSL Limits).
MAX_LENGTH = 100_000
# Logical nesting (NOT/AND/OR inside each other) beyond which a filter is refused rather than handed to the
# database, whose own parser overflows (SQLite's at about 50). Salesforce documents no such limit
# [UNCONFIRMED].
MAX_DEPTH = 32


# The tree is a pure function of the text (frozen dataclasses) and test suites repeat their queries: parsing
# was a fifth of a simple query's time. Errors are not cached (raised again each time).
@lru_cache(maxsize=1024)
def parse(text: str) -> ast.Query:
    """The syntax tree of one SOQL statement, else a QueryError (mostly MALFORMED_QUERY)."""
    if len(text) > MAX_LENGTH:
        # Reported at the start, the excerpt cut like any other: the statement is never echoed whole.
        reason = f"SOQL statements cannot be longer than {MAX_LENGTH:,} characters."
        raise malformed(text, position_at(text, 0), reason)
    try:
        query = _parse(text)
    except RecursionError:
        # lark's tree walk recurses once per nesting level: a hostile filter ends here, not in a 500.
        raise _too_deep(text) from None
    if query.where is not None and _depth(query.where) > MAX_DEPTH:
        raise _too_deep(text)
    return query


def _too_deep(text: str) -> QueryError:
    """Only the WHERE clause nests: reported at its keyword [UNCONFIRMED: Salesforce documents no limit]."""
    reason = f"The WHERE clause is nested more than {MAX_DEPTH} levels deep."
    return malformed(text, keyword_position(text, "WHERE"), reason)




def _depth(condition: ast.Condition) -> int:
    """Nesting depth of a filter, without recursion (so a hostile one cannot exhaust the stack here)."""
    deepest, stack = 0, [(condition, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(node, ast.Not):
            stack.append((node.item, depth + 1))
        elif isinstance(node, ast.And | ast.Or):
            stack.extend((item, depth + 1) for item in node.items)
    return deepest


def parse_search(text: str) -> ast.Search:
    """The syntax tree of one SOSL statement; syntax errors are MALFORMED_SEARCH (with SOQL's texts)."""
    if len(text) > MAX_LENGTH:
        reason = f"SOSL statements cannot be longer than {MAX_LENGTH:,} characters."
        raise QueryError("MALFORMED_SEARCH", reason)
    if not re.match(r"\s*find\s*\{", text, re.IGNORECASE):
        # Salesforce's text when FIND is not followed by a braced term.
        reason = "No search term found. The search term must be enclosed in braces."
        raise QueryError("MALFORMED_SEARCH", reason)
    try:
        return _parse(text, "sosl")
    except QueryError as error:
        if error.code != "MALFORMED_QUERY":
            raise
        raise QueryError("MALFORMED_SEARCH", error.message, error.row, error.column) from None


@overload
def _parse(text: str) -> ast.Query: ...
@overload
def _parse(text: str, start: Literal["sosl"]) -> ast.Search: ...
def _parse(text: str, start: str = "start") -> ast.Query | ast.Search:
    try:
        tree = warm().parse(text, start=start)
    except UnexpectedToken as exc:
        if exc.token.type == "$END":
            raise unexpected(text, error_position(text, len(text)), "<EOF>") from None
        offset = exc.token.start_pos or 0
        before = re.search(r"([A-Za-z_]\w*)\s+$", text[:offset])
        if exc.token.type == "NAME" and "FROM" in exc.expected and before is not None:
            # "SELECT Id FROMM Lead": the misspelt keyword was read as an alias; Salesforce blames it.
            raise unexpected(text, error_position(text, before.start(1)), before.group(1)) from None
        raise unexpected(text, error_position(text, offset), str(exc.token)) from None
    except UnexpectedCharacters as exc:
        # lark declares pos_in_stream None on UnexpectedInput; UnexpectedCharacters sets it to the offset.
        at = cast(int, exc.pos_in_stream)
        word = re.match(r"\S+", text[at:])
        shown = word.group(0) if word else text[at]
        raise unexpected(text, error_position(text, at), shown) from None
    try:
        return Builder(text).transform(tree)
    except VisitError as exc:
        if isinstance(exc.orig_exc, QueryError):
            raise exc.orig_exc from None
        raise

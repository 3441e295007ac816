"""The search term of a SOSL FIND clause -> the database's full-text query (SQLite FTS5 MATCH text,
PostgreSQL tsquery text). SOSL reference, "FIND {SearchQuery}": words are ANDed; AND, OR, AND NOT and
parentheses combine them; "quoted phrases" match words in order; `*` matches zero or more characters at the
end of a word, `?` exactly one [deviation: both are read as a prefix match from where they stand]; a term
whose words hold fewer than two characters is refused with INVALID_SEARCH. Words are split on punctuation
(as the index is), so the text that reaches either database is only letters, digits and operators."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sfmock.core.errors import QueryError


@dataclass(frozen=True)
class Word:
    tokens: tuple[str, ...]  # lower-case, alphanumeric; several for a phrase or a split word
    prefix: bool  # the last token is a prefix (a wildcard followed it)


@dataclass(frozen=True)
class Op:
    kind: str  # "AND", "OR", "NOT" (AND NOT: left and not right)
    left: Node
    right: Node


Node = Word | Op
_LEXER = re.compile(r'\s*(?:(?P<quote>"(?:[^"\\]|\\.)*")|(?P<paren>[()])|(?P<word>[^\s()"]+))')
_TOKEN = re.compile(r"[^\W_]+")


def _invalid(term: str) -> QueryError:
    # REST 400 INVALID_SEARCH (salesforce-schema-and-surface.md 6.6).
    return QueryError("INVALID_SEARCH", f"search term must be longer than one character: {term}")


def malformed_search(reason: str) -> QueryError:
    return QueryError("MALFORMED_SEARCH", reason)


def parse_term(term: str) -> Node:
    tokens = [m for m in _LEXER.finditer(term) if m.group(0).strip()]
    parser = _Parser(term, [(m.lastgroup, m.group(m.lastgroup)) for m in tokens if m.lastgroup])
    node = parser.expression()
    if parser.position != len(parser.tokens) or node is None:
        raise malformed_search(f"Invalid search term: {term}")
    return node


class _Parser:
    def __init__(self, term: str, tokens: list[tuple[str, str]]) -> None:
        self.term, self.tokens, self.position = term, tokens, 0

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _keyword(self, word: str) -> bool:
        token = self._peek()
        return token is not None and token[0] == "word" and token[1] == word  # operators are upper case

    def expression(self) -> Node | None:
        left = self._conjunction()
        while left is not None and self._keyword("OR"):
            self.position += 1
            right = self._conjunction()
            if right is None:
                raise malformed_search(f"Invalid search term: {self.term}")
            left = Op("OR", left, right)
        return left

    def _conjunction(self) -> Node | None:
        left = self._unary()
        while left is not None:
            kind = "AND"
            if self._keyword("AND"):
                self.position += 1
                if self._keyword("NOT"):
                    self.position += 1
                    kind = "NOT"
            elif self._peek() is None or self._peek() == ("paren", ")") or self._keyword("OR"):
                break
            right = self._unary()
            if right is None:
                raise malformed_search(f"Invalid search term: {self.term}")
            left = Op(kind, left, right)
        return left

    def _unary(self) -> Node | None:
        token = self._peek()
        if token is None:
            return None
        kind, text = token
        self.position += 1
        if kind == "paren" and text == "(":
            inner = self.expression()
            if inner is None or self._peek() != ("paren", ")"):
                raise malformed_search(f"Invalid search term: {self.term}")
            self.position += 1
            return inner
        if kind == "paren":
            raise malformed_search(f"Invalid search term: {self.term}")
        body = text[1:-1] if kind == "quote" else text
        return self._word(body.replace("\\", ""), text)

    def _word(self, body: str, shown: str) -> Word:
        wild = re.search(r"[*?]", body)
        stem = body[: wild.start()] if wild else body
        tokens = tuple(t.lower() for t in _TOKEN.findall(stem))
        if sum(len(t) for t in tokens) < 2:
            raise _invalid(shown)
        return Word(tokens, wild is not None)


def fts5(node: Node, columns: tuple[str, ...]) -> str:
    """FTS5 MATCH text, limited to the FTS5 `columns` when there are any (a column filter applies to every
    phrase of the parenthesised expression it precedes)."""
    text = _fts5(node)
    return f"{{{' '.join(columns)}}} : ({text})" if columns else text


def _fts5(node: Node) -> str:
    if isinstance(node, Word):
        phrase = '"' + " ".join(node.tokens) + '"'
        return phrase + (" *" if node.prefix else "")
    return f"({_fts5(node.left)} {node.kind} {_fts5(node.right)})"


def tsquery(node: Node, weight: str | None) -> str:
    """PostgreSQL to_tsquery text; `weight` (A-D) limits every word to one column group."""
    if isinstance(node, Word):
        label = weight or ""
        parts = [f"{t}:{label}" if label else t for t in node.tokens]
        if node.prefix:
            parts[-1] = f"{node.tokens[-1]}:*{label}"
        return "(" + " <-> ".join(parts) + ")"
    op = {"AND": "&", "OR": "|", "NOT": "& !"}[node.kind]
    return f"({tsquery(node.left, weight)} {op} {tsquery(node.right, weight)})"

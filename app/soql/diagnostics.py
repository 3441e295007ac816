"""Salesforce's SOQL error texts: the query excerpt, a caret, "ERROR at Row:r:Column:c", then the reason.

Shape seen in real responses (REST message and SOAP exceptionMessage alike), e.g.
"\\nSELECT Id, FROM Account\\n          ^\\nERROR at Row:1:Column:11\\nunexpected token: 'FROM'" and
"\\nCreatedById,OCE__ActualCap__c,TPI_Product__c,Name,OCE__JobId__c\\n                              ^\\n…":
the excerpt is the error's line cut to about four tokens either side of the offending one, with the caret
under it. Syntax errors are reported just after the token before the offending one. `query_message` is the
one place both doors get the final text of a QueryError from.
"""

from __future__ import annotations

import re

from sfmock.core.errors import QueryError
from sfmock.soql.ast import Position

# Tokens of the excerpt: string literals, dates and dateTimes, decimals, words, two-character operators.
_TOKEN = re.compile(
    r"'(?:[^'\\]|\\.)*'?"
    r"|\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|\d+\.\d*|\w+|!=|<>|<=|>=|\S",
    re.IGNORECASE,
)
_CONTEXT_TOKENS = 4
# At most this many characters of the line either side of the caret: a 100,000-character string literal next
# to the error is cut, never echoed whole. Salesforce's cut of an overlong token is not known [UNCONFIRMED].
_CONTEXT_CHARS = 100
# Characters no Salesforce text can hold and no database takes as a parameter: NUL (PostgreSQL refuses it in
# text) and lone UTF-16 surrogates (not encodable as UTF-8). Never echoed: shown as U+FFFD, one for one.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

UNKNOWN_FIELD = (
    "No such column '{field}' on entity '{entity}'. If you are attempting to use a custom field, be sure to "
    "append the '__c' after the custom field name. Please reference your WSDL or the describe call for the "
    "appropriate names."
)
UNKNOWN_RELATIONSHIP = (
    "Didn't understand relationship '{name}' in field path. If you are attempting to use a custom "
    "relationship, be sure to append the '__r' after the custom relationship name. Please reference your "
    "WSDL or the describe call for the appropriate names."
)
UNKNOWN_TYPE = (
    "sObject type '{name}' is not supported. If you are attempting to use a custom object, be sure to "
    "append the '__c' after the entity name. Please reference your WSDL or the describe call for the "
    "appropriate names."
)


def position_at(text: str, offset: int) -> Position:
    """The 1-based row and column of a character offset."""
    row = text.count("\n", 0, offset) + 1
    line_start = text.rfind("\n", 0, offset) + 1
    return Position(offset, row, offset - line_start + 1)


def error_position(text: str, offset: int) -> Position:
    """Where Salesforce reports a syntax error found at `offset`: just after the previous token (observed:
    "SELECT Id, FROM Account" is reported at Column:11, "SELECT Id FROM Account WHERE" at Column:29)."""
    return position_at(text, len(text[:offset].rstrip()))


def keyword_position(text: str, keyword: str) -> Position:
    """Where the first `keyword` token (outside string literals, any case) starts; the start if none."""
    word = keyword.lower()
    found = next((m.start() for m in _TOKEN.finditer(text) if m.group(0).lower() == word), 0)
    return position_at(text, found)


def excerpt(text: str, at: Position) -> tuple[str, int]:
    """The line excerpt shown above the caret and the caret's 0-based column within it."""
    lines = text.split("\n")
    line = lines[at.row - 1].rstrip("\r") if 0 < at.row <= len(lines) else ""
    col = max(at.column - 1, 0)
    spans = [m.span() for m in _TOKEN.finditer(line)]
    if not spans:
        start, end = 0, len(line)
    else:
        hit = next((i for i, (start, _) in enumerate(spans) if start >= col), len(spans))
        if hit == len(spans):  # at the end: show the tokens before the caret
            first, last = max(0, hit - 1 - _CONTEXT_TOKENS), hit - 1
        else:
            first, last = max(0, hit - _CONTEXT_TOKENS), min(len(spans) - 1, hit + _CONTEXT_TOKENS)
        start, end = spans[first][0], spans[last][1]
    start, end = max(start, col - _CONTEXT_CHARS), min(end, max(col, start) + _CONTEXT_CHARS)
    return line[start:end], col - start


def _layout(text: str, at: Position, reason: str) -> str:
    shown, caret = excerpt(text, at)
    message = f"\n{shown}\n{' ' * caret}^\nERROR at Row:{at.row}:Column:{at.column}\n{reason}"
    return UNSTORABLE.sub("\ufffd", message)


def duplicate_field(name: str, at: Position) -> QueryError:
    """A column named twice in the SELECT list. SOQL reference, FIELDS(): "duplicate field selected: Id"
    (INVALID_FIELD, no excerpt); "FORMAT()": "aliasing is required when the query includes the same field
    multiple times"."""
    return QueryError("INVALID_FIELD", f"duplicate field selected: {name}", at.row, at.column)


def query_error(code: str, text: str, at: Position, reason: str) -> QueryError:
    return QueryError(code, _layout(text, at, reason), at.row, at.column)


def query_message(error: QueryError, soql: str | None) -> str:
    """The text both doors send for a QueryError (REST `message`, SOAP `exceptionMessage` alike): errors made
    here already carry the excerpt; a MALFORMED_QUERY raised elsewhere with only a reason and a row/column
    gets the same excerpt, caret and position from the statement `soql` (None: the reason alone)."""
    if soql is None or error.code != "MALFORMED_QUERY" or "ERROR at Row:" in error.message:
        return error.message
    return _layout(soql, Position(-1, error.row, error.column), error.message)


def malformed(text: str, at: Position, reason: str) -> QueryError:
    return query_error("MALFORMED_QUERY", text, at, reason)


def unexpected(text: str, at: Position, token: str) -> QueryError:
    return malformed(text, at, f"unexpected token: '{token}'")


def no_such_field(text: str, at: Position, field: str, entity: str) -> QueryError:
    return query_error("INVALID_FIELD", text, at, UNKNOWN_FIELD.format(field=field, entity=entity))


def no_such_relationship(text: str, at: Position, name: str) -> QueryError:
    return query_error("INVALID_FIELD", text, at, UNKNOWN_RELATIONSHIP.format(name=name))


def no_such_type(text: str, at: Position, name: str) -> QueryError:
    return query_error("INVALID_TYPE", text, at, UNKNOWN_TYPE.format(name=name))

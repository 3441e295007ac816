"""Salesforce's SOQL error texts: the query excerpt, a caret, "ERROR at Row:r:Column:c", then the reason.

Shape seen in real responses (REST message and SOAP exceptionMessage alike), e.g.
"\\nSELECT Id, FROM Account\\n          ^\\nERROR at Row:1:Column:11\\nunexpected token: 'FROM'" and
"\\nCreatedById,OCE__ActualCap__c,TPI_Product__c,Name,OCE__JobId__c\\n                              ^\\n…":
the excerpt is the error's line cut to about four tokens either side of the offending one, with the caret
under it. Syntax errors are reported just after the token before the offending one.
"""

from __future__ import annotations

import re

from app.core.errors import QueryError
from app.soql.ast import Position

_TOKEN = re.compile(r"'(?:[^'\\]|\\.)*'?|\w+|!=|<>|<=|>=|\S")
_CONTEXT_TOKENS = 4

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


def excerpt(text: str, at: Position) -> tuple[str, int]:
    """The line excerpt shown above the caret and the caret's 0-based column within it."""
    line = text.split("\n")[at.row - 1].rstrip("\r")
    spans = [m.span() for m in _TOKEN.finditer(line)]
    col = at.column - 1
    if not spans:
        return line, col
    hit = next((i for i, (start, _) in enumerate(spans) if start >= col), len(spans))
    if hit == len(spans):  # at the end: show the tokens before the caret
        first, last = max(0, hit - 1 - _CONTEXT_TOKENS), hit - 1
    else:
        first, last = max(0, hit - _CONTEXT_TOKENS), min(len(spans) - 1, hit + _CONTEXT_TOKENS)
    start, end = spans[first][0], spans[last][1]
    return line[start:end], col - start


def query_error(code: str, text: str, at: Position, reason: str) -> QueryError:
    shown, caret = excerpt(text, at)
    message = f"\n{shown}\n{' ' * caret}^\nERROR at Row:{at.row}:Column:{at.column}\n{reason}"
    return QueryError(code, message, at.row, at.column)


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

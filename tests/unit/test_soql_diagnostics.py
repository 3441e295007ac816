"""The final text of a SOQL error, one function for both doors (REST `message`, SOAP `exceptionMessage`)."""

from __future__ import annotations

import pytest

from sfmock.core.errors import QueryError
from sfmock.rest.errors import query_message as rest_message
from sfmock.soap.faults import query_message as soap_message
from sfmock.soql.diagnostics import malformed, position_at, query_message


@pytest.mark.parametrize(("error", "soql", "expected"), [
    # A bare MALFORMED_QUERY (reason, row, column) gets the excerpt, the caret and the position.
    (
        QueryError("MALFORMED_QUERY", "unexpected token: 'FROMM'", 1, 11),
        "SELECT Id FROMM Lead",
        "\nSELECT Id FROMM Lead\n          ^\nERROR at Row:1:Column:11\nunexpected token: 'FROMM'",
    ),
    (
        QueryError("MALFORMED_QUERY", "unexpected token: <EOF>", 1, 26),
        "SELECT Id FROM Lead WHERE",
        f"\nSELECT Id FROM Lead WHERE\n{' ' * 25}^\nERROR at Row:1:Column:26\nunexpected token: <EOF>",
    ),
    (  # only the error's line, cut to four tokens either side
        QueryError("MALFORMED_QUERY", "boom", 2, 27),
        "SELECT Id, Name\nFROM Lead WHERE a = 1 AND b = 2 AND c = 3 AND d = 4 AND e = 5",
        f"\na = 1 AND b = 2 AND c\n{' ' * 10}^\nERROR at Row:2:Column:27\nboom",
    ),
    # Already laid out, another code, or no statement: the message as it is.
    (
        QueryError("MALFORMED_QUERY", "\nX\n^\nERROR at Row:1:Column:1\nboom"),
        "X",
        "\nX\n^\nERROR at Row:1:Column:1\nboom",
    ),
    (QueryError("INVALID_QUERY_LOCATOR", "invalid query locator"), "SELECT Id", "invalid query locator"),
    (QueryError("MALFORMED_QUERY", "boom", 1, 3), None, "boom"),
    # A position outside the statement (a door's own error) is no IndexError.
    (QueryError("MALFORMED_QUERY", "boom", 7, 3), "SELECT", "\n\n  ^\nERROR at Row:7:Column:3\nboom"),
])
def test_query_message(error: QueryError, soql: str | None, expected: str) -> None:
    assert query_message(error, soql) == expected


def test_both_doors_use_it() -> None:
    long = "SELECT Id FROM Lead WHERE Name = '" + "x" * 150_000 + "'"
    errors = [
        QueryError("MALFORMED_QUERY", "too long", 1, 1),
        QueryError("MALFORMED_QUERY", "too long", 1, len(long)),
        malformed(long, position_at(long, long.index("Lead")), "unexpected token: 'Lead'"),
    ]
    for error in errors:
        text = query_message(error, long)
        assert rest_message(error, long) == soap_message(error, long) == text
        # The doors used to put the whole statement above the caret.
        assert len(text) < 400


def test_a_laid_out_error_with_a_huge_token_is_cut() -> None:
    soql = "SELECT Id FROM Lead WHERE Name = '" + "x" * 5000 + "' FROM"
    at = position_at(soql, soql.rindex("FROM"))
    message = malformed(soql, at, "unexpected token: 'FROM'").message
    excerpt, caret = message.split("\n")[1:3]
    assert excerpt == "x" * 98 + "' FROM" and caret == " " * 100 + "^"

"""The SOQL grammar: valid statements give the expected syntax tree, malformed ones Salesforce's error."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from sfmock.core.errors import QueryError
from sfmock.soql import ast
from sfmock.soql.parser import parse

UTC = dt.UTC


def _where(soql: str) -> ast.Condition:
    where = parse(soql).where
    assert where is not None
    return where


@pytest.mark.parametrize(
    ("soql", "sobject", "paths"),
    [
        ("SELECT Id FROM Lead", "Lead", [("Id",)]),
        ("select id, name from lead", "lead", [("id",), ("name",)]),
        (
            "SELECT Id, Owner.Name, Owner.Email FROM Lead",
            "Lead",
            [("Id",), ("Owner", "Name"), ("Owner", "Email")],
        ),
        (
            "SELECT CreatedBy.Username, LastModifiedBy.Name FROM Case",
            "Case",
            [("CreatedBy", "Username"), ("LastModifiedBy", "Name")],
        ),
        ("SELECT Parent.Owner.Name FROM Case", "Case", [("Parent", "Owner", "Name")]),
        ("SELECT Id\nFROM\n  Lead", "Lead", [("Id",)]),
        ("SELECT Id FROM Group", "Group", [("Id",)]),
    ],
)
def test_select_list_and_object(soql: str, sobject: str, paths: list[tuple[str, ...]]) -> None:
    query = parse(soql)
    assert query.sobject == sobject
    assert [item.path.parts for item in query.select] == paths


@pytest.mark.parametrize(
    ("soql", "path", "alias"),
    [
        ("SELECT COUNT() FROM Lead", None, None),
        ("SELECT count(Id) FROM Lead", ("Id",), None),
        ("SELECT COUNT(Email) total FROM Lead", ("Email",), "total"),
    ],
)
def test_count(soql: str, path: tuple[str, ...] | None, alias: str | None) -> None:
    (item,) = parse(soql).select
    if path is None:
        assert isinstance(item, ast.CountItem)
    else:  # COUNT(field) is an aggregate function like SUM(field)
        assert isinstance(item, ast.CallItem) and item.call.name == "COUNT"
        assert item.call.args[0].parts == path
    assert item.alias == alias


@pytest.mark.parametrize(
    ("condition", "op", "value"),
    [
        ("Name = 'Acme'", "=", "Acme"),
        ("Name != 'Acme'", "!=", "Acme"),
        ("Name <> 'Acme'", "!=", "Acme"),
        ("NumberOfEmployees < 10", "<", 10),
        ("NumberOfEmployees <= 10.5", "<=", 10.5),
        ("AnnualRevenue > -3", ">", -3),
        ("AnnualRevenue >= .5", ">=", 0.5),
        ("IsConverted = TRUE", "=", True),
        ("IsConverted = false", "=", False),
        ("Email = null", "=", None),
        ("Email LIKE 'a%'", "LIKE", "a%"),
        ("CreatedDate > 2024-01-31T10:00:00Z", ">", dt.datetime(2024, 1, 31, 10, tzinfo=UTC)),
        ("CreatedDate > 2024-01-31T10:00:00+01:00", ">", dt.datetime(2024, 1, 31, 9, tzinfo=UTC)),
        ("CreatedDate > 2024-01-31T10:00:00.000Z", ">", dt.datetime(2024, 1, 31, 10, tzinfo=UTC)),
        ("CreatedDate > 2024-01-31T10:00:00-0530", ">", dt.datetime(2024, 1, 31, 15, 30, tzinfo=UTC)),
        ("ClosedDate = 2024-01-31", "=", dt.date(2024, 1, 31)),
    ],
)
def test_comparisons(condition: str, op: str, value: object) -> None:
    where = _where(f"SELECT Id FROM Lead WHERE {condition}")
    assert isinstance(where, ast.Comparison)
    assert where.op == op
    assert getattr(where.value, "value", None) == value


@pytest.mark.parametrize(
    ("literal", "name", "n"),
    [
        ("TODAY", "TODAY", None),
        ("yesterday", "YESTERDAY", None),
        ("LAST_N_DAYS:30", "LAST_N_DAYS", 30),
        ("next_n_days:7", "NEXT_N_DAYS", 7),
        ("N_DAYS_AGO:3", "N_DAYS_AGO", 3),
        ("THIS_QUARTER", "THIS_QUARTER", None),
        ("LAST_90_DAYS", "LAST_90_DAYS", None),
        ("NEXT_YEAR", "NEXT_YEAR", None),
    ],
)
def test_date_literals(literal: str, name: str, n: int | None) -> None:
    where = _where(f"SELECT Id FROM Lead WHERE CreatedDate = {literal}")
    assert where.value == ast.DateLiteral(name, n, where.value.at)


@pytest.mark.parametrize(
    ("raw", "value", "like"),
    [
        (r"'O\'Brien'", "O'Brien", "O'Brien"),
        (r"'say \"hi\"'", 'say "hi"', 'say "hi"'),
        (r"'back\\slash'", "back\\slash", "back\\\\slash"),
        (r"'a\nb\tc\rd\be\ff'", "a\nb\tc\rd\be\ff", "a\nb\tc\rd\be\ff"),
        (r"'100\%'", "100%", "100\\%"),
        (r"'a\_b%'", "a_b%", "a\\_b%"),
        ("''", "", ""),
    ],
)
def test_string_escapes(raw: str, value: str, like: str) -> None:
    where = _where(f"SELECT Id FROM Lead WHERE Name LIKE {raw}")
    assert (where.value.value, where.value.like) == (value, like)


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("Name IN ('a', 'b')", ("IN", ["a", "b"])),
        ("Name NOT IN ('a')", ("NOT IN", ["a"])),
        ("Interests__c INCLUDES ('a;b', 'c')", ("INCLUDES", ["a;b", "c"])),
        ("Interests__c EXCLUDES ('a')", ("EXCLUDES", ["a"])),
    ],
)
def test_list_operators(condition: str, expected: tuple[str, list[str]]) -> None:
    where = _where(f"SELECT Id FROM Lead WHERE {condition}")
    assert (where.op, [v.value for v in where.value]) == expected


def test_boolean_structure() -> None:
    where = _where("SELECT Id FROM Lead WHERE (A = 'a' OR B = 'b') AND NOT C = 'c' AND NOT (D = 1 OR E = 2)")
    assert isinstance(where, ast.And)
    first, second, third = where.items
    assert isinstance(first, ast.Or) and len(first.items) == 2
    assert isinstance(second, ast.Not) and isinstance(second.item, ast.Comparison)
    assert isinstance(third, ast.Not) and isinstance(third.item, ast.Or)


def test_order_limit_offset_for() -> None:
    query = parse(
        "SELECT Id FROM Lead ORDER BY Name, CreatedDate DESC, City ASC NULLS LAST, "
        "Owner.Name DESC NULLS FIRST "
        "LIMIT 10 OFFSET 20 FOR VIEW"
    )
    assert [(o.path.text, o.descending, o.nulls_first, o.effective_nulls_first) for o in query.order_by] == [
        ("Name", False, None, True),
        ("CreatedDate", True, None, False),
        ("City", False, False, False),
        ("Owner.Name", True, True, True),
    ]
    assert (query.limit, query.offset, query.for_) == (10, 20, ("VIEW",))
    assert parse("SELECT Id FROM Lead FOR REFERENCE").for_ == ("REFERENCE",)
    assert parse("SELECT Id FROM Lead WITH SECURITY_ENFORCED").with_ == "SECURITY_ENFORCED"


@pytest.mark.parametrize(
    ("soql", "code", "row", "column", "reason"),
    [
        ("SELECT Id FROMM Lead", "MALFORMED_QUERY", 1, 10, "unexpected token: 'FROMM'"),
        ("SELECT Id, FROM Account", "MALFORMED_QUERY", 1, 11, "unexpected token: 'FROM'"),
        ("SELECT Id FROM Account WHERE", "MALFORMED_QUERY", 1, 29, "unexpected token: '<EOF>'"),
        ("SELECT FROM Lead", "MALFORMED_QUERY", 1, 7, "unexpected token: 'FROM'"),
        ("", "MALFORMED_QUERY", 1, 1, "unexpected token: '<EOF>'"),
        (
            "SELECT Id FROM Lead WHERE A = 1 AND B = 2 OR C = 3",
            "MALFORMED_QUERY",
            1,
            42,
            "unexpected token: 'OR'",
        ),
        ('SELECT Id FROM Lead WHERE Name = "x"', "MALFORMED_QUERY", 1, 33, "unexpected token: '\"x\"'"),
        ("SELECT Id\nFROM Lead\nWHERE Name = = 'x'", "MALFORMED_QUERY", 3, 13, "unexpected token: '='"),
        (
            "SELECT Id FROM Lead WHERE CreatedDate = LAST_N_DAYS",
            "MALFORMED_QUERY",
            1,
            40,
            "unexpected token: 'LAST_N_DAYS'",
        ),
        (
            "SELECT Id FROM Lead WHERE CreatedDate = SOMEDAY",
            "MALFORMED_QUERY",
            1,
            40,
            "unexpected token: 'SOMEDAY'",
        ),
        (
            "SELECT Id FROM Lead WHERE CreatedDate = TODAY:3",
            "MALFORMED_QUERY",
            1,
            47,
            "unexpected token: '3'",
        ),
        ("SELECT Id FROM Lead LIMIT 1.5", "MALFORMED_QUERY", 1, 26, "unexpected token: '1.5'"),
        ("SELECT Id FROM Lead LIMIT -1", "MALFORMED_QUERY", 1, 26, "unexpected token: '-1'"),
        (
            "SELECT Id FROM Lead WHERE Name = 'a\\qb'",
            "MALFORMED_QUERY",
            1,
            34,
            "Invalid string literal 'a\\qb'. Illegal character sequence '\\q' in string literal.",
        ),
        ("SELECT Id FROM Lead WHERE Name IN ()", "MALFORMED_QUERY", 1, 36, "unexpected token: ')'"),
        (
            "SELECT Id FROM Lead FOR UPDATE",
            "MALFORMED_QUERY",
            1,
            25,
            "FOR UPDATE not allowed in this context",
        ),
        ("SELECT Id FROM Lead WITH NOTHING", "MALFORMED_QUERY", 1, 25, "unexpected token: 'NOTHING'"),
        (
            "SELECT Id FROM Lead WHERE CreatedDate > 2024-02-30",
            "MALFORMED_QUERY",
            1,
            41,
            "invalid date: 2024-02-30",
        ),
        ("SELECT Id FROM Lead WHERE Id = 5 5", "MALFORMED_QUERY", 1, 33, "unexpected token: '5'"),
        # Valid on their own, but the offset moves the instant outside years 1-9999 in UTC (was a 500).
        (
            "SELECT Id FROM Lead WHERE CreatedDate > 9999-12-31T23:59:59-01:00",
            "MALFORMED_QUERY",
            1,
            41,
            "invalid dateTime: 9999-12-31T23:59:59-01:00",
        ),
        (
            "SELECT Id FROM Lead WHERE CreatedDate > 0001-01-01T00:00:00+01:00",
            "MALFORMED_QUERY",
            1,
            41,
            "invalid dateTime: 0001-01-01T00:00:00+01:00",
        ),
        # NUL and lone surrogates: no database takes them (PostgreSQL DataError, UTF-8 encoding error).
        (
            "SELECT Id FROM Lead WHERE Name = 'a\x00b'",
            "MALFORMED_QUERY",
            1,
            34,
            "Invalid character U+0000 in string literal.",
        ),
        (
            "SELECT Id FROM Lead WHERE Name IN ('x', '\ud800')",
            "MALFORMED_QUERY",
            1,
            41,
            "Invalid character U+D800 in string literal.",
        ),
    ],
)
def test_malformed(soql: str, code: str, row: int, column: int, reason: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse(soql)
    error = caught.value
    assert (error.code, error.row, error.column) == (code, row, column)
    assert error.message.endswith(f"\nERROR at Row:{row}:Column:{column}\n{reason}")


@pytest.mark.parametrize(
    ("soql", "message"),
    [
        # Texts as Salesforce prints them (excerpt of the line, caret, position, reason).
        (
            "SELECT Id, FROM Account",
            "\nSELECT Id, FROM Account\n          ^\nERROR at Row:1:Column:11\nunexpected token: 'FROM'",
        ),
        (
            "SELECT Id FROM Account WHERE",
            "\nSELECT Id FROM Account WHERE\n                            ^\n"
            "ERROR at Row:1:Column:29\nunexpected token: '<EOF>'",
        ),
        (
            "SELECT Id FROM Lead WHERE Name = '' OR 1=1 --'",
            "\nName = '' OR 1=1 --\n            ^\nERROR at Row:1:Column:39\nunexpected token: '1'",
        ),
    ],
)
def test_error_message_layout(soql: str, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse(soql)
    assert caught.value.message == message


def test_offset_above_2000() -> None:
    assert parse("SELECT Id FROM Lead OFFSET 2000").offset == 2000
    with pytest.raises(QueryError) as caught:
        parse("SELECT Id FROM Lead OFFSET 2001")
    assert (caught.value.code, caught.value.message) == (
        "NUMBER_OUTSIDE_VALID_RANGE",
        "Maximum SOQL offset allowed is 2000",
    )


@pytest.mark.parametrize(
    "soql",
    [
        "SELECT Id FROM Lead WHERE Name = '' OR 1=1 --'",
        "SELECT Id FROM Lead WHERE Name = ''; DROP TABLE sobj_lead; --'",
        "SELECT Id FROM Lead; DROP TABLE sobj_lead",
        "SELECT Id FROM Lead WHERE Name = 'x' UNION SELECT Id FROM User",
        "SELECT Id FROM Lead WHERE Name = 'x'' OR ''1''=''1'",
        "SELECT Id FROM Lead -- comment",
        "SELECT Id FROM Lead /* comment */",
        'SELECT Id FROM sobj_lead"; DROP TABLE x; --',
        "SELECT * FROM Lead",
    ],
)
def test_injection_attempts_are_malformed(soql: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse(soql)
    assert caught.value.code == "MALFORMED_QUERY"


@pytest.mark.parametrize(
    ("soql", "value"),
    [
        (r"SELECT Id FROM Lead WHERE Name = '\'; DROP TABLE sobj_lead; --'", "'; DROP TABLE sobj_lead; --"),
        (r"SELECT Id FROM Lead WHERE Name = '\' OR 1=1 --'", "' OR 1=1 --"),
    ],
)
def test_injection_inside_a_string_stays_a_value(soql: str, value: str) -> None:
    assert _where(soql).value.value == value


@pytest.mark.parametrize(("soql", "fragment"), [
    ("SELECT Id FROM Lead WHERE " + "NOT " * 40 + "Name = 'x'", "nested more than 32 levels"),
    ("SELECT Id FROM Lead WHERE " + "NOT " * 5000 + "Name = 'x'", "nested more than 32 levels"),
    ("SELECT Id FROM Lead WHERE " + "(Name = 'x' AND (" * 40 + "Name = 'y'" + "))" * 40,
     "nested more than 32"),
    ("SELECT Id FROM Lead WHERE Name = '" + "x" * 100_000 + "'", "cannot be longer than 100,000 characters"),
])
def test_hostile_filters_are_refused_before_the_database(soql: str, fragment: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse(soql)
    assert caught.value.code == "MALFORMED_QUERY" and fragment in caught.value.message


def test_deep_but_reasonable_filters_parse() -> None:
    assert parse("SELECT Id FROM Lead WHERE " + "NOT " * 30 + "Name = 'x'").where is not None
    flat = parse("SELECT Id FROM Lead WHERE " + " OR ".join(["Name = 'x'"] * 500))
    assert len(flat.where.items) == 500
    # Redundant parentheses do not nest the filter.
    wrapped = parse("SELECT Id FROM Lead WHERE " + "(" * 5000 + "NOT Name = 'x' OR NOT Name = 'y'"
                    + ")" * 5000)
    assert isinstance(wrapped.where, ast.Or)


def test_unstorable_characters_are_never_echoed() -> None:
    with pytest.raises(QueryError) as caught:
        parse("SELECT Id FROM Lead WHERE Name = 'a\x00b' AND Id = \ud800")
    assert "\x00" not in caught.value.message and "\ufffd" in caught.value.message
    with pytest.raises(QueryError) as caught:
        parse("SELECT Id FROM Lead WHERE Name = 'ab' AND Id = \ud800")
    assert "\ud800" not in caught.value.message
    caught.value.message.encode("utf-8")  # a JSON or XML writer can send it


_NINES = "9" * 5000


@pytest.mark.parametrize(("soql", "check"), [
    # More digits than Python's int() converts (4,300): beyond every range, read as a huge number, not a 500.
    ("SELECT Id FROM Lead LIMIT " + _NINES, lambda q: q.limit > 10**4000),
    ("SELECT Id FROM Lead WHERE NumberOfEmployees < " + _NINES, lambda q: q.where.value.value > 10**4000),
    ("SELECT Id FROM Lead WHERE NumberOfEmployees > -" + _NINES, lambda q: q.where.value.value < -10**4000),
    ("SELECT Id FROM Lead WHERE AnnualRevenue > -" + "0" * 5000 + "7", lambda q: q.where.value.value == -7),
    ("SELECT Id FROM Lead WHERE CreatedDate = LAST_N_DAYS:" + _NINES, lambda q: q.where.value.n > 10**4000),
])
def test_numbers_of_any_length_parse(soql: str, check: Callable[[ast.Query], bool]) -> None:
    assert check(parse(soql))


def test_a_huge_offset_is_out_of_range_not_a_crash() -> None:
    with pytest.raises(QueryError) as caught:
        parse("SELECT Id FROM Lead OFFSET " + "9" * 5000)
    assert caught.value.code == "NUMBER_OUTSIDE_VALID_RANGE"


_DEEP = "The WHERE clause is nested more than 32 levels deep."


@pytest.mark.parametrize(("soql", "at", "message"), [
    # The length and depth refusals are laid out like every MALFORMED_QUERY: excerpt, caret, position.
    (
        "SELECT Id FROM Lead WHERE Name = '" + "x" * 100_000 + "'",
        (1, 1),
        "\nSELECT Id FROM Lead WHERE\n^\nERROR at Row:1:Column:1\n"
        "SOQL statements cannot be longer than 100,000 characters.",
    ),
    (
        "SELECT Id FROM Lead WHERE " + "NOT " * 40 + "Name = 'x'",
        (1, 21),
        f"\nSELECT Id FROM Lead WHERE NOT NOT NOT NOT\n{' ' * 20}^\nERROR at Row:1:Column:21\n{_DEEP}",
    ),
    (  # deep enough for lark's recursion to give out (RecursionError)
        "SELECT Id FROM Lead WHERE " + "NOT " * 5000 + "Name = 'x'",
        (1, 21),
        f"\nSELECT Id FROM Lead WHERE NOT NOT NOT NOT\n{' ' * 20}^\nERROR at Row:1:Column:21\n{_DEEP}",
    ),
    (
        "SELECT Id, Name\nFROM Lead\nwhere Name = 'WHERE' OR "
        + "(Name = 'x' AND (" * 40 + "Name = 'y'" + "))" * 40,
        (3, 1),
        f"\nwhere Name = 'WHERE' OR\n^\nERROR at Row:3:Column:1\n{_DEEP}",
    ),
])
def test_length_and_depth_errors_have_a_position(soql: str, at: tuple[int, int], message: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse(soql)
    error = caught.value
    assert (error.code, (error.row, error.column), error.message) == ("MALFORMED_QUERY", at, message)


def test_a_statement_over_the_limit_is_never_echoed_whole() -> None:
    soql = "'" + "x" * 200_000 + "'"
    with pytest.raises(QueryError) as caught:
        parse(soql)
    assert caught.value.code == "MALFORMED_QUERY" and len(caught.value.message) < 400


def test_a_long_token_next_to_an_error_is_cut() -> None:
    soql = "SELECT Id FROM Lead WHERE Name = '" + "x" * 50_000 + "' AND"
    with pytest.raises(QueryError) as caught:
        parse(soql)
    message = caught.value.message
    assert message.endswith(f"ERROR at Row:1:Column:{len(soql) + 1}\nunexpected token: '<EOF>'")
    excerpt, caret = message.split("\n")[1:3]
    assert len(excerpt) <= 200 and excerpt.endswith("xxx' AND") and caret == " " * len(excerpt) + "^"

"""SOQL names against the schema: canonical names, relationship paths, Salesforce's errors for bad ones."""

from __future__ import annotations

import datetime as dt

import pytest

from sfmock.core.errors import QueryError
from sfmock.soql.parser import parse
from sfmock.soql.resolve import Resolver
from sfmock.soql.translate import build_plan

NOW = dt.datetime(2024, 5, 15, 12, tzinfo=dt.UTC)
FIELD_HINT = (
    "If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. "
    "Please reference your WSDL or the describe call for the appropriate names."
)


def _criterion(field: str, type_name: str, *, quoted: bool) -> str:
    return (
        f"value of filter criterion for field '{field}' must be of type {type_name} and should "
        f"{'' if quoted else 'not '}be enclosed in quotes"
    )


def _plan(soql: str):
    return build_plan(parse(soql), "00D000000000001AAA", include_deleted=False, now=NOW)


def _error(soql: str) -> QueryError:
    with pytest.raises(QueryError) as caught:
        _plan(soql)
    return caught.value


@pytest.mark.parametrize(
    ("soql", "labels"),
    [
        ("select id, lastname, OWNER.name from LEAD", ["Id", "LastName", "Owner.Name"]),
        (
            "SELECT createdby.USERNAME, Parent.Subject, Parent.Owner.Email FROM case",
            ["CreatedBy.Username", "Parent.Subject", "Parent.Owner.Email"],
        ),
        ("SELECT Lead.Name FROM Lead", ["Name"]),
        ("SELECT Owner.Type, Owner.IsActive FROM Lead", ["Owner.Type", "Owner.IsActive"]),
        ("SELECT Owner.Alias, Owner.CreatedBy.Name FROM Group", ["Owner.Alias", "Owner.CreatedBy.Name"]),
    ],
)
def test_canonical_names(soql: str, labels: list[str]) -> None:
    resolver = Resolver(parse(soql))
    assert [c.label for c in resolver.fields()] == labels


def test_polymorphic_owner_is_typed_name() -> None:
    (owner,) = Resolver(parse("SELECT Owner.Name FROM Lead")).fields()[0].hops
    assert owner.polymorphic and owner.record_type == "Name"
    (creator,) = Resolver(parse("SELECT CreatedBy.Name FROM Lead")).fields()[0].hops
    assert creator.record_type == "User"


@pytest.mark.parametrize(
    ("soql", "code", "column", "reason"),
    [
        ("SELECT Foo FROM Lead", "INVALID_FIELD", 8, f"No such column 'Foo' on entity 'Lead'. {FIELD_HINT}"),
        (
            "SELECT Id FROM Foo",
            "INVALID_TYPE",
            16,
            "sObject type 'Foo' is not supported. If you are attempting to use a custom object, be sure to "
            "append the '__c' after the entity name. Please reference your WSDL or the describe call for the "
            "appropriate names.",
        ),
        (
            "SELECT Id, Foo.Name FROM Lead",
            "INVALID_FIELD",
            12,
            "Didn't understand relationship 'Foo' in field path. If you are attempting to use a custom "
            "relationship, be sure to append the '__r' after the custom relationship name. Please reference "
            "your WSDL or the describe call for the appropriate names.",
        ),
        ("SELECT OwnerId.Name FROM Lead", "INVALID_FIELD", 8, None),
        (
            "SELECT Owner.TimeZoneSidKey FROM Lead",
            "INVALID_FIELD",
            8,
            f"No such column 'TimeZoneSidKey' on entity 'Name'. {FIELD_HINT}",
        ),
        ("SELECT Owner.CreatedBy.Name FROM Lead", "INVALID_FIELD", 8, None),
        (
            "SELECT CreatedBy.Nope FROM Lead",
            "INVALID_FIELD",
            8,
            f"No such column 'Nope' on entity 'User'. {FIELD_HINT}",
        ),
        ("SELECT PasswordHash FROM User", "INVALID_FIELD", 8, None),
        ("SELECT Id FROM User WHERE SecurityToken = 'x'", "INVALID_FIELD", 27, None),
        ("SELECT Owner FROM Lead", "INVALID_FIELD", 8, None),
        ("SELECT Id FROM Lead WHERE Foo = 'x'", "INVALID_FIELD", 27, None),
        ("SELECT Id FROM Lead ORDER BY Foo", "INVALID_FIELD", 30, None),
        (
            "SELECT Id FROM Lead WHERE Description = 'x'",
            "INVALID_FIELD",
            27,
            "field 'Description' can not be filtered in a query call",
        ),
        (
            "SELECT Id FROM Lead ORDER BY Description",
            "INVALID_FIELD",
            30,
            "field 'Description' can not be sorted in a query call",
        ),
        (
            "SELECT Id FROM Lead WHERE NumberOfEmployees = '5'",
            "INVALID_FIELD",
            47,
            _criterion("NumberOfEmployees", "int", quoted=False),
        ),
        (
            "SELECT Id FROM Lead WHERE Name = 5",
            "INVALID_FIELD",
            34,
            _criterion("Name", "string", quoted=True),
        ),
        (
            "SELECT Id FROM Lead WHERE IsConverted = 'true'",
            "INVALID_FIELD",
            41,
            _criterion("IsConverted", "boolean", quoted=False),
        ),
        (
            "SELECT Id FROM Lead WHERE CreatedDate = 2024-01-01",
            "INVALID_FIELD",
            41,
            _criterion("CreatedDate", "dateTime", quoted=False),
        ),
        (
            "SELECT Id FROM Lead WHERE Id = 'abc'",
            "INVALID_QUERY_FILTER_OPERATOR",
            32,
            "invalid ID field: abc",
        ),
        (
            "SELECT Id FROM Lead WHERE OwnerId IN ('005000000000001AAA', 'nope')",
            "INVALID_QUERY_FILTER_OPERATOR",
            61,
            "invalid ID field: nope",
        ),
        (
            "SELECT Id FROM Lead WHERE Id LIKE '00Q%'",
            "INVALID_QUERY_FILTER_OPERATOR",
            27,
            "invalid operator on id field",
        ),
        (
            "SELECT Id FROM Lead WHERE IsConverted > false",
            "INVALID_QUERY_FILTER_OPERATOR",
            27,
            "invalid operator on boolean field",
        ),
        (
            "SELECT Id FROM Lead WHERE Name INCLUDES ('a')",
            "INVALID_QUERY_FILTER_OPERATOR",
            27,
            "includes or excludes operator only valid on multipicklist field",
        ),
        (
            "SELECT COUNT(), Id FROM Lead",
            "MALFORMED_QUERY",
            8,
            "COUNT() must be the only element in the SELECT list",
        ),
        (
            "SELECT COUNT(Id), Name FROM Lead",
            "MALFORMED_QUERY",
            19,
            "Field must be grouped or aggregated: Name",
        ),
    ],
)
def test_errors(soql: str, code: str, column: int, reason: str | None) -> None:
    error = _error(soql)
    assert (error.code, error.row, error.column) == (code, 1, column)
    assert f"\nERROR at Row:1:Column:{column}\n" in error.message
    if reason is not None:
        assert error.message.endswith(f"\n{reason}")


def test_error_excerpt_and_caret() -> None:
    assert _error("SELECT Foo FROM Lead").message == (
        "\nSELECT Foo FROM Lead\n       ^\nERROR at Row:1:Column:8\n"
        f"No such column 'Foo' on entity 'Lead'. {FIELD_HINT}"
    )


def test_duplicate_field() -> None:
    error = _error("SELECT Id, Name, id FROM Lead")
    assert (error.code, error.message) == ("INVALID_FIELD", "duplicate field selected: Id")


def test_fifteen_char_ids_are_accepted() -> None:
    _plan("SELECT Id FROM Lead WHERE Id = '00Q000000000001' AND OwnerId != null")

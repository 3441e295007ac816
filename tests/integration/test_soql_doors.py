"""SOQL literals and statements that used to end in a 500 (or echo the whole statement), through both doors
on the demo database: REST /query and the SOAP query call give the same MALFORMED_QUERY text."""

from __future__ import annotations

import pytest
from lxml import etree

from tests.contract.test_soap_shapes import NS, Soap, soap
from tests.integration.test_rest_fixtures import api, errors_of

__all__ = ["api", "soap"]

TOO_LONG = "SELECT Id FROM Lead WHERE Name = '" + "x" * 100_000 + "'"
TOO_DEEP = "SELECT Id FROM Lead WHERE " + "NOT " * 5000 + "Name = 'x'"
_DEEP = "The WHERE clause is nested more than 32 levels deep."


@pytest.mark.parametrize(
    "soql",
    [
        "SELECT Id FROM Lead WHERE NumberOfEmployees = 9999999999",  # PostgreSQL: integer out of range
        "SELECT Id FROM Lead WHERE NumberOfEmployees > 99999999999999999999",  # SQLite: OverflowError
        "SELECT Id FROM Lead WHERE AnnualRevenue < " + "9" * 5000,  # int() refuses 4,300+ digits
        "SELECT Id FROM Lead WHERE CreatedDate = LAST_N_DAYS:999999999",
        "SELECT Id FROM Lead WHERE CreatedDate = N_DAYS_AGO:3000000",
        "SELECT Id FROM Lead WHERE CreatedDate = NEXT_N_YEARS:99999999",
    ],
)
def test_literals_beyond_every_range_answer(api, soql: str) -> None:
    response = api.get("/query", params={"q": soql})
    assert response.status_code == 200, response.text
    assert response.json()["done"] is True


@pytest.mark.parametrize(
    ("soql", "message"),
    [
        (
            "SELECT Id FROM Lead WHERE CreatedDate > 9999-12-31T23:59:59-01:00",
            "\nLead WHERE CreatedDate > 9999-12-31T23:59:59-01:00\n" + " " * 25 + "^\n"
            "ERROR at Row:1:Column:41\ninvalid dateTime: 9999-12-31T23:59:59-01:00",
        ),
        (
            "SELECT Id FROM Lead WHERE Name = 'a\x00b'",
            "\nLead WHERE Name = 'a\ufffdb'\n" + " " * 18 + "^\n"
            "ERROR at Row:1:Column:34\nInvalid character U+0000 in string literal.",
        ),
        # (No statement over 100,000 characters here: no client sends a URL that long; SOAP below does.)
        (
            TOO_DEEP,
            f"\nSELECT Id FROM Lead WHERE NOT NOT NOT NOT\n{' ' * 20}^\nERROR at Row:1:Column:21\n{_DEEP}",
        ),
    ],
)
def test_rest_malformed_query(api, soql: str, message: str) -> None:
    response = api.get("/query", params={"q": soql})
    assert response.status_code == 400
    assert errors_of(response) == [("MALFORMED_QUERY", message)]


@pytest.mark.parametrize(
    ("soql", "row_column", "tail"),
    [
        (
            "SELECT Id FROM Lead WHERE CreatedDate > 0001-01-01T00:00:00+01:00",
            ("1", "41"),
            "invalid dateTime: 0001-01-01T00:00:00+01:00",
        ),
        (TOO_LONG, ("1", "1"), "cannot be longer than 100,000 characters."),
        (TOO_DEEP, ("1", "21"), _DEEP),
    ],
)
def test_soap_malformed_query(soap: Soap, soql: str, row_column: tuple[str, str], tail: str) -> None:
    session = soap.login()
    escaped = soql.replace("&", "&amp;").replace("<", "&lt;")
    response = soap.call(f"<u:query><u:queryString>{escaped}</u:queryString></u:query>", session)
    assert response.status_code == 500
    detail = etree.fromstring(response.content).find(".//f:MalformedQueryFault", NS)
    assert detail is not None, response.text
    found = (detail.findtext("f:row", namespaces=NS), detail.findtext("f:column", namespaces=NS))
    assert found == row_column
    message = detail.findtext("f:exceptionMessage", namespaces=NS)
    assert message.endswith(tail) and len(message) < 400  # never the whole statement

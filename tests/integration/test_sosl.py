"""SOSL against a real database (SQLite FTS5; PostgreSQL tsvector when SFMOCK_TEST_DATABASE_URL is set), on
the corpus module's Leads and Cases; each expected answer is computed here from those rows. The index follows
writes made straight in SQL (insert, update, delete), so no write path can leave it behind."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
import sqlalchemy as sa

from sfmock.core import ids
from sfmock.core.errors import QueryError
from sfmock.persistence.tables import table_for
from sfmock.soql.engine import QueryRecord
from sfmock.soql.sosl import run_search
from tests.integration import soql_wire
from tests.integration.test_soql_corpus import CASES, LEADS, NOW, ORG, QUEUE, USERS, conn, engine, wire

__all__ = ["conn", "engine", "wire"]

Search = Callable[[str], list[QueryRecord]]


@pytest.fixture(params=["engine", "rest", "soap"])
def search(request: pytest.FixtureRequest, engine: sa.Engine) -> Search:
    """Runs one search by the engine (in the test's rolled-back transaction) or through REST /search or SOAP
    search() (tests/integration/soql_wire.py)."""
    if request.param == "engine":
        connection = request.getfixturevalue("conn")
        return lambda sosl: run_search(connection, ORG, sosl, now=NOW)
    client, soap, token = request.getfixturevalue("wire")
    if request.param == "rest":
        return lambda sosl: soql_wire.rest_search(client, token, sosl)
    return lambda sosl: soql_wire.soap_search(soap, token, sosl)


def _words(*values: object) -> set[str]:
    return {w.lower() for v in values if isinstance(v, str) for w in re.findall(r"[^\W_]+", v)}


def _lead_text(lead: dict, group: str) -> set[str]:
    if group == "NAME":
        return _words(lead["Name"], lead["LastName"], lead["Company"])
    if group == "EMAIL":
        return _words(lead["Email"])
    return _words(lead["Name"], lead["LastName"], lead["Company"], lead["Email"], lead["City"])


def _found(search: Search | sa.Connection, sosl: str) -> list[tuple[str, str]]:
    """(object, Id) of what a search finds; RETURNING lists must select Id (the Partner API's record Id is nil
    unless selected), and a RETURNING object without a list returns its Id."""
    if isinstance(search, sa.Connection):
        return [(r.sobject, r.id) for r in run_search(search, ORG, sosl, now=NOW)]
    return [(r.sobject, r.get("Id")) for r in search(sosl)]


def _leads(keep: Callable[[dict], bool]) -> list[tuple[str, str]]:
    return [("Lead", r["Id"]) for r in sorted(LEADS, key=lambda r: r["Id"]) if keep(r)]


@pytest.mark.parametrize(
    ("term", "keep"),
    [
        ("lead07", lambda words: "lead07" in words),
        ("LEAD07", lambda words: "lead07" in words),
        ("lead1*", lambda words: any(w.startswith("lead1") for w in words)),
        ("co3", lambda words: "co3" in words),
        ("co3 lead08", lambda words: {"co3", "lead08"} <= words),
        ("co3 AND lead08", lambda words: {"co3", "lead08"} <= words),
        ("co3 OR co4", lambda words: bool({"co3", "co4"} & words)),
        ("co3 AND NOT lead03", lambda words: "co3" in words and "lead03" not in words),
        (
            "(co1 OR co2) AND NOT lead0*",
            lambda words: bool({"co1", "co2"} & words) and not any(w.startswith("lead0") for w in words),
        ),
        ("x2.example", lambda words: {"x2", "example"} <= words),
        ('"x2 example"', lambda words: {"x2", "example"} <= words),
        ("paris", lambda words: "paris" in words),
        ("rome", lambda words: "rome" in words),
        ("nothing", lambda words: False),
    ],
)
@pytest.mark.parametrize("group", ["ALL", "NAME", "EMAIL"])
def test_find_leads(search: Search, term: str, keep: Callable, group: str) -> None:
    got = _found(search, f"FIND {{{term}}} IN {group} FIELDS RETURNING Lead(Id)")
    assert got == _leads(lambda r: keep(_lead_text(r, group)))


@pytest.mark.parametrize(
    ("returning", "keep"),
    [
        ("Lead(Id WHERE Rating = 'Hot')", lambda r: r["Rating"] == "Hot"),
        ("Lead(Id WHERE NumberOfEmployees > 100 ORDER BY Id)", lambda r: (r["NumberOfEmployees"] or 0) > 100),
        ("Lead(Id WHERE OwnerId IN (SELECT Id FROM Group))", lambda r: r["OwnerId"] == QUEUE),
    ],
)
def test_returning_with_where(search: Search, returning: str, keep: Callable) -> None:
    got = _found(search, f"FIND {{co1 OR co2}} RETURNING {returning}")
    assert got == _leads(lambda r: r["Company"] in ("Co1", "Co2") and keep(r))


def test_returning_fields_order_and_limits(conn: sa.Connection) -> None:
    records = run_search(
        conn, ORG, "FIND {co2} RETURNING Lead(LastName, Owner.Name ORDER BY LastName DESC LIMIT 3)", now=NOW
    )
    expected = sorted((r for r in LEADS if r["Company"] == "Co2"), key=lambda r: r["LastName"], reverse=True)[
        :3
    ]
    assert [r.get("LastName") for r in records] == [r["LastName"] for r in expected]
    owner = records[0].get("Owner")
    first = expected[0]["OwnerId"]
    assert owner.get("Name") == ("Corpus Queue" if first == QUEUE else " ".join(USERS[first]))


def test_overall_limit_and_object_order(search: Search) -> None:
    got = _found(search, "FIND {root* OR co1} RETURNING Case(Id), Lead(Id) LIMIT 4")
    cases = [
        ("Case", c["Id"]) for c in sorted(CASES, key=lambda c: c["Id"]) if c["Subject"].startswith("Root")
    ]
    assert got == (cases + _leads(lambda r: r["Company"] == "Co1"))[:4]


def test_without_returning_every_searchable_object_answers(search: Search) -> None:
    got = _found(search, "FIND {archer}")
    assert got == [("User", next(uid for uid, names in USERS.items() if "Archer" in names))]


def test_deleted_records_are_not_found(search: Search) -> None:
    assert _found(search, "FIND {gone} RETURNING Lead") == []


def test_index_follows_inserts_updates_and_deletes(conn: sa.Connection) -> None:
    lead = dict(LEADS[0])
    table = table_for("Lead")
    conn.execute(sa.update(table).where(table.c.Id == lead["Id"]).values(Company="Zeppelin Works"))
    assert _found(conn, "FIND {zeppelin} RETURNING Lead") == [("Lead", lead["Id"])]
    assert ("Lead", lead["Id"]) not in _found(conn, f"FIND {{{LEADS[0]['Company']}}} RETURNING Lead")
    conn.execute(sa.delete(table).where(table.c.Id == lead["Id"]))
    assert _found(conn, "FIND {zeppelin} RETURNING Lead") == []


@pytest.mark.parametrize(
    ("sosl", "code", "text"),
    [
        ("FIND {a}", "INVALID_SEARCH", "search term must be longer than one character: a"),
        ("FIND {a*}", "INVALID_SEARCH", "search term must be longer than one character: a*"),
        (
            "FIND lead07",
            "MALFORMED_SEARCH",
            "No search term found. The search term must be enclosed in braces.",
        ),
        (
            "FIND {lead07} RETURNING",
            "MALFORMED_SEARCH",
            "ERROR at Row:1:Column:24\nunexpected token: '<EOF>'",
        ),
        ("FIND {lead07} IN WHATEVER FIELDS", "MALFORMED_SEARCH", "unexpected token: 'WHATEVER'"),
        ("FIND {lead07} RETURNING Lead(Nope)", "INVALID_FIELD", "No such column 'Nope' on entity 'Lead'"),
        ("FIND {lead07} RETURNING Nope", "INVALID_TYPE", "sObject type 'Nope' is not supported"),
        ("FIND {lead07} RETURNING Group", "INVALID_TYPE", "entity type Group does not support search"),
        ("FIND {(lead07}", "MALFORMED_SEARCH", "Invalid search term: (lead07"),
        ("FIND {lead07 OR}", "MALFORMED_SEARCH", "Invalid search term: lead07 OR"),
        (
            "FIND {lead07} RETURNING Lead(COUNT(Id))",
            "MALFORMED_SEARCH",
            "Aggregate functions and subqueries are not allowed in RETURNING",
        ),
    ],
)
def test_errors(search: Search, sosl: str, code: str, text: str) -> None:
    with pytest.raises(QueryError) as caught:
        search(sosl)
    assert caught.value.code == code
    assert text in caught.value.message


@pytest.mark.parametrize(("sobject", "slot"), [("Lead", "cf_string_40"), ("Case", "cf_text_01"),
                                               ("Account", "cf_string_01"), ("Contact", "cf_text_10")])
def test_custom_field_slots_are_searched(conn: sa.Connection, sobject: str, slot: str) -> None:
    """Every text slot column a custom field may be mapped to is in the index (ALL FIELDS), so a field an org
    adds later is searched without rebuilding anything; a number slot is not text and is not searched."""
    table = table_for(sobject)
    record_id = {"Lead": LEADS[3]["Id"], "Case": CASES[2]["Id"]}.get(sobject)
    if record_id is None:
        record_id = ids.make_id("001" if sobject == "Account" else "003", 7, 900)
        required = {"Name": "Slot Co"} if sobject == "Account" else {"LastName": "Slot", "Name": "Slot"}
        user = next(iter(USERS))
        conn.execute(sa.insert(table).values(org_id=ORG, Id=record_id, IsDeleted=False, CreatedDate=NOW,
                                             CreatedById=user, LastModifiedDate=NOW, LastModifiedById=user,
                                             SystemModstamp=NOW, **required))
    conn.execute(sa.update(table).where(table.c.Id == record_id).values({slot: "Marmalade-9 jar"}))
    assert _found(conn, f"FIND {{marmalade}} RETURNING {sobject}") == [(sobject, record_id)]
    assert _found(conn, f'FIND {{"marmalade 9"}} IN ALL FIELDS RETURNING {sobject}') == [(sobject, record_id)]
    assert _found(conn, f"FIND {{marmalade}} IN NAME FIELDS RETURNING {sobject}") == []
    conn.execute(sa.update(table).where(table.c.Id == record_id).values({slot: None, "cf_number_01": 4242}))
    assert _found(conn, f"FIND {{marmalade OR 4242}} RETURNING {sobject}") == []

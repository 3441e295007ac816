"""The SOQL engine against a real database (SQLite; PostgreSQL too when SFMOCK_TEST_DATABASE_URL is set):
tables from metadata.create_all, a few Leads/Users/Groups/Cases in two orgs, 2,500 Leads in a third."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from sfmock.core import ids
from sfmock.core.errors import QueryError
from sfmock.persistence.tables import orgs, query_cursors, table_for
from sfmock.soql import QueryRecord, query_more, run_query
from tests.databases import backends, rolled_back, seeded_engine

UTC = dt.UTC
NOW = dt.datetime(2024, 5, 15, 12, 0, tzinfo=UTC)  # a Wednesday
ORG_A, ORG_B, ORG_C = (ids.make_id("00D", n, n) for n in (1, 2, 3))
ANN, BOB = ids.make_id("005", 1, 1), ids.make_id("005", 2, 1)
QUEUE = ids.make_id("00G", 1, 1)
L1, L2, L3, L4, L5 = (ids.make_id("00Q", 1, n) for n in range(1, 6))
LB = ids.make_id("00Q", 2, 1)
C1, C2 = ids.make_id("500", 1, 1), ids.make_id("500", 1, 2)


def _ago(**kw: float) -> dt.datetime:
    return (NOW - dt.timedelta(**kw)).replace(tzinfo=None)


def _system(org: str, record_id: str, created: dt.datetime, deleted: bool = False) -> dict:
    return {
        "org_id": org,
        "Id": record_id,
        "IsDeleted": deleted,
        "CreatedDate": created,
        "CreatedById": ANN,
        "LastModifiedDate": created,
        "LastModifiedById": ANN,
        "SystemModstamp": created,
    }


def _seed(conn: sa.Connection) -> None:
    conn.execute(
        sa.insert(orgs),
        [
            {"id": org, "number": n, "name": f"Org {n}", "settings": "{}", "created_at": _ago(days=400)}
            for n, org in enumerate((ORG_A, ORG_B, ORG_C), start=1)
        ],
    )
    conn.execute(
        sa.insert(table_for("User")),
        [
            {
                **_system(ORG_A, ANN, _ago(days=300)),
                "Username": "ann@a.example",
                "LastName": "Smith",
                "FirstName": "Ann",
                "Name": "Ann Smith",
                "Email": "ann@a.example",
                "IsActive": True,
            },
            {
                **_system(ORG_B, BOB, _ago(days=300)),
                "Username": "bob@b.example",
                "LastName": "Jones",
                "FirstName": "Bob",
                "Name": "Bob Jones",
                "Email": "bob@b.example",
                "IsActive": True,
            },
        ],
    )
    conn.execute(
        sa.insert(table_for("Group")),
        [
            {
                **_system(ORG_A, QUEUE, _ago(days=300)),
                "Name": "Support Queue",
                "DeveloperName": "Support",
                "Type": "Queue",
                "Email": "support@a.example",
                "OwnerId": ANN,
            },
        ],
    )
    lead = {
        "Email": None,
        "City": None,
        "NumberOfEmployees": None,
        "AnnualRevenue": None,
        "Rating": None,
        "Status": "Open - Not Contacted",
        "IsConverted": False,
    }
    conn.execute(
        sa.insert(table_for("Lead")),
        [
            {
                **_system(ORG_A, L1, _ago(hours=1)),
                **lead,
                "LastName": "Smith",
                "Name": "Smith",
                "Company": "Acme",
                "Email": "smith@acme.example",
                "OwnerId": ANN,
                "City": "Paris",
                "NumberOfEmployees": 10,
                "AnnualRevenue": 1000.0,
                "Rating": "Hot",
            },
            {
                **_system(ORG_A, L2, _ago(days=10)),
                **lead,
                "LastName": "O'Brien",
                "Name": "O'Brien",
                "Company": "Globex",
                "OwnerId": QUEUE,
                "Rating": "Warm",
            },
            {
                **_system(ORG_A, L3, _ago(days=40)),
                **lead,
                "LastName": "smithers",
                "Name": "smithers",
                "Company": "Initech 100%",
                "Email": "s@initech.example",
                "OwnerId": ANN,
                "City": "paris",
                "NumberOfEmployees": 250,
                "AnnualRevenue": 5.5,
            },
            {
                **_system(ORG_A, L4, _ago(days=2), deleted=True),
                **lead,
                "LastName": "Deleted",
                "Name": "Deleted",
                "Company": "Gone",
                "OwnerId": ANN,
            },
            {
                **_system(ORG_A, L5, dt.datetime(2023, 1, 1)),
                **lead,
                "LastName": "Under_score",
                "Name": "Under_score",
                "Company": "Umbrella",
                "OwnerId": QUEUE,
                "City": "Berlin",
                "NumberOfEmployees": 5,
                "Rating": "Cold",
                "IsConverted": True,
            },
            {
                **_system(ORG_B, LB, _ago(hours=2)),
                **lead,
                "LastName": "Smith",
                "Name": "Smith",
                "Company": "Acme B",
                "OwnerId": BOB,
                "City": "Paris",
            },
        ],
    )
    conn.execute(
        sa.insert(table_for("Case")),
        [
            {
                **_system(ORG_A, C1, _ago(days=3)),
                "CaseNumber": "00001000",
                "Subject": "Parent case",
                "OwnerId": QUEUE,
                "ParentId": None,
                "Status": "New",
            },
            {
                **_system(ORG_A, C2, _ago(days=1)),
                "CaseNumber": "00001001",
                "Subject": "Child case",
                "OwnerId": ANN,
                "ParentId": C1,
                "Status": "New",
            },
        ],
    )
    conn.execute(
        sa.insert(table_for("Lead")),
        [
            {
                **_system(ORG_C, ids.make_id("00Q", 3, n), _ago(days=1)),
                **lead,
                "LastName": f"P{n:04}",
                "Name": f"P{n:04}",
                "Company": "Bulk",
                "OwnerId": ANN,
            }
            for n in range(1, 2501)
        ],
    )


@pytest.fixture(scope="module", params=backends())
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[sa.Engine]:
    with seeded_engine(request.param, tmp_path_factory.mktemp("soql"), _seed) as engine:
        yield engine


@pytest.fixture
def conn(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A connection whose work (cursor rows) is rolled back after the test."""
    with rolled_back(engine) as connection:
        yield connection


def _ids(conn: sa.Connection, soql: str, org: str = ORG_A, **kw: object) -> list[str]:
    return [r.id for r in run_query(conn, org, soql, now=NOW, **kw).records]


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("LastName = 'SMITH'", [L1]),
        ("lastname = 'o\\'brien'", [L2]),
        ("LastName != 'smith'", [L2, L3, L5]),
        ("LastName LIKE 'smith%'", [L1, L3]),
        ("LastName LIKE '%\\_%'", [L5]),
        ("LastName LIKE 'UNDER_SCORE'", [L5]),
        ("Company LIKE '%100\\%'", [L3]),
        ("City IN ('PARIS', 'Rome')", [L1, L3]),
        ("City NOT IN ('paris')", [L2, L5]),
        ("City IN ('Berlin', null)", [L2, L5]),
        ("City = null", [L2]),
        ("City != null", [L1, L3, L5]),
        ("City != 'Paris'", [L2, L5]),
        ("NOT City = 'Paris'", [L2, L5]),
        ("NOT (City = 'Paris' OR City = 'Berlin')", [L2]),
        ("(City = 'Paris' OR Rating = 'Cold') AND NumberOfEmployees < 100", [L1, L5]),
        ("NumberOfEmployees > 5", [L1, L3]),
        ("NumberOfEmployees >= 5 AND NumberOfEmployees <= 10", [L1, L5]),
        ("AnnualRevenue >= 1000", [L1]),
        ("AnnualRevenue < 1000.5", [L1, L3]),
        ("IsConverted = true", [L5]),
        ("IsConverted = FALSE", [L1, L2, L3]),
        ("Rating IN ('hot', 'warm')", [L1, L2]),
        ("Rating > 'hot'", [L2]),
        ("CreatedDate = TODAY", [L1]),
        ("CreatedDate = YESTERDAY", []),
        ("CreatedDate = LAST_N_DAYS:30", [L1, L2]),
        ("CreatedDate = LAST_N_DAYS:40", [L1, L2, L3]),
        ("CreatedDate != LAST_N_DAYS:30", [L3, L5]),
        ("CreatedDate < LAST_N_DAYS:30", [L3, L5]),
        ("CreatedDate = N_DAYS_AGO:10", [L2]),
        ("CreatedDate = THIS_MONTH", [L1, L2]),
        ("CreatedDate = LAST_MONTH", [L3]),
        ("CreatedDate < THIS_YEAR", [L5]),
        ("CreatedDate = LAST_YEAR", [L5]),
        ("CreatedDate > TODAY", []),
        ("CreatedDate >= TODAY", [L1]),
        ("CreatedDate IN (TODAY, LAST_YEAR)", [L1, L5]),
        ("CreatedDate < 2024-01-01T00:00:00Z", [L5]),
        ("CreatedDate > 2024-05-05T00:00:00+02:00", [L1, L2]),
        ("CreatedDate = 2023-01-01T00:00:00.000Z", [L5]),
        (f"Id = '{L2[:15]}'", [L2]),
        (f"Id = '{L2.lower()}'", [L2]),
        (f"OwnerId IN ('{QUEUE}')", [L2, L5]),
        ("Owner.Name = 'support queue'", [L2, L5]),
        ("Owner.Name LIKE 'ann%'", [L1, L3]),
        ("Owner.Type = 'Queue'", [L2, L5]),
        ("Owner.Type = 'User'", [L1, L3]),
        ("Owner.Username = null", [L2, L5]),
        ("CreatedBy.Name = 'Ann Smith' AND City = 'Berlin'", [L5]),
    ],
)
def test_filters(conn: sa.Connection, where: str, expected: list[str]) -> None:
    assert sorted(_ids(conn, f"SELECT Id FROM Lead WHERE {where}")) == sorted(expected)


_HUGE = "9" * 5000  # more digits than Python's int() converts


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        # Numbers outside an int field's 32 bits (PostgreSQL: integer out of range; SQLite overflows past
        # 64 bits) or a double's range compare as mathematics says. NumberOfEmployees: L1 10, L3 250, L5 5.
        ("NumberOfEmployees = 9999999999", []),
        ("NumberOfEmployees = 99999999999999999999", []),
        ("NumberOfEmployees < 9999999999", [L1, L3, L5]),
        ("NumberOfEmployees <= 99999999999999999999", [L1, L3, L5]),
        ("NumberOfEmployees > -9999999999", [L1, L3, L5]),
        ("NumberOfEmployees > 9999999999", []),
        ("NumberOfEmployees != 9999999999", [L1, L2, L3, L5]),
        ("NumberOfEmployees IN (10, 9999999999)", [L1]),
        ("NumberOfEmployees NOT IN (-99999999999999999999)", [L1, L2, L3, L5]),
        ("NumberOfEmployees > 2147483647", []),
        ("NumberOfEmployees > -2147483648", [L1, L3, L5]),
        ("NumberOfEmployees = 10.0", [L1]),
        ("NumberOfEmployees > 9.5", [L1, L3]),
        (f"NumberOfEmployees < {_HUGE}", [L1, L3, L5]),
        (f"NumberOfEmployees > -{_HUGE}", [L1, L3, L5]),
        (f"AnnualRevenue < {_HUGE}", [L1, L3]),
        (f"AnnualRevenue = {'9' * 400}", []),
        (f"AnnualRevenue > -{'9' * 400}.5", [L1, L3]),
        ("AnnualRevenue < 99999999999999999999", [L1, L3]),
        # Date literals reaching past the calendar are cut at its ends.
        ("CreatedDate = LAST_N_DAYS:999999999", [L1, L2, L3, L5]),
        ("CreatedDate = N_DAYS_AGO:3000000", []),
        ("CreatedDate < N_DAYS_AGO:3000000", []),
        ("CreatedDate > N_WEEKS_AGO:3000000", [L1, L2, L3, L5]),
        ("CreatedDate < NEXT_N_YEARS:99999999", [L1, L2, L3, L5]),
        ("CreatedDate > NEXT_N_YEARS:99999999", []),
        ("CreatedDate = LAST_N_YEARS:99999999", [L5]),
        (f"CreatedDate = LAST_N_MONTHS:{_HUGE}", [L3, L5]),
    ],
)
def test_filters_beyond_every_range(conn: sa.Connection, where: str, expected: list[str]) -> None:
    assert sorted(_ids(conn, f"SELECT Id FROM Lead WHERE {where}")) == sorted(expected)


def test_limit_beyond_every_range(conn: sa.Connection) -> None:
    assert len(_ids(conn, f"SELECT Id FROM Lead LIMIT {_HUGE}")) == 4
    assert run_query(conn, ORG_A, f"SELECT COUNT() FROM Lead LIMIT {_HUGE}").total_size == 4


@pytest.mark.parametrize(
    ("where", "row_column"),
    [
        ("CreatedDate > 9999-12-31T23:59:59-01:00", (1, 41)),
        ("CreatedDate > 0001-01-01T00:00:00+01:00", (1, 41)),
        ("Name = 'a\x00b'", (1, 34)),  # PostgreSQL refuses NUL in text
        ("Name LIKE '%\x00'", (1, 37)),
        ("City IN ('Paris', '\ud800')", (1, 45)),  # not encodable as UTF-8
    ],
)
def test_literals_no_database_takes_are_malformed(
    conn: sa.Connection, where: str, row_column: tuple[int, int]
) -> None:
    with pytest.raises(QueryError) as caught:
        run_query(conn, ORG_A, f"SELECT Id FROM Lead WHERE {where}", now=NOW)
    assert (caught.value.code, (caught.value.row, caught.value.column)) == ("MALFORMED_QUERY", row_column)
    assert run_query(conn, ORG_A, "SELECT COUNT() FROM Lead").total_size == 4


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("City", [L2, L5, L1, L3]),  # ASC: nulls first, case-insensitive, ties by Id
        ("City DESC", [L1, L3, L5, L2]),  # DESC: nulls last
        ("City ASC NULLS LAST", [L5, L1, L3, L2]),
        ("City DESC NULLS FIRST", [L2, L1, L3, L5]),
        ("NumberOfEmployees DESC, LastName", [L3, L1, L5, L2]),
        ("Owner.Name, LastName DESC", [L3, L1, L5, L2]),
        ("CreatedDate", [L5, L3, L2, L1]),
    ],
)
def test_order_by(conn: sa.Connection, order: str, expected: list[str]) -> None:
    assert _ids(conn, f"SELECT Id FROM Lead ORDER BY {order}") == expected


def test_limit_and_offset(conn: sa.Connection) -> None:
    page = run_query(conn, ORG_A, "SELECT Id FROM Lead ORDER BY LastName LIMIT 2 OFFSET 1", now=NOW)
    assert (page.total_size, page.done, [r.id for r in page.records]) == (2, True, [L1, L3])
    assert _ids(conn, "SELECT Id FROM Lead ORDER BY LastName OFFSET 3") == [L5]
    assert _ids(conn, "SELECT Id FROM Lead LIMIT 0") == []


def test_record_shape_and_values(conn: sa.Connection) -> None:
    page = run_query(
        conn,
        ORG_A,
        "SELECT Name, Owner.Name, Id, CreatedDate, NumberOfEmployees, AnnualRevenue, "
        "IsConverted, Owner.Email, Email FROM Lead WHERE Id = '" + L1 + "'",
        now=NOW,
    )
    (record,) = page.records
    assert record.sobject == "Lead" and record.id == L1
    assert [name for name, _ in record.fields] == [
        "Name",
        "Owner",
        "Id",
        "CreatedDate",
        "NumberOfEmployees",
        "AnnualRevenue",
        "IsConverted",
        "Email",
    ]
    owner = record.get("owner")
    assert owner == QueryRecord("Name", ANN, [("Name", "Ann Smith"), ("Email", "ann@a.example")])
    assert record.get("CreatedDate") == NOW - dt.timedelta(hours=1)
    assert record.get("CreatedDate").tzinfo is not None
    assert (record.get("NumberOfEmployees"), record.get("AnnualRevenue"), record.get("IsConverted")) == (
        10,
        1000.0,
        False,
    )
    assert type(record.get("NumberOfEmployees")) is int and type(record.get("IsConverted")) is bool


def test_owner_for_user_and_queue(conn: sa.Connection) -> None:
    page = run_query(
        conn,
        ORG_A,
        "SELECT LastName, Owner.Name, Owner.Type, Owner.Username FROM Lead "
        "WHERE Id IN ('" + L1 + "', '" + L2 + "') ORDER BY LastName",
        now=NOW,
    )
    o_brien, smith = page.records
    assert o_brien.get("Owner") == QueryRecord(
        "Name", QUEUE, [("Name", "Support Queue"), ("Type", "Queue"), ("Username", None)]
    )
    assert smith.get("Owner") == QueryRecord(
        "Name", ANN, [("Name", "Ann Smith"), ("Type", "User"), ("Username", "ann@a.example")]
    )


def test_parent_relationships(conn: sa.Connection) -> None:
    page = run_query(
        conn,
        ORG_A,
        "SELECT Subject, Parent.Subject, Parent.Owner.Name, CreatedBy.Username FROM Case ORDER BY Subject",
        now=NOW,
    )
    child, parent = page.records
    assert child.get("Parent") == QueryRecord(
        "Case",
        C1,
        [("Subject", "Parent case"), ("Owner", QueryRecord("Name", QUEUE, [("Name", "Support Queue")]))],
    )
    assert child.get("CreatedBy") == QueryRecord("User", ANN, [("Username", "ann@a.example")])
    assert parent.get("Parent") is None
    assert _ids(conn, "SELECT Id FROM Case WHERE Parent.Subject LIKE 'parent%'") == [C2]


def test_count(conn: sa.Connection) -> None:
    page = run_query(conn, ORG_A, "SELECT COUNT() FROM Lead", now=NOW)
    assert (page.total_size, page.done, page.records, page.locator) == (4, True, [], None)
    assert run_query(conn, ORG_A, "SELECT COUNT() FROM Lead", include_deleted=True).total_size == 5
    assert run_query(conn, ORG_A, "SELECT COUNT() FROM Lead WHERE Owner.Type = 'Queue'").total_size == 2
    assert run_query(conn, ORG_A, "SELECT COUNT() FROM Lead LIMIT 3").total_size == 3
    assert run_query(conn, ORG_C, "SELECT COUNT() FROM Lead").total_size == 2500


def test_count_of_fields(conn: sa.Connection) -> None:
    page = run_query(conn, ORG_A, "SELECT COUNT(Id), COUNT(Email) emails, COUNT(City) FROM Lead")
    assert page.total_size == 1
    assert page.records == [QueryRecord("AggregateResult", None, [("expr0", 4), ("emails", 2), ("expr1", 3)])]


def test_org_isolation(conn: sa.Connection) -> None:
    assert _ids(conn, "SELECT Id FROM Lead WHERE LastName = 'Smith'", ORG_B) == [LB]
    assert _ids(conn, "SELECT Id FROM Lead WHERE LastName = 'Smith'") == [L1]
    # A reference to another org's row does not join.
    page = run_query(conn, ORG_B, "SELECT Owner.Name, CreatedBy.Name FROM Lead", now=NOW)
    assert page.records[0].get("Owner").get("Name") == "Bob Jones"
    assert page.records[0].get("CreatedBy") is None  # ANN belongs to org A
    assert _ids(conn, "SELECT Id FROM User", ORG_B) == [BOB]


def test_deleted_rows_only_with_query_all(conn: sa.Connection) -> None:
    assert _ids(conn, "SELECT Id FROM Lead WHERE LastName = 'Deleted'") == []
    assert _ids(conn, "SELECT Id FROM Lead WHERE LastName = 'Deleted'", include_deleted=True) == [L4]
    assert _ids(conn, "SELECT Id FROM Lead WHERE IsDeleted = true", include_deleted=True) == [L4]


def test_paging(conn: sa.Connection) -> None:
    soql = "SELECT Id, LastName FROM Lead ORDER BY LastName"
    first = run_query(conn, ORG_C, soql, batch_size=2000, now=NOW)
    assert (first.total_size, first.done, len(first.records)) == (2500, False, 2000)
    assert first.locator is not None and first.locator.startswith("01g") and first.locator.endswith("-2000")
    cursor_id = first.locator.split("-")[0]
    assert len(cursor_id) == 18 and ids.canonical(cursor_id) == cursor_id
    second = query_more(conn, ORG_C, first.locator)
    assert (second.total_size, second.done, len(second.records), second.locator) == (2500, True, 500, None)
    names = [r.get("LastName") for r in first.records + second.records]
    assert names == [f"P{n:04}" for n in range(1, 2501)]
    # The same locator can be read again; the cursor lives in the database.
    assert [r.id for r in query_more(conn, ORG_C, first.locator).records] == [r.id for r in second.records]
    assert conn.execute(sa.select(sa.func.count()).select_from(query_cursors)).scalar_one() == 1


def test_batch_size_is_clamped(conn: sa.Connection) -> None:
    first = run_query(conn, ORG_C, "SELECT Id FROM Lead", batch_size=10)
    assert (len(first.records), first.locator.rsplit("-", 1)[1]) == (200, "200")
    second = query_more(conn, ORG_C, first.locator, batch_size=300)
    assert (len(second.records), second.locator.rsplit("-", 1)[1]) == (300, "500")
    assert run_query(conn, ORG_C, "SELECT Id FROM Lead", batch_size=5000).locator.endswith("-2000")
    assert run_query(conn, ORG_C, "SELECT Id FROM Lead LIMIT 2100", batch_size=2000).total_size == 2100


def test_paging_with_limit_and_offset(conn: sa.Connection) -> None:
    first = run_query(
        conn, ORG_C, "SELECT LastName FROM Lead ORDER BY LastName LIMIT 450 OFFSET 100", batch_size=200
    )
    assert (first.total_size, len(first.records), first.records[0].get("LastName")) == (450, 200, "P0101")
    second = query_more(conn, ORG_C, first.locator, batch_size=200)
    third = query_more(conn, ORG_C, second.locator, batch_size=200)
    assert (len(second.records), len(third.records), third.done) == (200, 50, True)
    assert third.records[-1].get("LastName") == "P0550"


@pytest.mark.parametrize(
    "locator",
    [
        "",
        "nope",
        "01g000000000000AAA-2000",
        "01g000000000000AAA",
        "-2000",
        "00Q000000000001AAA-2000",
        "01g000000000000AAA-abc",
    ],
)
def test_bad_locator(conn: sa.Connection, locator: str) -> None:
    with pytest.raises(QueryError) as caught:
        query_more(conn, ORG_A, locator)
    assert (caught.value.code, caught.value.message) == ("INVALID_QUERY_LOCATOR", "invalid query locator")


def test_foreign_locator(conn: sa.Connection) -> None:
    first = run_query(conn, ORG_C, "SELECT Id FROM Lead")
    with pytest.raises(QueryError) as caught:
        query_more(conn, ORG_A, first.locator)
    assert caught.value.code == "INVALID_QUERY_LOCATOR"
    with pytest.raises(QueryError):
        query_more(conn, ORG_C, first.locator.replace("-2000", "-0"))


@pytest.mark.parametrize(
    "soql",
    [
        "SELECT Id FROM Lead WHERE Name = '' OR 1=1 --'",
        "SELECT Id FROM Lead WHERE Name = ''; DROP TABLE sobj_lead; --'",
        "SELECT Id FROM Lead; DELETE FROM sobj_lead",
    ],
)
def test_injection_is_refused(conn: sa.Connection, soql: str) -> None:
    with pytest.raises(QueryError) as caught:
        run_query(conn, ORG_A, soql)
    assert caught.value.code == "MALFORMED_QUERY"
    assert run_query(conn, ORG_A, "SELECT COUNT() FROM Lead").total_size == 4


@pytest.mark.parametrize(
    "where",
    [
        r"Name = '\'; DROP TABLE sobj_lead; --'",
        r"Name = '\' OR \'1\'=\'1'",
        r"Name LIKE '%\' OR 1=1 --'",
        r"City IN ('x\'); DELETE FROM sobj_lead; --')",
    ],
)
def test_injection_inside_strings_matches_nothing(conn: sa.Connection, where: str) -> None:
    assert _ids(conn, f"SELECT Id FROM Lead WHERE {where}") == []
    assert run_query(conn, ORG_A, "SELECT COUNT() FROM Lead").total_size == 4


def test_a_session_works_like_a_connection(conn: sa.Connection) -> None:
    with Session(conn) as session:
        first = run_query(session, ORG_C, "SELECT Id FROM Lead", now=NOW)
        second = query_more(session, ORG_C, first.locator)
        assert (first.total_size, len(first.records), len(second.records), second.done) == (
            2500,
            2000,
            500,
            True,
        )
        (lead,) = run_query(session, ORG_A, f"SELECT Owner.Name FROM Lead WHERE Id = '{L2}'").records
        assert (lead.url_type, lead.get("Owner").url_type) == ("Lead", "Group")

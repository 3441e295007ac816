"""A corpus of SOQL queries over aggregates, date functions, semi-joins, child subqueries, TYPEOF and
FIELDS(), on SQLite (and PostgreSQL when SFMOCK_TEST_DATABASE_URL is set), each run three ways (the `ask`
fixture): by the engine, through REST /query and through SOAP query() on the wire (soql_wire.py), results
read back as a client reads them. Every expected answer is computed here, in Python, from the rows this
module inserted (`LEADS`, `CASES`), never by the engine. The tests of date literals and of the time zone
here run at engine level (they fix the instant and the zone); test_soql_user_zones.py runs them through the
doors too, with the clock frozen (sfmock.core.clock) and users in other zones."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from sfmock.core import ids
from sfmock.core.errors import QueryError
from sfmock.core.schema import org_schema
from sfmock.main import create_app
from sfmock.persistence.db import Database
from sfmock.persistence.sessions import open_session
from sfmock.persistence.tables import orgs, table_for
from sfmock.settings import Settings
from sfmock.soql import run_query
from sfmock.soql.engine import QueryPage
from tests.contract.test_soap_shapes import Soap
from tests.databases import backends, rolled_back, seeded_engine
from tests.integration import soql_wire

UTC = dt.UTC
NOW = dt.datetime(2025, 3, 12, 9, 30, tzinfo=UTC)
ORG = ids.make_id("00D", 7, 1)
ANN, CAL = ids.make_id("005", 7, 1), ids.make_id("005", 7, 2)
QUEUE = ids.make_id("00G", 7, 1)
USERS = {ANN: ("Ann", "Archer"), CAL: ("Cal", "Cole")}
SOURCES = ["Web", "Phone Inquiry", "Partner Referral", None]
RATINGS = ["Hot", "Warm", "Cold"]
CITIES = ["Paris", "Berlin", "Rome", None, "paris"]
OWNERS = [ANN, CAL, QUEUE]


def _lead(n: int) -> dict:
    created = dt.datetime(2023, 1, 1, 8) + dt.timedelta(days=n * 17, hours=n % 11)
    return {
        "Id": ids.make_id("00Q", 7, n),
        "LastName": f"Lead{n:02}",
        "Name": f"Lead{n:02}",
        "Company": f"Co{n % 5}",
        "LeadSource": SOURCES[n % 4],
        "Rating": None if n % 7 == 0 else RATINGS[n % 3],
        "City": CITIES[n % 5],
        "Email": f"l{n}@x{n % 4}.example" if n % 5 else None,
        "NumberOfEmployees": n * 10 if n % 3 else None,
        "AnnualRevenue": n * 1000.5 if n % 2 else None,
        "CreatedDate": created,
        "OwnerId": OWNERS[n % 3],
        "IsConverted": n % 6 == 0,
        "Status": "Open - Not Contacted" if n % 2 else "Working - Contacted",
    }


LEADS = [_lead(n) for n in range(1, 49)]
DELETED = {**_lead(49), "LastName": "Gone"}
CASES = [
    {"Id": ids.make_id("500", 7, 1), "Subject": "Root A", "ParentId": None, "OwnerId": QUEUE},
    {"Id": ids.make_id("500", 7, 2), "Subject": "Root B", "ParentId": None, "OwnerId": ANN},
    {
        "Id": ids.make_id("500", 7, 3),
        "Subject": "Child A1",
        "ParentId": ids.make_id("500", 7, 1),
        "OwnerId": ANN,
    },
    {
        "Id": ids.make_id("500", 7, 4),
        "Subject": "Child A2",
        "ParentId": ids.make_id("500", 7, 1),
        "OwnerId": CAL,
    },
    {
        "Id": ids.make_id("500", 7, 5),
        "Subject": "Child B1",
        "ParentId": ids.make_id("500", 7, 2),
        "OwnerId": CAL,
    },
    {"Id": ids.make_id("500", 7, 6), "Subject": "Lonely", "ParentId": None, "OwnerId": CAL},
]


def _system(record_id: str, created: dt.datetime, deleted: bool = False) -> dict:
    return {
        "org_id": ORG,
        "Id": record_id,
        "IsDeleted": deleted,
        "CreatedDate": created,
        "CreatedById": ANN,
        "LastModifiedDate": created,
        "LastModifiedById": ANN,
        "SystemModstamp": created,
    }


def _seed(conn: sa.Connection) -> None:
    then = dt.datetime(2022, 6, 1)
    conn.execute(
        sa.insert(orgs),
        [{"id": ORG, "number": 7, "name": "Corpus", "settings": '{"name": "Corpus"}', "created_at": then}],
    )
    conn.execute(
        sa.insert(table_for("User")),
        [
            {
                **_system(uid, then),
                "Username": f"{first.lower()}@c.example",
                "FirstName": first,
                "LastName": last,
                "Name": f"{first} {last}",
                "Email": f"{first.lower()}@c.example",
                "IsActive": True,
            }
            for uid, (first, last) in USERS.items()
        ],
    )
    conn.execute(
        sa.insert(table_for("Group")),
        [
            {
                **_system(QUEUE, then),
                "Name": "Corpus Queue",
                "DeveloperName": "CorpusQueue",
                "Type": "Queue",
                "OwnerId": ANN,
            }
        ],
    )
    conn.execute(
        sa.insert(table_for("Lead")),
        [{**_system(lead["Id"], lead["CreatedDate"]), **lead} for lead in LEADS]
        + [{**_system(DELETED["Id"], DELETED["CreatedDate"], True), **DELETED}],
    )
    conn.execute(
        sa.insert(table_for("Case")),
        [
            {
                **_system(case["Id"], then + dt.timedelta(days=i)),
                "CaseNumber": f"{1000 + i:08}",
                "Status": "New",
                **case,
            }
            for i, case in enumerate(CASES)
        ],
    )


@pytest.fixture(scope="module", params=backends())
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[sa.Engine]:
    with seeded_engine(request.param, tmp_path_factory.mktemp("corpus"), _seed, search=True) as engine:
        yield engine


@pytest.fixture
def conn(engine: sa.Engine) -> Iterator[sa.Connection]:
    with rolled_back(engine) as connection:
        yield connection


Ask = Callable[[str], QueryPage]


@pytest.fixture(scope="module")
def wire(
    engine: sa.Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, Soap, str]]:
    """The app on the corpus database, and a session of Ann's (the users have no time zone: the org's,
    UTC)."""
    url = engine.url.render_as_string(hide_password=False)
    db = Database(url)
    with db.session() as session:
        token = open_session(session, ORG, ANN, 3600)
    app = create_app(Settings(database_url=url, data_dir=tmp_path_factory.mktemp("corpus-data")), db)
    yield TestClient(app, base_url="https://127.0.0.1:8443"), Soap(app), token
    db.dispose()


@pytest.fixture(params=["engine", "rest", "soap"])
def ask(request: pytest.FixtureRequest, engine: sa.Engine) -> Ask:
    """Runs one query by the engine (in a transaction rolled back after the test) or through a door."""
    if request.param == "engine":
        connection = request.getfixturevalue("conn")
        # The org's own schema, as the doors read it (no record types here, so Lead has no RecordTypeId).
        schema = org_schema.build(None)
        return lambda soql: run_query(connection, ORG, soql, now=NOW, schema=schema)
    client, soap, token = request.getfixturevalue("wire")
    if request.param == "rest":
        return lambda soql: soql_wire.rest_query(client, token, soql)
    return lambda soql: soql_wire.soap_query(soap, token, soql)


def _rows(ask: Ask, soql: str) -> list[dict]:
    return [dict(r.fields) for r in ask(soql).records]


def _norm(value: object) -> object:
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return value


def _bag(rows: list[dict]) -> Counter:
    return Counter(tuple(sorted((k, _norm(v)) for k, v in row.items())) for row in rows)


# --- what the data says, computed here -----------------------------------------------------------------
def _owner_name(owner: str) -> str:
    return "Corpus Queue" if owner == QUEUE else " ".join(USERS[owner])


def _field(lead: dict, name: str) -> object:
    return _owner_name(lead["OwnerId"]) if name == "Owner.Name" else lead[name]


AGGREGATES: dict[str, Callable[[list[dict]], object]] = {
    "COUNT(Id)": lambda rows: len(rows),
    "COUNT(Email)": lambda rows: sum(1 for r in rows if r["Email"] is not None),
    "COUNT_DISTINCT(Company)": lambda rows: len({r["Company"] for r in rows}),
    "SUM(NumberOfEmployees)": lambda rows: _sum([r["NumberOfEmployees"] for r in rows]),
    "AVG(NumberOfEmployees)": lambda rows: _avg([r["NumberOfEmployees"] for r in rows]),
    "MIN(AnnualRevenue)": lambda rows: _min([r["AnnualRevenue"] for r in rows]),
    "MAX(AnnualRevenue)": lambda rows: _max([r["AnnualRevenue"] for r in rows]),
    "MIN(CreatedDate)": lambda rows: _min([r["CreatedDate"] for r in rows]),
    "MAX(CreatedDate)": lambda rows: _max([r["CreatedDate"] for r in rows]),
    "MAX(LastName)": lambda rows: _max([r["LastName"] for r in rows]),
}


def _present(values: list) -> list:
    return [v for v in values if v is not None]


def _sum(values: list) -> object:
    present = _present(values)
    return sum(present) if present else None


def _avg(values: list) -> object:
    present = _present(values)
    return sum(present) / len(present) if present else None


def _min(values: list) -> object:
    present = _present(values)
    return min(present) if present else None


def _max(values: list) -> object:
    present = _present(values)
    return max(present) if present else None


# Grouped by exact value: every seeded text value differs from the others in more than case, except City
# ("Paris" / "paris"), which the corpus does not group by.
GROUP_FIELDS = ["LeadSource", "Rating", "OwnerId", "Status", "IsConverted", "Owner.Name"]


def _groups(rows: list[dict], names: list[str]) -> dict[tuple, list[dict]]:
    out: dict[tuple, list[dict]] = {}
    for row in rows:
        out.setdefault(tuple(_field(row, n) for n in names), []).append(row)
    return out


@pytest.mark.parametrize("group", GROUP_FIELDS)
@pytest.mark.parametrize("agg", list(AGGREGATES))
def test_group_by_field(ask: Ask, group: str, agg: str) -> None:
    got = _rows(ask, f"SELECT {group}, {agg} FROM Lead GROUP BY {group}")
    label = group.split(".")[-1]
    expected = [
        {label: key[0], "expr0": AGGREGATES[agg](rows)} for key, rows in _groups(LEADS, [group]).items()
    ]
    assert _bag(got) == _bag(expected)


@pytest.mark.parametrize("agg", list(AGGREGATES))
@pytest.mark.parametrize(
    ("where", "keep"),
    [
        ("", lambda r: True),
        (" WHERE Rating = 'Hot'", lambda r: r["Rating"] == "Hot"),
        (" WHERE NumberOfEmployees > 200", lambda r: (r["NumberOfEmployees"] or 0) > 200),
    ],
)
def test_aggregate_without_group(ask: Ask, agg: str, where: str, keep: Callable) -> None:
    got = _rows(ask, f"SELECT {agg} total FROM Lead{where}")
    assert _bag(got) == _bag([{"total": AGGREGATES[agg]([r for r in LEADS if keep(r)])}])


DATE_FUNCTIONS: dict[str, Callable[[dt.datetime], object]] = {
    "CALENDAR_YEAR": lambda d: d.year,
    "CALENDAR_QUARTER": lambda d: (d.month - 1) // 3 + 1,
    "CALENDAR_MONTH": lambda d: d.month,
    "DAY_IN_MONTH": lambda d: d.day,
    "DAY_IN_WEEK": lambda d: (d.isoweekday() % 7) + 1,  # 1 = Sunday
    "DAY_IN_YEAR": lambda d: d.timetuple().tm_yday,
    "DAY_ONLY": lambda d: d.date(),
    "FISCAL_YEAR": lambda d: d.year,
    "FISCAL_QUARTER": lambda d: (d.month - 1) // 3 + 1,
    "FISCAL_MONTH": lambda d: d.month,
    "HOUR_IN_DAY": lambda d: d.hour,
    "WEEK_IN_MONTH": lambda d: (d.day - 1) // 7 + 1,
    "WEEK_IN_YEAR": lambda d: (d.timetuple().tm_yday - 1) // 7 + 1,
}


@pytest.mark.parametrize("function", list(DATE_FUNCTIONS))
def test_group_by_date_function(ask: Ask, function: str) -> None:
    got = _rows(
        ask, f"SELECT {function}(CreatedDate), COUNT(Id) n FROM Lead GROUP BY {function}(CreatedDate)"
    )
    counts = Counter(DATE_FUNCTIONS[function](r["CreatedDate"]) for r in LEADS)
    assert _bag(got) == _bag([{"expr0": k, "n": v} for k, v in counts.items()])


@pytest.mark.parametrize("function", [f for f in DATE_FUNCTIONS if f != "DAY_ONLY"])
@pytest.mark.parametrize("op", ["=", ">", "<="])
def test_date_function_in_where(ask: Ask, function: str, op: str) -> None:
    values = sorted({DATE_FUNCTIONS[function](r["CreatedDate"]) for r in LEADS})
    pivot = values[len(values) // 2]
    got = [r["Id"] for r in _rows(ask, f"SELECT Id FROM Lead WHERE {function}(CreatedDate) {op} {pivot}")]
    test = {"=": lambda v: v == pivot, ">": lambda v: v > pivot, "<=": lambda v: v <= pivot}[op]
    assert sorted(got) == sorted(r["Id"] for r in LEADS if test(DATE_FUNCTIONS[function](r["CreatedDate"])))


def test_day_only_in_where(ask: Ask) -> None:
    day = LEADS[10]["CreatedDate"].date()
    got = [
        r["Id"] for r in _rows(ask, f"SELECT Id FROM Lead WHERE DAY_ONLY(CreatedDate) = {day.isoformat()}")
    ]
    assert got == [r["Id"] for r in LEADS if r["CreatedDate"].date() == day]


@pytest.mark.parametrize("group", ["LeadSource", "Rating", "OwnerId", "Status"])
@pytest.mark.parametrize("threshold", [1, 8, 12])
def test_having(ask: Ask, group: str, threshold: int) -> None:
    got = _rows(
        ask, f"SELECT {group}, COUNT(Id) n FROM Lead GROUP BY {group} HAVING COUNT(Id) > {threshold}"
    )
    expected = [{group: k[0], "n": len(v)} for k, v in _groups(LEADS, [group]).items() if len(v) > threshold]
    assert _bag(got) == _bag(expected)


@pytest.mark.parametrize("group", ["LeadSource", "Rating", "OwnerId", "Status", "IsConverted", "Owner.Name"])
@pytest.mark.parametrize("direction", ["ASC", "DESC"])
def test_order_by_aggregate(ask: Ask, group: str, direction: str) -> None:
    got = _rows(
        ask,
        f"SELECT {group}, SUM(NumberOfEmployees) s FROM Lead GROUP BY {group} "
        f"ORDER BY SUM(NumberOfEmployees) {direction} NULLS LAST",
    )
    sums = [AGGREGATES["SUM(NumberOfEmployees)"](rows) for rows in _groups(LEADS, [group]).values()]
    present = sorted((s for s in sums if s is not None), reverse=direction == "DESC")
    ordered = present + [None] * (len(sums) - len(present))
    assert [r["s"] for r in got] == ordered


@pytest.mark.parametrize("pair", [("Rating", "LeadSource"), ("Status", "Rating"), ("OwnerId", "IsConverted")])
@pytest.mark.parametrize("kind", ["ROLLUP", "CUBE"])
def test_rollup_and_cube(ask: Ask, pair: tuple[str, str], kind: str) -> None:
    a, b = pair
    got = _rows(
        ask,
        f"SELECT {a}, {b}, GROUPING({a}) ga, GROUPING({b}) gb, COUNT(Id) n FROM Lead "
        f"GROUP BY {kind}({a}, {b})",
    )
    sets = [(a, b), (a,), ()] if kind == "ROLLUP" else [(a, b), (a,), (b,), ()]
    expected = []
    for members in sets:
        for key, rows in _groups(LEADS, list(members)).items():
            values = dict(zip(members, key, strict=True))
            expected.append(
                {
                    a: values.get(a),
                    b: values.get(b),
                    "ga": 0 if a in members else 1,
                    "gb": 0 if b in members else 1,
                    "n": len(rows),
                }
            )
    assert _bag(got) == _bag(expected)


def test_rollup_subtotals_follow_their_rows(ask: Ask) -> None:
    got = _rows(ask, "SELECT Status, GROUPING(Status) g, COUNT(Id) n FROM Lead GROUP BY ROLLUP(Status)")
    assert [r["g"] for r in got] == [0, 0, 1]
    assert got[-1]["n"] == len(LEADS)


@pytest.mark.parametrize(
    ("where", "keep"),
    [
        ("OwnerId IN (SELECT Id FROM Group WHERE Type = 'Queue')", lambda r: r["OwnerId"] == QUEUE),
        ("OwnerId NOT IN (SELECT Id FROM Group WHERE Type = 'Queue')", lambda r: r["OwnerId"] != QUEUE),
        ("OwnerId IN (SELECT Id FROM User WHERE LastName = 'Cole')", lambda r: r["OwnerId"] == CAL),
        ("OwnerId IN (SELECT Id FROM User)", lambda r: r["OwnerId"] in USERS),
        ("OwnerId NOT IN (SELECT Id FROM User WHERE FirstName LIKE 'A%')", lambda r: r["OwnerId"] != ANN),
        (
            "OwnerId IN (SELECT OwnerId FROM Case WHERE Subject LIKE 'Root%') AND Rating = 'Hot'",
            lambda r: r["OwnerId"] in (QUEUE, ANN) and r["Rating"] == "Hot",
        ),
        (
            "OwnerId IN (SELECT OwnerId FROM Case WHERE ParentId != null) OR City = 'Rome'",
            lambda r: r["OwnerId"] in (ANN, CAL) or r["City"] == "Rome",
        ),
        ("NOT (OwnerId IN (SELECT Id FROM User))", lambda r: r["OwnerId"] not in USERS),
        ("CreatedById IN (SELECT Id FROM User WHERE IsActive = true)", lambda r: True),
        ("OwnerId IN (SELECT Id FROM Group WHERE Type = 'Regular')", lambda r: False),
    ],
)
def test_semi_and_anti_joins(ask: Ask, where: str, keep: Callable) -> None:
    got = [r["Id"] for r in _rows(ask, f"SELECT Id FROM Lead WHERE {where}")]
    assert sorted(got) == sorted(r["Id"] for r in LEADS if keep(r))


@pytest.mark.parametrize(
    ("where", "keep"),
    [
        ("Id IN (SELECT ParentId FROM Case)", lambda c: c["Id"] in {x["ParentId"] for x in CASES}),
        ("Id NOT IN (SELECT ParentId FROM Case)", lambda c: c["Id"] not in {x["ParentId"] for x in CASES}),
        (
            "ParentId IN (SELECT Id FROM Case WHERE Subject = 'Root A')",
            lambda c: c["ParentId"] == CASES[0]["Id"],
        ),
        (
            "ParentId NOT IN (SELECT Id FROM Case WHERE Subject = 'Root A')",
            lambda c: c["ParentId"] != CASES[0]["Id"],
        ),
    ],
)
def test_semi_joins_on_the_same_object(ask: Ask, where: str, keep: Callable) -> None:
    got = [r["Id"] for r in _rows(ask, f"SELECT Id FROM Case WHERE {where}")]
    assert sorted(got) == sorted(c["Id"] for c in CASES if keep(c))


# --- malformed variants: code, row and column as Salesforce reports them -------------------------------
@pytest.mark.parametrize(
    ("soql", "code", "row", "column", "reason"),
    [
        (
            "SELECT Rating, COUNT(Id) FROM Lead",
            "MALFORMED_QUERY",
            1,
            8,
            "Field must be grouped or aggregated: Rating",
        ),
        (
            "SELECT LastName, COUNT(Id) FROM Lead GROUP BY Rating",
            "MALFORMED_QUERY",
            1,
            8,
            "Field must be grouped or aggregated: LastName",
        ),
        (
            "SELECT Rating FROM Lead GROUP BY Rating ORDER BY City",
            "MALFORMED_QUERY",
            1,
            50,
            "Ordered field must be grouped or aggregated: City",
        ),
        (
            "SELECT SUM(LastName) FROM Lead",
            "INVALID_FIELD",
            1,
            8,
            "field LastName does not support aggregate operator SUM",
        ),
        (
            "SELECT AVG(CreatedDate) FROM Lead",
            "INVALID_FIELD",
            1,
            8,
            "field CreatedDate does not support aggregate operator AVG",
        ),
        (
            "SELECT MAX(IsConverted) FROM Lead",
            "INVALID_FIELD",
            1,
            8,
            "field IsConverted does not support aggregate operator MAX",
        ),
        ("SELECT COUNT(Nope) FROM Lead", "INVALID_FIELD", 1, 14, "No such column 'Nope' on entity 'Lead'"),
        (
            "SELECT Rating, COUNT(Id) FROM Lead GROUP BY Nope",
            "INVALID_FIELD",
            1,
            45,
            "No such column 'Nope' on entity 'Lead'",
        ),
        (
            "SELECT COUNT(Id) FROM Lead GROUP BY NumberOfEmployees",
            "INVALID_FIELD",
            1,
            37,
            "field 'NumberOfEmployees' can not be grouped in a query call",
        ),
        (
            "SELECT COUNT(Id) FROM Lead GROUP BY Description",
            "INVALID_FIELD",
            1,
            37,
            "field 'Description' can not be grouped in a query call",
        ),
        (
            "SELECT COUNT(Id) FROM Lead HAVING COUNT(Id) > 1",
            "MALFORMED_QUERY",
            1,
            28,
            "HAVING clause requires GROUP BY",
        ),
        (
            "SELECT Rating, COUNT(Id) FROM Lead GROUP BY Rating HAVING",
            "MALFORMED_QUERY",
            1,
            58,
            "unexpected token: '<EOF>'",
        ),
        ("SELECT Rating FROM Lead GROUP BY", "MALFORMED_QUERY", 1, 33, "unexpected token: '<EOF>'"),
        ("SELECT COUNT(Id FROM Lead", "MALFORMED_QUERY", 1, 16, "unexpected token: 'FROM'"),
        ("SELECT SUMM(NumberOfEmployees) FROM Lead", "MALFORMED_QUERY", 1, 7, "unexpected token: 'SUMM'"),
        (
            "SELECT Id FROM Lead WHERE COUNT(Id) > 1",
            "MALFORMED_QUERY",
            1,
            27,
            "Aggregate functions are not allowed in the WHERE clause; use HAVING",
        ),
        (
            "SELECT Id FROM Lead WHERE CALENDAR_YEAR(LastName) = 2024",
            "INVALID_FIELD",
            1,
            27,
            "CALENDAR_YEAR function does not support the string field: LastName",
        ),
        (
            "SELECT Id FROM Lead WHERE HOUR_IN_DAY(Nope) = 1",
            "INVALID_FIELD",
            1,
            39,
            "No such column 'Nope' on entity 'Lead'",
        ),
        (
            "SELECT Id FROM Lead WHERE CALENDAR_YEAR(CreatedDate) = 'x'",
            "INVALID_FIELD",
            1,
            56,
            "must be of type int and should not be enclosed in quotes",
        ),
        (
            "SELECT Rating, GROUPING(Rating) FROM Lead GROUP BY Rating",
            "MALFORMED_QUERY",
            1,
            16,
            "GROUPING() is only allowed with GROUP BY ROLLUP or CUBE",
        ),
        (
            "SELECT Rating, GROUPING(City) FROM Lead GROUP BY ROLLUP(Rating)",
            "MALFORMED_QUERY",
            1,
            16,
            "GROUPING() field must be grouped",
        ),
        (
            "SELECT Id FROM Lead WHERE OwnerId IN (SELECT Name FROM User)",
            "MALFORMED_QUERY",
            1,
            46,
            "semi join sub selects can only query id fields, cannot use: 'Name'",
        ),
        (
            "SELECT Id FROM Lead WHERE OwnerId IN (SELECT Id, Name FROM User)",
            "MALFORMED_QUERY",
            1,
            60,
            "semi join sub-selects can select only one field",
        ),
        (
            "SELECT Id FROM Lead WHERE LastName IN (SELECT Id FROM User)",
            "MALFORMED_QUERY",
            1,
            27,
            "Semi-join sub-selects are only allowed on Id or reference fields",
        ),
        (
            "SELECT Id FROM Lead WHERE OwnerId IN (SELECT Id FROM User ORDER BY Name)",
            "MALFORMED_QUERY",
            1,
            54,
            "semi join sub-selects cannot use ORDER BY, LIMIT or GROUP BY",
        ),
        (
            "SELECT Id FROM Lead WHERE OwnerId IN (SELECT Id FROM Nope)",
            "INVALID_TYPE",
            1,
            54,
            "sObject type 'Nope' is not supported",
        ),
        (
            "SELECT Id FROM Lead WHERE OwnerId IN (SELECT Id FROM User WHERE Id IN (SELECT OwnerId FROM "
            "Case))",
            "MALFORMED_QUERY",
            1,
            65,
            "Nesting of semi join sub-selects is not supported",
        ),
        (
            "SELECT Id FROM Lead WHERE OwnerId IN (SELECT Id FROM User",
            "MALFORMED_QUERY",
            1,
            58,
            "unexpected token: '<EOF>'",
        ),
        ("SELECT Id x FROM Lead", "MALFORMED_QUERY", 1, 10, "unexpected token: 'x'"),
        (
            "SELECT Rating FROM Lead GROUP BY ROLLUP(Rating), City",
            "MALFORMED_QUERY",
            1,
            34,
            "unexpected token: 'ROLLUP'",
        ),
    ],
)
def test_malformed(ask: Ask, soql: str, code: str, row: int, column: int, reason: str) -> None:
    with pytest.raises(QueryError) as caught:
        ask(soql)
    error = caught.value
    assert (error.code, error.row, error.column) == (code, row, column), error.message
    assert reason in error.message
    assert f"ERROR at Row:{row}:Column:{column}" in error.message


# --- child subqueries, TYPEOF, FIELDS(), toLabel/FORMAT, accepted clauses --------------------------------
def _children(parent: str, keep: Callable = lambda c: True) -> list[dict]:
    return [c for c in CASES if c["ParentId"] == parent and keep(c)]


@pytest.mark.parametrize(
    ("inner", "keep", "limit"),
    [
        ("SELECT Subject FROM Cases", lambda c: True, None),
        ("SELECT Subject FROM Cases WHERE Subject LIKE '%1'", lambda c: c["Subject"].endswith("1"), None),
        ("SELECT Subject FROM Cases ORDER BY Subject DESC LIMIT 1", lambda c: True, 1),
        ("SELECT Subject FROM Cases WHERE OwnerId = '" + CAL + "'", lambda c: c["OwnerId"] == CAL, None),
        ("SELECT Subject FROM cases", lambda c: True, None),
    ],
)
def test_child_subquery(ask: Ask, inner: str, keep: Callable, limit: int | None) -> None:
    # Id selected: the Partner API's record Id is nil unless it is (the engine's record.id is always set).
    page = ask(f"SELECT Id, Subject, ({inner}) FROM Case ORDER BY Subject")
    for record in page.records:
        me = next(c for c in CASES if c["Id"] == record.id)
        children = sorted((c["Subject"] for c in _children(me["Id"], keep)), reverse="DESC" in inner)
        children = children[:limit] if limit else children
        got = record.get("Cases")
        if not children:
            assert got is None  # null, not an empty QueryResult
        else:
            assert (got.total_size, got.done) == (len(children), True)
            assert [r.get("Subject") for r in got.records] == children
            assert {r.sobject for r in got.records} == {"Case"}


def test_child_subquery_with_parent_paths_and_typeof(ask: Ask) -> None:
    page = ask(
        "SELECT Id, (SELECT Subject, Owner.Name, Parent.Subject FROM Cases ORDER BY Subject)"
        " FROM Case WHERE Subject = 'Root A'"
    )
    (record,) = page.records
    rows = [
        (r.get("Subject"), r.get("Owner").get("Name"), r.get("Parent").get("Subject"))
        for r in record.get("Cases").records
    ]
    assert rows == [(c["Subject"], _owner_name(c["OwnerId"]), "Root A") for c in _children(CASES[0]["Id"])]


@pytest.mark.parametrize("where", ["", " WHERE Rating = 'Hot'", " WHERE OwnerId = '" + QUEUE + "'"])
def test_typeof_owner(ask: Ask, where: str) -> None:
    soql = (
        "SELECT Id, OwnerId, TYPEOF Owner WHEN User THEN FirstName, LastName WHEN Group THEN DeveloperName "
        f"ELSE Name END FROM Lead{where} ORDER BY Id"
    )
    page = ask(soql)
    expected = []
    for lead in sorted(LEADS, key=lambda r: r["Id"]):
        if where and not (lead["Rating"] == "Hot" if "Rating" in where else lead["OwnerId"] == QUEUE):
            continue
        owner = lead["OwnerId"]
        if owner == QUEUE:
            expected.append(("Group", owner, [("DeveloperName", "CorpusQueue")]))
        else:
            first, last = USERS[owner]
            expected.append(("User", owner, [("FirstName", first), ("LastName", last)]))
    # The owner's id read from OwnerId: a Partner API record's Id is nil unless selected in its branch.
    got = [(r.get("Owner").sobject, r.get("OwnerId"), r.get("Owner").fields) for r in page.records]
    assert got == expected


def test_typeof_else_branch(ask: Ask) -> None:
    page = ask(
        "SELECT TYPEOF Owner WHEN Group THEN Type ELSE Name, Email END FROM Lead "
        "WHERE OwnerId = '" + ANN + "' LIMIT 1"
    )
    owner = page.records[0].get("Owner")
    assert (owner.sobject, owner.fields) == ("User", [("Name", "Ann Archer"), ("Email", "ann@c.example")])


@pytest.mark.parametrize(
    ("soql", "count"),
    [
        ("SELECT FIELDS(STANDARD) FROM Lead", None),
        ("SELECT FIELDS(ALL) FROM Lead LIMIT 200", None),
        ("SELECT FIELDS(ALL) FROM Lead LIMIT 5", 5),
        ("SELECT FIELDS(CUSTOM) FROM Lead LIMIT 10", 10),
    ],
)
def test_fields_function(ask: Ask, soql: str, count: int | None) -> None:
    from sfmock.core.schema import registry

    page = ask(soql)
    # The standard Lead's fields; RecordTypeId exists only in an org with Lead record types (not this one).
    names = [f.name for f in registry.get("Lead").api_fields() if f.name != "RecordTypeId"]
    if "CUSTOM" in soql:
        names = [n for n in names if n.endswith("__c")]
    assert len(page.records) == (count or len(LEADS))
    assert [name for name, _ in page.records[0].fields] == names


@pytest.mark.parametrize(
    ("soql", "expected"),
    [
        ("SELECT toLabel(Rating) FROM Lead ORDER BY Id", lambda r: [("Rating", r["Rating"])]),
        (
            "SELECT FORMAT(AnnualRevenue) FROM Lead ORDER BY Id",
            lambda r: [
                ("AnnualRevenue", None if r["AnnualRevenue"] is None else f"${r['AnnualRevenue']:,.2f}")
            ],
        ),
        (
            "SELECT FORMAT(NumberOfEmployees) FROM Lead ORDER BY Id",
            lambda r: [
                (
                    "NumberOfEmployees",
                    None if r["NumberOfEmployees"] is None else f"{r['NumberOfEmployees']:,}",
                )
            ],
        ),
        (
            "SELECT FORMAT(CreatedDate) FROM Lead ORDER BY Id",
            lambda r: [
                (
                    "CreatedDate",
                    (f"{r['CreatedDate'].month}/{r['CreatedDate'].day}/{r['CreatedDate'].year}, "
                    f"{r['CreatedDate'].hour % 12 or 12}:00 "
                    f"{'AM' if r['CreatedDate'].hour < 12 else 'PM'}"),
                )
            ],
        ),
    ],
)
def test_label_and_format(ask: Ask, soql: str, expected: Callable) -> None:
    page = ask(soql)
    # toLabel() and FORMAT() give text (SOAP: untyped, so "30" stays the text it is on the wire).
    got = [[(name, None if value is None else str(value)) for name, value in r.fields] for r in page.records]
    assert got == [expected(r) for r in sorted(LEADS, key=lambda r: r["Id"])]


@pytest.mark.parametrize(
    "tail",
    [
        " USING SCOPE mine",
        " USING SCOPE everything",
        " USING SCOPE team",
        " WITH SECURITY_ENFORCED",
        " WITH USER_MODE",
        " WITH SYSTEM_MODE",
        " FOR VIEW",
        " FOR REFERENCE",
        " FOR VIEW, REFERENCE",
        " UPDATE TRACKING",
        " UPDATE VIEWSTAT",
        " FOR VIEW UPDATE TRACKING",
    ],
)
def test_accepted_clauses(ask: Ask, tail: str) -> None:
    if tail.startswith((" USING", " WITH")):
        soql = f"SELECT Id FROM Lead{tail} WHERE Rating = 'Cold'"
    else:
        soql = f"SELECT Id FROM Lead WHERE Rating = 'Cold'{tail}"
    got = [r["Id"] for r in _rows(ask, soql)]
    assert sorted(got) == sorted(r["Id"] for r in LEADS if r["Rating"] == "Cold")


@pytest.mark.parametrize(
    ("soql", "code", "column", "reason"),
    [
        (
            "SELECT FIELDS(ALL) FROM Lead",
            "MALFORMED_QUERY",
            8,
            "The SOQL FIELDS function must have a LIMIT of at most 200",
        ),
        (
            "SELECT FIELDS(CUSTOM) FROM Lead LIMIT 201",
            "MALFORMED_QUERY",
            8,
            "The SOQL FIELDS function must have a LIMIT of at most 200",
        ),
        (
            "SELECT FIELDS(EVERYTHING) FROM Lead",
            "MALFORMED_QUERY",
            8,
            "FIELDS() takes ALL, STANDARD or CUSTOM",
        ),
        ("SELECT Id, FIELDS(STANDARD) FROM Lead", "INVALID_FIELD", 12, "duplicate field selected: Id"),
        (
            "SELECT Id, (SELECT Id FROM Nopes) FROM Case",
            "INVALID_TYPE",
            28,
            "Didn't understand relationship 'Nopes'",
        ),
        (
            "SELECT Id, (SELECT Nope FROM Cases) FROM Case",
            "INVALID_FIELD",
            20,
            "No such column 'Nope' on entity 'Case'",
        ),
        (
            "SELECT Id, (SELECT COUNT(Id) FROM Cases) FROM Case",
            "MALFORMED_QUERY",
            35,
            "Aggregate functions are not allowed in a subquery",
        ),
        (
            "SELECT Id, (SELECT Id FROM Cases USING SCOPE mine) FROM Case",
            "MALFORMED_QUERY",
            28,
            "USING SCOPE is not allowed in a subquery",
        ),
        ("SELECT Id, (SELECT Id FROM Cases FROM Case", "MALFORMED_QUERY", 33, "unexpected token: 'FROM'"),
        (
            "SELECT TYPEOF Owner WHEN Case THEN Id END FROM Lead",
            "INVALID_FIELD",
            15,
            "TYPEOF: Case is not a type of Owner",
        ),
        (
            "SELECT TYPEOF CreatedBy WHEN User THEN Id END FROM Lead",
            "INVALID_FIELD",
            15,
            "TYPEOF expects a polymorphic relationship",
        ),
        (
            "SELECT TYPEOF Owner WHEN User THEN Nope END FROM Lead",
            "INVALID_FIELD",
            36,
            "No such column 'Nope' on entity 'User'",
        ),
        (
            "SELECT TYPEOF Owner WHEN User THEN Name FROM Lead",
            "MALFORMED_QUERY",
            40,
            "unexpected token: 'FROM'",
        ),
        (
            "SELECT CALENDAR_YEAR(CreatedDate) FROM Lead",
            "MALFORMED_QUERY",
            8,
            "Field must be grouped or aggregated: CALENDAR_YEAR(CreatedDate)",
        ),
        ("SELECT Id FROM Lead USING SCOPE nobody", "MALFORMED_QUERY", 32, "unexpected token: 'nobody'"),
        ("SELECT Id FROM Lead UPDATE NOTHING", "MALFORMED_QUERY", 27, "unexpected token: 'NOTHING'"),
        ("SELECT Id FROM Lead FOR UPDATE", "MALFORMED_QUERY", 25, "FOR UPDATE not allowed in this context"),
    ],
)
def test_malformed_select_lists(ask: Ask, soql: str, code: str, column: int, reason: str) -> None:
    with pytest.raises(QueryError) as caught:
        ask(soql)
    error = caught.value
    # "duplicate field selected" carries no excerpt (SOQL reference, FIELDS()), so REST shows no position.
    position = None if error.row is None else (error.row, error.column)
    assert (error.code, position or (1, column)) == (code, (1, column)), error.message
    assert position is not None or "duplicate field selected" in reason
    assert reason in error.message


# --- date literals in the org's time zone ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("zone", "offset"),
    [("UTC", 0), ("Pacific/Kiritimati", 14), ("Pacific/Pago_Pago", -11), ("Europe/Paris", 1),
     ("Nowhere/X", 0)],
)
@pytest.mark.parametrize("literal", ["TODAY", "YESTERDAY", "LAST_N_DAYS:30", "THIS_MONTH", "LAST_YEAR"])
def test_date_literals_follow_the_org_time_zone(conn: sa.Connection, zone: str, offset: int,
                                                literal: str) -> None:
    """Expected days from a fixed UTC offset (none of these zones observes DST in March 2025 except Paris,
    which is still at +1 on 12 March): a lead is in a literal's range when its local day is. Two more leads
    sit either side of UTC midnight, so that a zone ignored would show."""
    extra = []
    for n, created in ((90, dt.datetime(2025, 3, 12, 2)), (91, dt.datetime(2025, 3, 11, 12)),
                       (92, dt.datetime(2025, 2, 28, 23, 30)), (93, dt.datetime(2025, 1, 1, 0, 30))):
        lead = {**_lead(n), "CreatedDate": created}
        conn.execute(sa.insert(table_for("Lead")).values({**_system(lead["Id"], created), **lead}))
        extra.append(lead)
    page = run_query(conn, ORG, f"SELECT Id FROM Lead WHERE CreatedDate = {literal}", now=NOW, time_zone=zone)
    shift = dt.timedelta(hours=offset)
    today = (NOW + shift).date()
    first, after = {
        "TODAY": (today, today + dt.timedelta(days=1)),
        "YESTERDAY": (today - dt.timedelta(days=1), today),
        "LAST_N_DAYS:30": (today - dt.timedelta(days=30), today + dt.timedelta(days=1)),
        "THIS_MONTH": (today.replace(day=1), dt.date(today.year, today.month + 1, 1)),
        "LAST_YEAR": (dt.date(today.year - 1, 1, 1), dt.date(today.year, 1, 1)),
    }[literal]
    expected = sorted(r["Id"] for r in LEADS + extra if first <= (r["CreatedDate"] + shift).date() < after)
    assert sorted(r.id for r in page.records) == expected


# --- convertTimezone(): date functions in the user's time zone ---------------------------------------------
# SOQL reference, "convertTimezone()": a date function reads a dateTime in UTC unless the field is wrapped in
# convertTimezone(), which converts it to the user's time zone. Expected values come from zoneinfo here; the
# leads' CreatedDate hours (8-18 UTC, 17 days apart) cross local midnight in both zones and DST changes in LA.
@pytest.mark.parametrize(
    ("zone", "function"),
    [("America/Los_Angeles", "HOUR_IN_DAY")]  # its DST: 8 or 7 hours behind
    + [(zone, function) for zone in ("Pacific/Honolulu", "Asia/Tokyo")
       for function in ("HOUR_IN_DAY", "DAY_ONLY", "CALENDAR_MONTH", "DAY_IN_WEEK", "DAY_IN_MONTH")],
)
def test_date_functions_with_convert_timezone(conn: sa.Connection, zone: str, function: str) -> None:
    soql = (f"SELECT {function}(convertTimezone(CreatedDate)) d, COUNT(Id) n FROM Lead "
            f"GROUP BY {function}(convertTimezone(CreatedDate))")
    page = run_query(conn, ORG, soql, now=NOW, time_zone=zone)
    local = ZoneInfo(zone)
    counts = Counter(
        DATE_FUNCTIONS[function](r["CreatedDate"].replace(tzinfo=UTC).astimezone(local)) for r in LEADS
    )
    assert _bag([dict(r.fields) for r in page.records]) == _bag([{"d": k, "n": v} for k, v in counts.items()])
    utc = Counter(DATE_FUNCTIONS[function](r["CreatedDate"]) for r in LEADS)
    assert counts != utc  # the data would show a zone ignored


def test_convert_timezone_in_where(conn: sa.Connection) -> None:
    local = ZoneInfo("America/Los_Angeles")
    page = run_query(conn, ORG, "SELECT Id FROM Lead WHERE HOUR_IN_DAY(convertTimezone(CreatedDate)) < 4",
                     now=NOW, time_zone="America/Los_Angeles")
    expected = [r["Id"] for r in LEADS if r["CreatedDate"].replace(tzinfo=UTC).astimezone(local).hour < 4]
    assert expected and sorted(r.id for r in page.records) == sorted(expected)


def test_date_functions_without_convert_timezone_stay_in_utc(conn: sa.Connection) -> None:
    page = run_query(conn, ORG, "SELECT HOUR_IN_DAY(CreatedDate) h, COUNT(Id) n FROM Lead "
                     "GROUP BY HOUR_IN_DAY(CreatedDate)", now=NOW, time_zone="Asia/Tokyo")
    counts = Counter(r["CreatedDate"].hour for r in LEADS)
    assert _bag([dict(r.fields) for r in page.records]) == _bag([{"h": k, "n": v} for k, v in counts.items()])


@pytest.mark.parametrize(
    ("soql", "code", "column"),
    [
        ("SELECT convertTimezone(CreatedDate) FROM Lead", "MALFORMED_QUERY", 8),
        ("SELECT Id FROM Lead WHERE convertTimezone(CreatedDate) > 2020-01-01T00:00:00Z",
         "MALFORMED_QUERY", 27),
        ("SELECT Id FROM Lead WHERE CALENDAR_YEAR(convertTimezone(ConvertedDate)) = 2024",
         "INVALID_FIELD", 27),
    ],
)
def test_convert_timezone_only_in_a_date_function(ask: Ask, soql: str, code: str, column: int) -> None:
    with pytest.raises(QueryError) as caught:
        ask(soql)
    error = caught.value
    assert (error.code, error.row, error.column) == (code, 1, column)

"""Aggregates, child subqueries and TYPEOF through both doors on the demo database: REST /query, /queryAll and
nextRecordsUrl, SOAP query / queryAll / queryMore. Expected values come from the rows in the database (read
past the API), not from the engine."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from lxml import etree

from tests.contract.test_soap_shapes import NS, XSI, Soap, soap
from tests.integration.test_rest_fixtures import Api, api, errors_of

__all__ = ["api", "soap"]


def _seed_leads(api: Api) -> list[dict]:
    for n in range(9):
        api.create(
            "Lead",
            LastName=f"Agg{n}",
            Company="Agg Co",
            LeadSource=["Web", "Phone Inquiry", "Other"][n % 3],
            NumberOfEmployees=n * 5,
        )
    return api.rows("Lead")


def test_rest_aggregate_shape(api: Api) -> None:
    rows = _seed_leads(api)
    response = api.get(
        "/query",
        params={
            "q": "SELECT LeadSource, COUNT(Id) cnt, SUM(NumberOfEmployees) FROM Lead GROUP BY LeadSource"
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    counts = Counter(r["LeadSource"] for r in rows)
    sums: dict = {}
    for r in rows:
        if r["NumberOfEmployees"] is not None:
            sums[r["LeadSource"]] = sums.get(r["LeadSource"], 0) + r["NumberOfEmployees"]
    assert (body["totalSize"], body["done"]) == (len(counts), True)
    assert "nextRecordsUrl" not in body
    got = {r["LeadSource"]: r for r in body["records"]}
    assert set(got) == set(counts)
    for source, record in got.items():
        assert record == {
            "attributes": {"type": "AggregateResult"},
            "LeadSource": source,
            "cnt": counts[source],
            "expr0": sums.get(source),
        }


def test_rest_query_all_aggregates_count_deleted(api: Api) -> None:
    lead = api.create("Lead", LastName="Bin", Company="Bin Co")
    assert api.delete(f"/sobjects/Lead/{lead}").status_code == 204
    live, every = len(api.rows("Lead")), len(api.rows("Lead", include_deleted=True))
    q = {"q": "SELECT COUNT(Id) n FROM Lead"}
    assert api.get("/query", params=q).json()["records"][0]["n"] == live
    assert api.get("/queryAll", params=q).json()["records"][0]["n"] == every == live + 1


def _case_tree(api: Api) -> tuple[str, list[str], str]:
    parent = api.create("Case", Subject="Door parent")
    kids = [api.create("Case", Subject=f"Door kid {n}", ParentId=parent) for n in range(3)]
    lonely = api.create("Case", Subject="Door lonely")
    return parent, kids, lonely


def test_rest_child_subquery_shape(api: Api) -> None:
    parent, kids, lonely = _case_tree(api)
    soql = (
        f"SELECT Subject, (SELECT Subject FROM Cases ORDER BY Subject LIMIT 2) FROM Case "
        f"WHERE Id IN ('{parent}', '{lonely}') ORDER BY Subject"
    )
    body = api.get("/query", params={"q": soql}).json()
    first, second = body["records"]
    assert first["Subject"] == "Door lonely" and first["Cases"] is None
    cases = second["Cases"]
    assert (cases["totalSize"], cases["done"]) == (2, True)
    assert [r["Subject"] for r in cases["records"]] == ["Door kid 0", "Door kid 1"]
    assert cases["records"][0]["attributes"] == {
        "type": "Case",
        "url": f"/services/data/v59.0/sobjects/Case/{kids[0]}",
    }


def test_rest_typeof_shape(api: Api) -> None:
    rows = api.rows("Lead")
    body = api.get(
        "/query",
        params={
            "q": "SELECT Id, TYPEOF Owner WHEN User THEN Username WHEN Group THEN "
            "DeveloperName END FROM Lead ORDER BY Id LIMIT 5"
        },
    ).json()
    for record, row in zip(body["records"], rows[:5], strict=True):
        owner = record["Owner"]
        kind = "User" if row["OwnerId"].startswith("005") else "Group"
        assert owner["attributes"] == {
            "type": kind,
            "url": f"/services/data/v59.0/sobjects/{kind}/{row['OwnerId']}",
        }
        assert set(owner) == {"attributes", "Username" if kind == "User" else "DeveloperName"}


def test_rest_pages_parents_with_subqueries(api: Api) -> None:
    """Parents with a subquery page through nextRecordsUrl like any query; every page carries its children."""
    parent, kids, _ = _case_tree(api)
    records = [{"attributes": {"type": "Case"}, "Subject": f"Bulk {n:03}"} for n in range(200)]
    response = api.post("/composite/sobjects", json={"records": records})
    assert response.status_code == 200, response.text
    total = len(api.rows("Case"))
    soql = "SELECT Id, (SELECT Id FROM Cases) FROM Case ORDER BY Subject"
    page = api.get("/query", params={"q": soql}, headers={"Sforce-Query-Options": "batchSize=200"}).json()
    seen = list(page["records"])
    while not page["done"]:
        page = api.get(page["nextRecordsUrl"]).json()
        seen += page["records"]
    assert len(seen) == total > 200
    with_kids = {r["Id"]: [k["Id"] for k in r["Cases"]["records"]] for r in seen if r["Cases"]}
    assert {k: sorted(v) for k, v in with_kids.items()} == {parent: sorted(kids)}


def test_rest_malformed_aggregate(api: Api) -> None:
    response = api.get("/query", params={"q": "SELECT LastName, COUNT(Id) FROM Lead GROUP BY LeadSource"})
    assert response.status_code == 400
    ((code, message),) = errors_of(response)
    assert code == "MALFORMED_QUERY"
    assert message.endswith("ERROR at Row:1:Column:8\nField must be grouped or aggregated: LastName")


# --- SOAP -------------------------------------------------------------------------------------------------
def _soap_query(soap: Soap, session: str, soql: str, call: str = "query") -> etree._Element:
    escaped = soql.replace("&", "&amp;").replace("<", "&lt;")
    response = soap.call(f"<u:{call}><u:queryString>{escaped}</u:queryString></u:{call}>", session)
    assert response.status_code == 200, response.text
    return etree.fromstring(response.content).find(f".//p:{call}Response/p:result", NS)


def test_soap_aggregate_shape(soap: Soap, api: Api) -> None:
    rows = _seed_leads(api)
    session = soap.login()
    result = _soap_query(
        soap, session, "SELECT COUNT(Id) n, MAX(CreatedDate) latest, AVG(NumberOfEmployees) FROM Lead"
    )
    rest_like = _soap_query(soap, session, "SELECT Id FROM Lead")
    (record,) = result.findall("p:records", NS)
    assert record.findtext("sf:type", namespaces=NS) == "AggregateResult"
    assert record.find("sf:Id", NS).get(f"{{{XSI}}}nil") == "true"
    n = record.find("sf:n", NS)
    assert (n.text, n.get(f"{{{XSI}}}type")) == (rest_like.findtext("p:size", namespaces=NS), "xsd:int")
    assert n.text == str(len(rows))
    assert record.find("sf:latest", NS).get(f"{{{XSI}}}type") == "xsd:dateTime"
    average = sum(r["NumberOfEmployees"] for r in rows) / len(rows)
    assert float(record.findtext("sf:expr0", namespaces=NS)) == pytest.approx(average)
    assert record.find("sf:expr0", NS).get(f"{{{XSI}}}type") == "xsd:double"
    assert result.findtext("p:size", namespaces=NS) == "1"


def test_soap_child_subquery_shape(soap: Soap, api: Api) -> None:
    parent, _kids, lonely = _case_tree(api)
    session = soap.login()
    result = _soap_query(
        soap,
        session,
        f"SELECT Subject, (SELECT Subject FROM Cases ORDER BY Subject) FROM Case "
        f"WHERE Id IN ('{parent}', '{lonely}') ORDER BY Subject",
    )
    lonely_record, parent_record = result.findall("p:records", NS)
    assert lonely_record.find("sf:Cases", NS) is not None
    assert lonely_record.find("sf:Cases", NS).get(f"{{{XSI}}}nil") == "true"
    cases = parent_record.find("sf:Cases", NS)
    assert cases.get(f"{{{XSI}}}type") == "QueryResult"
    assert [etree.QName(c).localname for c in cases] == [
        "done",
        "queryLocator",
        "records",
        "records",
        "records",
        "size",
    ]
    assert [r.findtext("sf:Subject", namespaces=NS) for r in cases.findall("p:records", NS)] == [
        "Door kid 0",
        "Door kid 1",
        "Door kid 2",
    ]
    assert cases.findtext("p:size", namespaces=NS) == "3"


def _text(record: etree._Element, name: str) -> str | None:
    element = record.find(f"sf:{name}", NS)
    return None if element.get(f"{{{XSI}}}nil") == "true" else element.text


@pytest.mark.parametrize("call", ["query", "queryAll"])
def test_soap_group_by_with_rollup(soap: Soap, api: Api, call: str) -> None:
    rows = _seed_leads(api)
    session = soap.login()
    result = _soap_query(
        soap,
        session,
        "SELECT LeadSource, GROUPING(LeadSource) g, COUNT(Id) n FROM Lead GROUP BY ROLLUP(LeadSource)",
        call,
    )
    got = [(_text(r, "LeadSource"), _text(r, "g"), _text(r, "n")) for r in result.findall("p:records", NS)]
    counts = Counter(r["LeadSource"] for r in rows)
    assert got[-1] == (None, "1", str(len(rows)))
    assert sorted(got[:-1], key=str) == sorted(((k, "0", str(v)) for k, v in counts.items()), key=str)


# --- REST extras: columns=true and explain ----------------------------------------------------------------
def _column(name: str, **kw: object) -> dict:
    base = {
        "aggregate": False,
        "apexType": None,
        "booleanType": False,
        "columnName": name,
        "custom": False,
        "displayName": name,
        "foreignKeyName": None,
        "insertable": False,
        "joinColumns": [],
        "numberType": False,
        "textType": False,
        "updatable": False,
    }
    return base | kw


def test_rest_columns_metadata(api: Api) -> None:
    q = "SELECT Id, LastName, Owner.Name, NumberOfEmployees, (SELECT Subject FROM Cases) FROM Lead"
    response = api.get("/query", params={"q": q, "columns": "true"})
    assert response.status_code == 400  # Lead has no child relationship "Cases"
    q = "SELECT Id, Subject, Owner.Name, IsEscalated, (SELECT Subject FROM Cases) FROM Case"
    body = api.get("/query", params={"q": q, "columns": "true"}).json()
    subject = _column("Subject", apexType="String", textType=True, insertable=True, updatable=True)
    assert body == {
        "columnMetadata": [
            _column("Id", apexType="Id", textType=True),
            subject,
            _column(
                "Owner",
                foreignKeyName="OwnerId",
                joinColumns=[_column("Name", apexType="String", textType=True)],
            ),
            _column("IsEscalated", apexType="Boolean", booleanType=True, insertable=True, updatable=True),
            _column("Cases", aggregate=True, joinColumns=[subject]),
        ],
        "entityName": "Case",
        "groupBy": False,
        "idSelected": True,
        "keyPrefix": "500",
    }


def test_rest_columns_metadata_of_an_aggregate(api: Api) -> None:
    q = "SELECT LeadSource, COUNT(Id) n, AVG(NumberOfEmployees) FROM Lead GROUP BY LeadSource"
    body = api.get("/query", params={"q": q, "columns": "true"}).json()
    assert [
        (c["columnName"], c["displayName"], c["aggregate"], c["numberType"]) for c in body["columnMetadata"]
    ] == [
        ("LeadSource", "LeadSource", True, False),
        ("n", "count(Id)", True, True),
        ("expr0", "avg(NumberOfEmployees)", True, True),
    ]
    assert (body["entityName"], body["groupBy"]) == ("AggregateResult", True)


def test_rest_columns_metadata_of_a_formatted_aggregate(api: Api) -> None:
    """FORMAT(aggregate) is a column like its aggregate: named exprN in the aggregates' count, even without
    GROUP BY (SOQL reference, "FORMAT()": `SELECT FORMAT(MIN(closedate)) Amt FROM opportunity`)."""
    q = "SELECT FORMAT(MIN(CreatedDate)), COUNT(Id), FORMAT(SUM(AnnualRevenue)) total FROM Lead"
    body = api.get("/query", params={"q": q, "columns": "true"}).json()
    assert [(c["columnName"], c["displayName"], c["aggregate"]) for c in body["columnMetadata"]] == [
        ("expr0", "min(CreatedDate)", True),
        ("expr1", "count(Id)", True),
        ("total", "sum(AnnualRevenue)", True),
    ]
    assert (body["entityName"], body["groupBy"]) == ("AggregateResult", False)


def test_rest_explain(api: Api) -> None:
    rows = _seed_leads(api)
    owner = rows[0]["OwnerId"]
    body = api.get(
        "/query", params={"explain": f"SELECT Id FROM Lead WHERE OwnerId = '{owner}' AND City = 'x'"}
    )
    assert body.status_code == 200, body.text
    index, scan = body.json()["plans"]
    matching = sum(1 for r in rows if r["OwnerId"] == owner and r["City"] == "x")
    assert (
        index["leadingOperationType"],
        index["fields"],
        index["cardinality"],
        index["sobjectCardinality"],
    ) == ("Index", ["OwnerId"], matching, len(rows))
    assert scan["leadingOperationType"] == "TableScan" and scan["relativeCost"] > index["relativeCost"]
    assert scan["notes"] == [
        {
            "description": "Not considering filter for optimization because unindexed",
            "fields": ["City"],
            "tableEnumOrId": "Lead",
        }
    ]
    (only,) = api.get("/query", params={"explain": "SELECT Id FROM Lead"}).json()["plans"]
    assert (only["leadingOperationType"], only["cardinality"]) == ("TableScan", len(rows))
    bad = api.get("/query", params={"explain": "SELECT Nope FROM Lead"})
    assert bad.status_code == 400 and errors_of(bad)[0][0] == "INVALID_FIELD"


# --- the same aggregate corpus through both doors -------------------------------------------------------
DOOR_AGGREGATES = {
    "COUNT(Id)": lambda rows: len(rows),
    "COUNT_DISTINCT(Company)": lambda rows: len({r["Company"] for r in rows}),
    "SUM(NumberOfEmployees)": lambda rows: sum(r["NumberOfEmployees"] or 0 for r in rows),
    "MAX(NumberOfEmployees)": lambda rows: max(r["NumberOfEmployees"] for r in rows),
    "MIN(LastName)": lambda rows: min(r["LastName"] for r in rows),
}


def _soap_values(soap: Soap, soql: str) -> list[dict]:
    result = _soap_query(soap, soap.login(), soql)
    out = []
    for record in result.findall("p:records", NS):
        row = {}
        for child in record:
            name = etree.QName(child).localname
            if name in ("type", "Id"):
                continue
            kind = child.get(f"{{{XSI}}}type")
            text = None if child.get(f"{{{XSI}}}nil") == "true" else child.text
            row[name] = int(text) if kind == "xsd:int" and text is not None else text
        out.append(row)
    return out


@pytest.mark.parametrize("door", ["rest", "soap"])
@pytest.mark.parametrize("group", ["LeadSource", "Status"])
@pytest.mark.parametrize("agg", list(DOOR_AGGREGATES))
def test_aggregates_through_both_doors(api: Api, soap: Soap, door: str, group: str, agg: str) -> None:
    rows = _seed_leads(api)
    soql = f"SELECT {group}, {agg} v FROM Lead GROUP BY {group}"
    groups: dict = {}
    for row in rows:
        groups.setdefault(row[group], []).append(row)
    expected = {key: DOOR_AGGREGATES[agg](members) for key, members in groups.items()}
    if door == "rest":
        got = {r[group]: r["v"] for r in api.get("/query", params={"q": soql}).json()["records"]}
    else:
        got = {r[group]: r["v"] for r in _soap_values(soap, soql)}
        expected = {k: v if isinstance(v, int) else str(v) for k, v in expected.items()}
    assert got == expected


# --- the running user's time zone ------------------------------------------------------------------------
def _local_hour(api: Api, lead: str, zone: str) -> int:
    (row,) = [r for r in api.rows("Lead") if r["Id"] == lead]
    return row["CreatedDate"].replace(tzinfo=dt.UTC).astimezone(ZoneInfo(zone)).hour


HOUR_SOQL = ("SELECT HOUR_IN_DAY(convertTimezone(CreatedDate)) h, HOUR_IN_DAY(CreatedDate) u FROM Lead "
             "WHERE Id = '{}' GROUP BY HOUR_IN_DAY(convertTimezone(CreatedDate)), HOUR_IN_DAY(CreatedDate)")


def test_convert_timezone_reads_the_running_users_zone(api: Api, soap: Soap) -> None:
    """convertTimezone() converts to the user's time zone (SOQL reference, "convertTimezone()"): the demo
    admin's is America/Los_Angeles; testUser names none in sfmock-org.toml, so has the org's default (GMT)."""
    lead = api.create("Lead", LastName="Zone", Company="Zone Co")
    users = {u["Username"]: u["TimeZoneSidKey"] for u in api.rows("User")}
    assert (users["admin@acme.example"], users["testUser@org.com"]) == ("America/Los_Angeles", "GMT")
    utc, la = _local_hour(api, lead, "UTC"), _local_hour(api, lead, "America/Los_Angeles")
    (record,) = api.get("/query", params={"q": HOUR_SOQL.format(lead)}).json()["records"]
    assert (record["h"], record["u"]) == (la, utc)
    other = api.login("testUser@org.com")
    (record,) = api.get("/query", params={"q": HOUR_SOQL.format(lead)}, token=other).json()["records"]
    assert (record["h"], record["u"]) == (utc, utc)
    result = _soap_query(soap, soap.login(), HOUR_SOQL.format(lead))
    (record,) = result.findall("p:records", NS)
    hours = (record.findtext("sf:h", namespaces=NS), record.findtext("sf:u", namespaces=NS))
    assert hours == (str(la), str(utc))

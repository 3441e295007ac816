"""Unmodified simple-salesforce, jsforce and zeep reading aggregate results, child subqueries and SOSL results
from a real sfmock server. Expected values come from the records each test created."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from sfmock.soap.wsdl import WSDL_PATH
from tests.e2e.test_jsforce import Jsforce, js, jsforce_installed
from tests.e2e.test_simple_salesforce import _trust_sfmock_ca, sf
from tests.e2e.test_soap_zeep import Partner

pytestmark = pytest.mark.e2e
__all__ = ["_trust_sfmock_ca", "js", "jsforce_installed", "sf"]

SOURCES = ["Web", "Web", "Phone Inquiry", "Other", "Web"]


def _leads(create: Any) -> list[dict]:
    records = [
        {
            "LastName": f"Depth{n}",
            "Company": f"Quasar {n % 2}",
            "LeadSource": source,
            "NumberOfEmployees": 10 * (n + 1),
            "Country": "France",
        }
        for n, source in enumerate(SOURCES)
    ]
    for record in records:
        create(record)
    return records


def _expected_groups(records: list[dict]) -> dict[str, tuple[int, int]]:
    counts = Counter(r["LeadSource"] for r in records)
    return {
        s: (counts[s], sum(r["NumberOfEmployees"] for r in records if r["LeadSource"] == s)) for s in counts
    }


# --- simple-salesforce ------------------------------------------------------------------------------------
def test_simple_salesforce_reads_aggregates_subqueries_and_search(sf) -> None:
    records = _leads(sf.Lead.create)
    result = sf.query(
        "SELECT LeadSource, COUNT(Id) n, SUM(NumberOfEmployees) FROM Lead "
        "WHERE Company LIKE 'Quasar%' GROUP BY LeadSource"
    )
    got = {r["LeadSource"]: (r["n"], r["expr0"]) for r in result["records"]}
    assert got == _expected_groups(records)
    assert {r["attributes"]["type"] for r in result["records"]} == {"AggregateResult"}

    parent = sf.Case.create({"Subject": "Quasar parent"})["id"]
    kids = [sf.Case.create({"Subject": f"Quasar kid {n}", "ParentId": parent})["id"] for n in range(2)]
    tree = sf.query(
        f"SELECT Subject, (SELECT Id FROM Cases ORDER BY Subject) FROM Case WHERE Id = '{parent}'"
    )
    assert [k["Id"] for k in tree["records"][0]["Cases"]["records"]] == kids

    found = sf.search("FIND {quasar} IN ALL FIELDS RETURNING Lead(LastName ORDER BY LastName), Case(Subject)")
    leads = [r["LastName"] for r in found["searchRecords"] if r["attributes"]["type"] == "Lead"]
    assert leads == sorted(r["LastName"] for r in records)
    quick = sf.quick_search("Depth3")
    assert [r["attributes"]["type"] for r in quick["searchRecords"]] == ["Lead"]


# --- jsforce ----------------------------------------------------------------------------------------------
def test_jsforce_reads_aggregates_subqueries_and_search(js: Jsforce) -> None:
    records = _leads(lambda record: js("create", record=record))
    result = js(
        "query",
        soql="SELECT LeadSource, COUNT(Id) n, SUM(NumberOfEmployees) FROM Lead "
        "WHERE Company LIKE 'Quasar%' GROUP BY LeadSource",
    )
    assert {r["LeadSource"]: (r["n"], r["expr0"]) for r in result["records"]} == _expected_groups(records)
    parent = js("create", sobject="Case", record={"Subject": "Quasar parent"})["result"]["id"]
    kid = js("create", sobject="Case", record={"Subject": "Quasar kid", "ParentId": parent})["result"]["id"]
    tree = js(
        "query",
        soql="SELECT Subject, (SELECT Id FROM Cases) FROM Case WHERE Subject LIKE 'Quasar%' ORDER BY Subject",
    )
    assert [r["Cases"] and [k["Id"] for k in r["Cases"]["records"]] for r in tree["records"]] == [None, [kid]]
    found = js("search", sosl="FIND {quasar*} RETURNING Lead(LastName ORDER BY LastName), Case(Subject)")
    assert [r["attributes"]["type"] for r in found["searchRecords"]] == ["Lead"] * 5 + ["Case"] * 2


# --- zeep (Partner WSDL) ----------------------------------------------------------------------------------


def test_zeep_reads_aggregates_and_subqueries(fresh_server: Any) -> None:
    partner = Partner(WSDL_PATH, fresh_server)
    records = _leads(
        lambda record: partner.create([partner.sobject("Lead", **{k: str(v) for k, v in record.items()})])
    )
    result = partner.service.query(
        "SELECT LeadSource, COUNT(Id) n, SUM(NumberOfEmployees) s FROM Lead "
        "WHERE Company LIKE 'Quasar%' GROUP BY LeadSource",
        _soapheaders=partner.session,
    ).body.result
    got = {}
    for record in result.records:
        assert record.type == "AggregateResult" and record.Id is None
        # Every value names its xsd type, so zeep hands back typed values (in SELECT order) for the any part.
        source, n, total = record._value_1
        assert (type(source), type(n), type(total)) == (str, int, int)
        got[source] = (n, int(total))
    assert got == _expected_groups(records)

    [parent] = partner.create([partner.sobject("Case", Subject="Zeep parent")])
    partner.create([partner.sobject("Case", Subject="Zeep kid", ParentId=parent.id)])
    tree = partner.service.query(
        f"SELECT Subject, (SELECT Subject FROM Cases) FROM Case WHERE Id = '{parent.id}'",
        _soapheaders=partner.session,
    ).body.result
    (subject, cases) = tree.records[0]._value_1
    assert subject.text == "Zeep parent"
    # The nested QueryResult is read by zeep as the WSDL's QueryResult type.
    assert (cases.done, cases.size, cases.queryLocator) == (True, 1, None)
    [kid] = cases.records
    assert (kid.type, [e.text for e in kid._value_1]) == ("Case", ["Zeep kid"])


def test_zeep_reads_search_results(fresh_server: Any) -> None:
    partner = Partner(WSDL_PATH, fresh_server)
    [lead] = partner.create([partner.sobject("Lead", LastName="Nebulon", Company="Quasar Works")])
    [case] = partner.create([partner.sobject("Case", Subject="Quasar outage")])
    result = partner.service.search(
        "FIND {quasar} RETURNING Lead(Id, LastName), Case(Id, Subject)", _soapheaders=partner.session
    ).body.result
    found = [(r.record.type, r.record.Id, [e.text for e in r.record._value_1]) for r in result.searchRecords]
    assert found == [("Lead", lead.id, [lead.id, "Nebulon"]), ("Case", case.id, [case.id, "Quasar outage"])]

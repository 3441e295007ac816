"""Bulk upsert keyed on a custom External ID field of the org's schema (the demo org's Lead.External_Id__c,
defined in its force-app folder), through unmodified clients on a real server: simple-salesforce `bulk` and
`bulk2`, jsforce `bulk.load` and `bulk2.loadAndWaitForResults` with assignmentRuleId. Each asserts the per-row
results (created, then matched by the key), the stored values and owners, and an empty outbox."""
from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from simple_salesforce import Salesforce

from tests.e2e.test_bulk_jsforce import _rule_id
from tests.e2e.test_jsforce import Jsforce, _queue_id, js, jsforce_installed
from tests.e2e.test_simple_salesforce import ADMIN, _trust_sfmock_ca, sf

pytestmark = pytest.mark.e2e
__all__ = ["_trust_sfmock_ca", "js", "jsforce_installed", "sf"]

KEY = "External_Id__c"


def _by_key(sf: Salesforce, keys: list[str]) -> dict[str, dict[str, Any]]:
    quoted = ",".join(f"'{k}'" for k in keys)
    rows = sf.query_all(f"SELECT Id, {KEY}, LastName, Title, OwnerId FROM Lead WHERE {KEY} IN ({quoted})")
    return {r[KEY]: r for r in rows["records"]}


def test_simple_salesforce_bulk_upserts_on_a_custom_external_id(sf: Salesforce, fresh_server: Any) -> None:
    first = sf.bulk.Lead.upsert([{KEY: "B1-1", "LastName": "Weber", "Company": "BASF", "Region__c": "EMEA"},
                                 {KEY: "B1-2", "LastName": "Rossi", "Company": "Eni"}], KEY)
    assert [(r["success"], r["created"]) for r in first] == [(True, True), (True, True)]
    again = sf.bulk.Lead.upsert([{KEY: "B1-2", "Title": "CFO"}, {KEY: "B1-3", "Company": "NoName"}], KEY)
    assert [(r["success"], r["created"]) for r in again] == [(True, False), (False, False)], again
    assert again[1]["errors"][0]["statusCode"] == "REQUIRED_FIELD_MISSING"
    stored = _by_key(sf, ["B1-1", "B1-2", "B1-3"])
    assert sorted(stored) == ["B1-1", "B1-2"]
    assert again[0]["id"] == first[1]["id"]
    assert (stored["B1-2"]["Title"], stored["B1-2"]["LastName"]) == ("CFO", "Rossi")
    admin = sf.query(f"SELECT Id FROM User WHERE Username = '{ADMIN}'")["records"][0]["Id"]
    assert {r["OwnerId"] for r in stored.values()} == {admin}  # no assignmentRuleId: no rule runs
    assert fresh_server.outbox() == []


def test_simple_salesforce_bulk2_upserts_on_a_custom_external_id(sf: Salesforce, fresh_server: Any) -> None:
    [first] = sf.bulk2.Lead.upsert(records=[{KEY: "B2-1", "LastName": "Weber", "Company": "BASF"},
                                            {KEY: "B2-2", "LastName": "Rossi", "Company": "Eni"}],
                                   external_id_field=KEY)
    assert (first["numberRecordsProcessed"], first["numberRecordsFailed"]) == (2, 0)
    second = [{KEY: "B2-2", "LastName": "Rossi", "Company": "Eni", "Title": "CEO"},
              {KEY: "B2-3", "LastName": "Neu", "Company": "SAP"}]
    [again] = sf.bulk2.Lead.upsert(records=second, external_id_field=KEY)
    ok = list(csv.DictReader(io.StringIO(sf.bulk2.Lead.get_successful_records(again["job_id"]))))
    assert sorted((r[KEY], r["sf__Created"]) for r in ok) == [("B2-2", "false"), ("B2-3", "true")]
    stored = _by_key(sf, ["B2-1", "B2-2", "B2-3"])
    assert (stored["B2-2"]["Title"], len(stored)) == ("CEO", 3)
    assert next(r["sf__Id"] for r in ok if r[KEY] == "B2-2") == stored["B2-2"]["Id"]
    assert fresh_server.outbox() == []


def test_jsforce_bulk_and_bulk2_upsert_on_a_custom_external_id_with_a_rule(js: Jsforce, fresh_server: Any,
                                                                           ) -> None:
    rule = _rule_id(fresh_server, "Standard Routing")
    # jsforce takes the CSV header from the first record: every record carries the same keys.
    rows = [{KEY: "J1-1", "LastName": "Dupont", "Company": "Total", "Region__c": "EMEA", "Country": ""},
            {KEY: "J1-2", "LastName": "Kumar", "Company": "Tata", "Region__c": "", "Country": "India"}]
    options = {"extIdField": KEY, "assignmentRuleId": rule}
    loaded = js("bulkLoad", sobject="Lead", operation="upsert", options=options, records=rows)
    assert [(r["success"], r.get("errors")) for r in loaded] == [(True, []), (True, [])]
    answer = js("bulk2Load", options={"object": "Lead", "operation": "upsert", "externalIdFieldName": KEY,
                                      "assignmentRuleId": rule},
                records=[{KEY: "J1-1", "LastName": "Dupont", "Company": "Total", "Title": "COO"},
                         {KEY: "J1-3", "LastName": "Smith", "Company": "Widgets", "Title": ""}])
    assert sorted((r[KEY], r["sf__Created"]) for r in answer["successfulResults"]) == [("J1-1", "false"),
                                                                                       ("J1-3", "true")]
    assert (answer["failedResults"], answer["unprocessedRecords"]) == ([], [])
    [updated] = [r for r in answer["successfulResults"] if r[KEY] == "J1-1"]
    assert updated["sf__Id"] == loaded[0]["id"]
    soql = f"SELECT {KEY}, Title, OwnerId FROM Lead WHERE {KEY} LIKE 'J1-%'"
    stored = {r[KEY]: r for r in js("bulk2Query", soql=soql)}
    assert {k: (r["Title"], r["OwnerId"]) for k, r in stored.items()} == {
        "J1-1": ("COO", _queue_id(fresh_server, "EMEA_Leads_Queue")),
        "J1-2": ("", _queue_id(fresh_server, "India_SMB_Queue")),
        "J1-3": ("", _queue_id(fresh_server, "Unassigned_Leads_Queue"))}
    assert fresh_server.outbox() == []

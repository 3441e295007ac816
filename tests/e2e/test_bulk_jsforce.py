"""jsforce's Bulk clients, unmodified (the pin of tests/e2e/jsforce), against a real server: `conn.bulk.load`
and
`conn.bulk2.loadAndWaitForResults` with assignmentRuleId route every row through that rule, answer one result
per row and send no mail; `conn.bulk2.query` pages through a query job."""
from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.test_jsforce import (
    Jsforce,
    _admin,
    _journal,
    _org_id,
    _queue_id,
    _user_id,
    js,
    jsforce_installed,
)

pytestmark = pytest.mark.e2e
__all__ = ["js", "jsforce_installed"]

ROWS = [{"LastName": "Kumar", "Company": "Tata", "Country": "India"},
        {"LastName": "Smith", "Company": "Widgets", "Country": "France"},
        {"Company": "NoName"}]


def _rule_id(server: Any, name: str) -> str:
    rules = _admin(server, f"/orgs/{_org_id(server)}/rules")
    return next(r["Id"] for r in rules if r["Name"] == name)


def _owner(js: Jsforce, lead_id: str) -> str:
    [row] = js("bulk2Query", soql=f"SELECT Id, OwnerId FROM Lead WHERE Id = '{lead_id}'")
    return row["OwnerId"]


def test_bulk_load_with_assignment_rule_id(js: Jsforce, fresh_server: Any) -> None:
    rule = _rule_id(fresh_server, "Standard Routing")
    results = js("bulkLoad", sobject="Lead", operation="insert", options={"assignmentRuleId": rule},
                 records=ROWS)
    assert [(r["success"], r.get("errors")) for r in results] == [
        (True, []), (True, []),
        (False, ["REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --"])]
    assert _owner(js, results[0]["id"]) == _queue_id(fresh_server, "India_SMB_Queue")
    assert _owner(js, results[1]["id"]) == _queue_id(fresh_server, "Unassigned_Leads_Queue")
    assert fresh_server.outbox() == []
    created = [e for e in _journal(fresh_server, door="bulk") if e["operation"] == "createJob"]
    assert [e["assignment"] for e in created] == [rule]


def test_bulk2_load_and_wait_with_assignment_rule_id(js: Jsforce, fresh_server: Any) -> None:
    rule = _rule_id(fresh_server, "Standard Routing")
    answer = js("bulk2Load", options={"object": "Lead", "operation": "insert", "assignmentRuleId": rule},
                records=ROWS)
    ok, failed = answer["successfulResults"], answer["failedResults"]
    assert [(r["sf__Created"], r["LastName"]) for r in ok] == [("true", "Kumar"), ("true", "Smith")]
    assert [(r["sf__Error"], r["Company"]) for r in failed] == [
        ("REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --", "NoName")]
    assert answer["unprocessedRecords"] == []
    assert _owner(js, ok[0]["sf__Id"]) == _queue_id(fresh_server, "India_SMB_Queue")
    assert _owner(js, ok[1]["sf__Id"]) == _queue_id(fresh_server, "Unassigned_Leads_Queue")
    assert fresh_server.outbox() == []


def test_bulk2_without_a_rule_keeps_the_caller_as_owner(js: Jsforce, fresh_server: Any) -> None:
    answer = js("bulk2Load", options={"object": "Lead", "operation": "insert"}, records=ROWS[:1])
    assert _owner(js, answer["successfulResults"][0]["sf__Id"]) == _user_id(fresh_server,
                                                                            "admin@acme.example")


def test_bulk_invalid_session_makes_jsforce_log_in_again(js: Jsforce) -> None:
    # jsforce re-authenticates on Bulk 1.0 only for a 400 whose body holds "InvalidSessionId".
    answer = js("bulkSessionRefresh", records=ROWS[:1])
    assert (answer["revokeStatus"], answer["refreshed"], answer["tokenChanged"]) == (200, 1, True)
    assert [r["success"] for r in answer["result"]] == [True]

"""SOQL over REST on the demo org: record shape, relationships, COUNT(), queryAll, paging, errors — and
injection attempts that change nothing."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.integration.test_rest_fixtures import ADMIN, V, api, errors_of

__all__ = ["api"]


def _leads(api, count: int, **extra) -> list[str]:
    ids: list[str] = []
    for start in range(0, count, 200):
        records = [{"attributes": {"type": "Lead"}, "LastName": f"L{i:05d}", "Company": "Acme"} | extra
                   for i in range(start, min(start + 200, count))]
        ids += [r["id"] for r in api.post("/composite/sobjects", json={"records": records}).json()]
    return ids


@pytest.mark.parametrize("path", ["/query", "/query/"])
def test_query_records_and_relationships(api, path):
    lead_id = api.create("Lead", LastName="Doe", Company="Acme", Country="India")
    mine = api.create("Lead", LastName="Mine", Company="Acme", headers={"Sforce-Auto-Assign": "FALSE"})
    response = api.get(path, params={"q": f"SELECT Id, OwnerId, Owner.Name FROM Lead WHERE Id = '{lead_id}'"})
    assert response.status_code == 200
    queue = api.queue("India_SMB_Queue")
    assert response.json() == {"totalSize": 1, "done": True, "records": [{
        "attributes": {"type": "Lead", "url": f"{V}/sobjects/Lead/{lead_id}"},
        "Id": lead_id, "OwnerId": queue,
        "Owner": {"attributes": {"type": "Name", "url": f"{V}/sobjects/Group/{queue}"},
                  "Name": "India SMB Queue"},
    }]}
    user = api.get(path, params={"q": f"SELECT Owner.Name, CreatedDate FROM Lead WHERE Id = '{mine}'"}).json()
    owner = user["records"][0]["Owner"]
    assert owner == {"attributes": {"type": "Name", "url": f"{V}/sobjects/User/{api.user(ADMIN)}"},
                     "Name": "Ada Admin"}
    assert (
        user["records"][0]["CreatedDate"].endswith(".000+0000")
        or "+0000" in user["records"][0]["CreatedDate"]
    )


def test_count_and_empty_results(api):
    _leads(api, 3)
    count = api.get("/query", params={"q": "SELECT COUNT() FROM Lead"}).json()
    assert count == {"totalSize": 3, "done": True, "records": []}
    empty = api.get("/query", params={"q": "SELECT Id FROM Lead WHERE LastName = 'nobody'"}).json()
    assert empty == {"totalSize": 0, "done": True, "records": []}


def test_query_all_sees_deleted_records(api):
    keep, gone = _leads(api, 2)
    assert api.delete(f"/sobjects/Lead/{gone}").status_code == 204
    live = api.get("/query", params={"q": "SELECT Id FROM Lead"}).json()
    assert [r["Id"] for r in live["records"]] == [keep]
    for path in ("/queryAll", "/queryAll/"):
        every = api.get(path, params={"q": "SELECT Id, IsDeleted FROM Lead ORDER BY LastName"}).json()
        assert [(r["Id"], r["IsDeleted"]) for r in every["records"]] == [(keep, False), (gone, True)]


def test_paging_with_next_records_url(api):
    ids = _leads(api, 450)
    first = api.get("/query", params={"q": "SELECT Id FROM Lead"},
                    headers={"Sforce-Query-Options": "batchSize=200"})
    body = first.json()
    assert body["totalSize"] == 450 and body["done"] is False and len(body["records"]) == 200
    assert body["nextRecordsUrl"].startswith(f"{V}/query/")
    seen = [r["Id"] for r in body["records"]]
    while not body["done"]:
        body = api.get(body["nextRecordsUrl"], headers={"Sforce-Query-Options": "batchSize=200"}).json()
        seen += [r["Id"] for r in body["records"]]
    assert "nextRecordsUrl" not in body and sorted(seen) == sorted(ids)
    default = api.get("/query", params={"q": "SELECT Id FROM Lead"}).json()
    assert default["done"] is True and len(default["records"]) == 450  # batches of 2,000 by default


@pytest.mark.parametrize(("q", "code", "fragment"), [
    ("SELECT Id FROM Lead WHERE", "MALFORMED_QUERY", "ERROR at Row:1:Column:26"),
    ("SELECT Bogus FROM Lead", "INVALID_FIELD", "No such column 'Bogus'"),
    ("SELECT Id FROM Leed", "INVALID_TYPE", "sObject type 'Leed' is not supported"),
    ("", "MALFORMED_QUERY", ""),
])
def test_query_errors(api, q, code, fragment):
    response = api.get("/query", params={"q": q})
    assert response.status_code == 400
    [(found, message)] = errors_of(response)
    assert found == code and fragment in message
    assert "fields" not in response.json()[0]


def test_missing_q_and_bad_locator(api):
    assert errors_of(api.get("/query"))[0][0] == "MALFORMED_QUERY"
    bad = api.get("/query/01gNOPE-2000")
    assert bad.status_code == 400 and errors_of(bad)[0][0] == "INVALID_QUERY_LOCATOR"


# --- injection ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("q", [
    "SELECT Id FROM Lead WHERE LastName = '' OR 1=1 --'",
    "SELECT Id FROM Lead WHERE LastName = 'x' OR 1=1 --",
    "SELECT Id FROM Lead; DROP TABLE sobj_lead",
    "SELECT Id FROM Lead WHERE LastName = 'x'; DELETE FROM sobj_lead; --'",
    "SELECT Id FROM Lead WHERE Id IN (SELECT Id FROM sobj_lead)",
    "SELECT Id FROM sobj_lead",
    "SELECT Id FROM Lead UNION SELECT Username FROM User",
])
def test_injection_attempts_are_refused_and_change_nothing(api, q):
    ids = _leads(api, 3)
    response = api.get("/query", params={"q": q})
    assert response.status_code == 400
    assert errors_of(response)[0][0] in ("MALFORMED_QUERY", "INVALID_TYPE", "INVALID_FIELD")
    assert sorted(r["Id"] for r in api.rows("Lead")) == sorted(ids)
    with api.demo.db.session() as sql:
        assert sql.execute(sa.text("SELECT COUNT(*) FROM sobj_lead")).scalar_one() == 3


def test_quotes_inside_a_literal_stay_a_literal(api):
    _leads(api, 3)
    tricky = api.create("Lead", LastName="O'Brien' OR '1'='1", Company="Acme")
    escaped = "O\\'Brien\\' OR \\'1\\'=\\'1"
    found = api.get("/query", params={"q": f"SELECT Id FROM Lead WHERE LastName = '{escaped}'"}).json()
    assert [r["Id"] for r in found["records"]] == [tricky]
    none = api.get("/query",
                   params={"q": "SELECT Id FROM Lead WHERE LastName = 'x\\' OR \\'1\\'=\\'1'"}).json()
    assert none["totalSize"] == 0


def test_injection_through_paths_and_parameters_changes_nothing(api):
    ids = _leads(api, 2)
    assert api.get("/sobjects/Lead/00Q' OR 1=1 --").status_code == 404
    assert api.delete("/sobjects/Lead/'; DROP TABLE sobj_lead; --").status_code == 404
    upsert = api.patch("/sobjects/Lead/Email/x' OR '1'='1", json={"LastName": "Inj", "Company": "Acme"})
    assert upsert.status_code == 400  # not an email address: nothing matched, nothing created
    deleted = api.delete("/composite/sobjects",
                         params={"ids": "'; DROP TABLE sobj_lead; --,00Q' OR 1=1"}).json()
    assert [r["success"] for r in deleted] == [False, False]
    fields = api.get(f"/sobjects/Lead/{ids[0]}", params={"fields": "Id FROM sobj_lead --"})
    assert fields.status_code == 400 and errors_of(fields)[0][0] == "INVALID_FIELD"
    assert sorted(r["Id"] for r in api.rows("Lead")) == sorted(ids)

"""simple-salesforce's Bulk clients, unmodified, against a real server: `sf.bulk` (Bulk API 1.0, JSON jobs)
and
`sf.bulk2` (Bulk API 2.0, CSV): insert, upsert, delete and query, with per-row results, the owners the org's
rules give (none: neither client can send assignmentRuleId) and an empty outbox."""
from __future__ import annotations

import csv
import io

import pytest
from simple_salesforce import Salesforce

from tests.e2e.test_simple_salesforce import ADMIN, CLIENT_ID, CLIENT_SECRET, PASSWORD, TOKEN, _host, _session

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _trust_sfmock_ca(live_server, monkeypatch) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(live_server.ca_file))
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)


@pytest.fixture
def sf(fresh_server) -> Salesforce:
    return Salesforce(username=ADMIN, password=PASSWORD + TOKEN, consumer_key=CLIENT_ID,
                      consumer_secret=CLIENT_SECRET, domain=f"{_host(fresh_server)}/services/oauth2/token?_=",
                      session=_session(fresh_server))


def _owners(sf: Salesforce, ids: list[str]) -> list[str]:
    quoted = ",".join(f"'{i}'" for i in ids)
    rows = {r["Id"]: r["OwnerId"]
            for r in sf.query(f"SELECT Id, OwnerId FROM Lead WHERE Id IN ({quoted})")["records"]}
    return [rows.get(i) for i in ids]


def test_bulk1_insert_upsert_delete_and_query(sf: Salesforce, fresh_server) -> None:
    admin_id = sf.query(f"SELECT Id FROM User WHERE Username = '{ADMIN}'")["records"][0]["Id"]
    results = sf.bulk.Lead.insert([{"LastName": "Kumar", "Company": "Tata", "Country": "India"},
                                   {"Company": "NoName"}])
    assert [(r["success"], r["created"]) for r in results] == [(True, True), (False, False)]
    assert results[1]["errors"][0]["statusCode"] == "REQUIRED_FIELD_MISSING"
    lead_id = results[0]["id"]
    assert _owners(sf, [lead_id]) == [admin_id]  # no assignmentRuleId: no rule runs
    upserted = sf.bulk.Lead.upsert([{"Id": lead_id, "Company": "Renamed"},
                                    {"LastName": "New", "Company": "X"}],
                                   "Id")
    assert [(r["success"], r["created"]) for r in upserted] == [(True, False), (True, True)]
    rows = sf.bulk.Lead.query("SELECT Id, Company FROM Lead WHERE LastName IN ('Kumar', 'New')", wait=1)
    assert sorted(r["Company"] for r in rows) == ["Renamed", "X"]
    deleted = sf.bulk.Lead.delete([{"Id": lead_id}])
    assert deleted[0]["success"] is True and deleted[0]["id"] == lead_id
    assert sf.query(f"SELECT Id FROM Lead WHERE Id = '{lead_id}'")["totalSize"] == 0
    assert fresh_server.outbox() == []


def test_bulk2_insert_upsert_delete_and_query(sf: Salesforce, fresh_server) -> None:
    admin_id = sf.query(f"SELECT Id FROM User WHERE Username = '{ADMIN}'")["records"][0]["Id"]
    [summary] = sf.bulk2.Lead.insert(records=[{"LastName": "Kumar", "Company": "Tata", "Country": "India"},
                                              {"LastName": "", "Company": "NoName"}])
    assert (summary["numberRecordsProcessed"], summary["numberRecordsFailed"]) == (2, 1)
    ok = list(csv.DictReader(io.StringIO(sf.bulk2.Lead.get_successful_records(summary["job_id"]))))
    failed = list(csv.DictReader(io.StringIO(sf.bulk2.Lead.get_failed_records(summary["job_id"]))))
    assert [(r["sf__Created"], r["LastName"]) for r in ok] == [("true", "Kumar")]
    assert [(r["sf__Error"], r["Company"]) for r in failed] == [
        ("REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --", "NoName")]
    lead_id = ok[0]["sf__Id"]
    assert _owners(sf, [lead_id]) == [admin_id]
    [upsert] = sf.bulk2.Lead.upsert(records=[{"Id": lead_id, "LastName": "Kumar", "Company": "Renamed"}],
                                    external_id_field="Id")
    assert (upsert["numberRecordsProcessed"], upsert["numberRecordsFailed"]) == (1, 0)
    pages = list(sf.bulk2.Lead.query("SELECT Id, Company FROM Lead WHERE LastName = 'Kumar'", max_records=1))
    rows = [r for page in pages for r in csv.DictReader(io.StringIO(page))]
    assert rows == [{"Id": lead_id, "Company": "Renamed"}]
    [deleted] = sf.bulk2.Lead.delete(records=[{"Id": lead_id}])
    assert (deleted["numberRecordsProcessed"], deleted["numberRecordsFailed"]) == (1, 0)
    assert sf.query(f"SELECT Id FROM Lead WHERE Id = '{lead_id}'")["totalSize"] == 0
    assert fresh_server.outbox() == []

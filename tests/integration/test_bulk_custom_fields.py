"""Bulk loads write the org's custom fields (their slot columns) on both write paths of a chunk: the buffered
inserts of an insert job and the record service's own writes of an upsert job keyed on the custom External
ID."""
from __future__ import annotations

from sfmock.bulk.worker import drain
from tests.integration.test_rest_fixtures import api

__all__ = ["api"]

INGEST = "/jobs/ingest"


def _load(api, operation: str, data: str, **options: str) -> dict:
    job = api.post(INGEST, json={"object": "Lead", "operation": operation} | options).json()
    put = api.request("PUT", f"{INGEST}/{job['id']}/batches", content=data.encode(),
                      headers={"Content-Type": "text/csv"})
    assert put.status_code == 201, put.text
    api.patch(f"{INGEST}/{job['id']}", json={"state": "UploadComplete"})
    drain(api.demo.db)
    return api.get(f"{INGEST}/{job['id']}").json()


def _by_key(api) -> dict[str, tuple]:
    soql = "SELECT External_Id__c, LastName, Region__c, Score__c FROM Lead WHERE External_Id__c != null"
    rows = api.get("/query", params={"q": soql}).json()["records"]
    return {r["External_Id__c"]: (r["LastName"], r["Region__c"], r["Score__c"]) for r in rows}


def test_insert_then_upsert_on_the_custom_external_id(api):
    inserted = _load(api, "insert", "LastName,Company,External_Id__c,Region__c,Score__c\n"
                                    "Weber,BASF,K-1,EMEA,7\nRossi,Eni,K-2,,\n")
    assert (inserted["numberRecordsProcessed"], inserted["numberRecordsFailed"]) == (2, 0)
    assert _by_key(api) == {"K-1": ("Weber", "EMEA", 7), "K-2": ("Rossi", None, None)}
    data = "External_Id__c,LastName,Company,Score__c\nk-2,Rossi2,Eni,3\nK-3,Neu,SAP,1\n"
    upserted = _load(api, "upsert", data, externalIdFieldName="External_Id__c")
    assert (upserted["numberRecordsProcessed"], upserted["numberRecordsFailed"]) == (2, 0)
    ok = api.get(f"{INGEST}/{upserted['id']}/successfulResults").text.splitlines()
    assert [line.split(",")[1] for line in ok[1:]] == ['"false"', '"true"']
    # The key matches ignoring case (External_Id__c is not case-sensitive) and takes the value as sent.
    assert _by_key(api) == {"K-1": ("Weber", "EMEA", 7), "k-2": ("Rossi2", None, 3), "K-3": ("Neu", None, 1)}


def test_query_jobs_read_custom_fields(api):
    _load(api, "insert", "LastName,Company,External_Id__c,Region__c\nWeber,BASF,Q-1,EMEA\n")
    soql = "SELECT External_Id__c, Region__c FROM Lead WHERE Region__c = 'EMEA'"
    job = api.post("/jobs/query", json={"operation": "query", "query": soql})
    assert job.status_code == 200, job.text
    drain(api.demo.db)
    assert api.get(f"/jobs/query/{job.json()['id']}").json()["state"] == "JobComplete"
    rows = api.get(f"/jobs/query/{job.json()['id']}/results").text.splitlines()
    assert rows == ['"External_Id__c","Region__c"', '"Q-1","EMEA"']

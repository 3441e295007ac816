"""Bulk API 2.0 on the demo org through the app (TestClient): ingest with a rule, results CSVs, query paging,
and the errors that change nothing. The worker runs when the test drains it."""
from __future__ import annotations

import pytest

from sfmock.bulk.worker import drain
from tests.integration.test_rest_fixtures import ADMIN, api

__all__ = ["api"]

INGEST = "/jobs/ingest"
CSV = {"Content-Type": "text/csv"}


def _job(api, **body):
    response = api.post(INGEST, json={"object": "Lead", "operation": "insert", "contentType": "CSV"} | body)
    assert response.status_code == 200, response.text
    return response.json()


def _load(api, data: str, **body):
    job = _job(api, **body)
    assert api.request("PUT", f"{INGEST}/{job['id']}/batches", content=data.encode(),
                       headers=CSV).status_code == 201
    closed = api.patch(f"{INGEST}/{job['id']}", json={"state": "UploadComplete"})
    assert closed.status_code == 200, closed.text
    drain(api.demo.db)
    return api.get(f"{INGEST}/{job['id']}").json()


def test_insert_with_a_rule_routes_every_row_and_sends_no_mail(api):
    rule = api.rule("Lead/Standard Routing")
    info = _load(api, "LastName,Company,Country\nKumar,Tata,India\nSmith,Widgets,France\n",
                 assignmentRuleId=rule)
    assert (info["state"], info["numberRecordsProcessed"],
            info["numberRecordsFailed"]) == ("JobComplete", 2, 0)
    assert info["assignmentRuleId"] == rule and info["jobType"] == "V2Ingest"
    owners = {r["LastName"]: r["OwnerId"] for r in api.rows("Lead") if r["LastName"] in ("Kumar", "Smith")}
    assert owners == {"Kumar": api.queue("India_SMB_Queue"), "Smith": api.queue("Unassigned_Leads_Queue")}
    assert api.outbox() == []
    ok = api.get(f"{INGEST}/{info['id']}/successfulResults/", headers={"Accept": "text/csv"})
    lines = ok.text.splitlines()
    assert lines[0] == '"sf__Id","sf__Created",LastName,Company,Country'
    assert [line.split(",", 2)[1:] for line in lines[1:]] == [['"true"', '"Kumar","Tata","India"'],
                                                            ['"true"', '"Smith","Widgets","France"']]
    assert (
        api.get(f"{INGEST}/{info['id']}/failedResults").text
        == '"sf__Id","sf__Error",LastName,Company,Country\n'
    )
    journal = [e for e in api.client.get(f"/_sfmock/orgs/{api.demo.org.org_id}/journal").json()
               if e["door"] == "bulk2"]
    assert [(e["operation"], e["assignment"]) for e in journal] == [("createJob", rule), ("insert", rule)]


def test_without_a_rule_no_rule_runs(api):
    _load(api, "LastName,Company,Country\nKumar,Tata,India\n")
    [lead] = [r for r in api.rows("Lead") if r["LastName"] == "Kumar"]
    assert lead["OwnerId"] == api.user(ADMIN)


def test_a_failing_row_fails_alone(api):
    info = _load(api, "LastName,Company\nGood,Acme\n,NoName\n")
    assert (info["numberRecordsProcessed"], info["numberRecordsFailed"]) == (2, 1)
    failed = api.get(f"{INGEST}/{info['id']}/failedResults/").text.splitlines()
    assert failed == ['"sf__Id","sf__Error",LastName,Company',
                      '"","REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName '
                      '--","","NoName"']


@pytest.mark.parametrize("data, message", [
    ("LastName,Nope\nA,B\n", "InvalidBatch : Field name not found : Nope"),
    ('LastName,Company\n"Open,Acme\n', "ClientInputError : Failed to parse CSV"),
    ("LastName,Company\nA,B,C\n", "ClientInputError : Failed to parse CSV: line 2 has 3 fields"),
    (b"LastName,Company\n\xff\xfe,B\n", "ClientInputError : Invalid UTF-8"),
])
def test_bad_csv_fails_the_job_and_changes_nothing(api, data, message):
    before = len(api.rows("Lead"))
    job = _job(api)
    body = data if isinstance(data, bytes) else data.encode()
    assert api.request("PUT", f"{INGEST}/{job['id']}/batches", content=body, headers=CSV).status_code == 201
    api.patch(f"{INGEST}/{job['id']}", json={"state": "UploadComplete"})
    drain(api.demo.db)
    info = api.get(f"{INGEST}/{job['id']}").json()
    assert info["state"] == "Failed" and info["errorMessage"].startswith(message)
    assert len(api.rows("Lead")) == before


def test_unknown_object_unknown_job_and_closed_job(api):
    response = api.post(INGEST, json={"object": "Nope__c", "operation": "insert"})
    assert (response.status_code, response.json()) == (400, [{"errorCode": "INVALIDJOB",
                                                               "message": "Unable to find object: Nope__c"}])
    assert api.get(f"{INGEST}/7500000000000000AA").status_code == 404
    info = _load(api, "LastName,Company\nA,B\n")
    again = api.request("PUT", f"{INGEST}/{info['id']}/batches", content=b"LastName,Company\nC,D\n",
                        headers=CSV)
    assert again.status_code == 409 and again.json()[0]["errorCode"] == "INVALIDJOBSTATE"
    assert len([r for r in api.rows("Lead") if r["LastName"] == "C"]) == 0


def test_update_upsert_and_delete(api):
    first = _load(api, "LastName,Company\nOne,Acme\n")
    [lead_id] = [r["Id"] for r in api.rows("Lead") if r["LastName"] == "One"]
    updated = _load(api, f"Id,Company\n{lead_id},Renamed\n", operation="update")
    assert updated["numberRecordsFailed"] == 0
    upserted = _load(api, f"Id,LastName,Company\n{lead_id},One,Again\n,Two,New\n", operation="upsert",
                     externalIdFieldName="Id")
    assert (upserted["numberRecordsProcessed"], upserted["numberRecordsFailed"]) == (2, 0)
    assert {r["LastName"]: r["Company"] for r in api.rows("Lead") if r["LastName"] in ("One", "Two")} == \
        {"One": "Again", "Two": "New"}
    deleted = _load(api, f"Id\n{lead_id}\n", operation="delete")
    assert deleted["numberRecordsFailed"] == 0 and first["state"] == "JobComplete"
    assert [r for r in api.rows("Lead") if r["Id"] == lead_id] == []


def test_query_pages_with_sforce_locator(api):
    _load(api, "LastName,Company\n" + "".join(f"Q{i},Acme\n" for i in range(5)))
    job = api.post(
        "/jobs/query",
        json={"operation": "query", "query": "SELECT Id, LastName FROM Lead WHERE Company = 'Acme'"},
    ).json()
    drain(api.demo.db)
    assert api.get(f"/jobs/query/{job['id']}").json()["state"] == "JobComplete"
    seen, locator = [], None
    while True:
        params = {"maxRecords": 2} | ({"locator": locator} if locator else {})
        page = api.get(f"/jobs/query/{job['id']}/results", params=params)
        lines = page.text.splitlines()
        assert lines[0] == '"Id","LastName"'
        assert page.headers["Sforce-NumberOfRecords"] == str(len(lines) - 1)
        seen += [line.split(",")[1] for line in lines[1:]]
        locator = page.headers["Sforce-Locator"]
        if locator == "null":
            break
    assert sorted(seen) == [f'"Q{i}"' for i in range(5)]


def test_an_upload_over_the_limit_is_refused(api, monkeypatch):
    from fastapi.testclient import TestClient

    import sfmock.bulk.v2 as v2
    from sfmock.main import create_app

    monkeypatch.setattr(v2, "MAX_UPLOAD", 64)  # read when the routes are built
    api.client = TestClient(create_app(api.demo.settings, api.demo.db), base_url=api.client.base_url)
    job = _job(api)
    data = b"LastName,Company\n" + b"".join(b"Name%d,Acme\n" % i for i in range(20))
    refused = api.request("PUT", f"{INGEST}/{job['id']}/batches", content=data, headers=CSV)
    assert refused.status_code == 413 and refused.json()[0]["errorCode"] == "REQUEST_ENTITY_TOO_LARGE"
    assert api.get(f"{INGEST}/{job['id']}").json()["state"] == "Open"


def test_aborted_job_leaves_its_rows_unprocessed(api):
    job = _job(api)
    api.request("PUT", f"{INGEST}/{job['id']}/batches", content=b"LastName,Company\nA,B\n", headers=CSV)
    assert api.patch(f"{INGEST}/{job['id']}", json={"state": "Aborted"}).json()["state"] == "Aborted"
    drain(api.demo.db)
    assert api.get(f"{INGEST}/{job['id']}/unprocessedrecords").text == "LastName,Company\n\"A\",\"B\"\n"
    assert [r for r in api.rows("Lead") if r["LastName"] == "A"] == []
    assert api.delete(f"{INGEST}/{job['id']}").status_code == 204
    assert api.get(f"{INGEST}/{job['id']}").status_code == 404


def test_a_second_upload_is_refused_when_the_job_is_closed(api):
    job = _job(api)
    for data in (b"LastName,Company\nA,B\n", b"LastName,Company\nC,D\n"):
        assert api.request("PUT", f"{INGEST}/{job['id']}/batches", content=data,
                           headers=CSV).status_code == 201
    refused = api.patch(f"{INGEST}/{job['id']}", json={"state": "UploadComplete"})
    assert refused.status_code == 400
    assert refused.json() == [{"errorCode": "INVALIDJOB", "message": (
        f"Found multipe contents for job: <{job['id'][:15]}>, please 'Close' / 'Abort' / 'Delete' the "
        f"current Job "
        "then create a new Job and make sure you only do 'PUT' once on a given Job.")}]
    assert api.patch(f"{INGEST}/{job['id']}", json={"state": "Aborted"}).json()["state"] == "Aborted"
    drain(api.demo.db)
    assert [r for r in api.rows("Lead") if r["LastName"] in ("A", "C")] == []

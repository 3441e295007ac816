"""Bulk hardDelete on both APIs: the records leave no trace (not in the recycle bin, so queryAll does not see
them), a row that cannot be deleted fails alone, and a user without the "Bulk API Hard Delete" permission is
refused the job with Salesforce's FeatureNotEnabled, nothing created and nothing deleted."""
from __future__ import annotations

from sfmock.bulk.worker import drain
from sfmock.core.bulk import HARD_DELETE_REFUSED
from tests.integration.test_bulk1 import _job_xml, _text, _xml
from tests.integration.test_rest_fixtures import api, errors_of

__all__ = ["api"]

INGEST = "/jobs/ingest"
STANDARD_USER = "testUser@org.com"


def _leads(api, *names: str) -> list[str]:
    return [api.create("Lead", LastName=n, Company="Acme") for n in names]


def _query_all(api, ids: list[str]) -> list[str]:
    quoted = ",".join(f"'{i}'" for i in ids)
    answer = api.get("/queryAll", params={"q": f"SELECT Id, IsDeleted FROM Lead WHERE Id IN ({quoted})"})
    assert answer.status_code == 200, answer.text
    return sorted(r["Id"] for r in answer.json()["records"])


def _v2_job(api, operation: str, ids: list[str]) -> dict:
    job = api.post(INGEST, json={"object": "Lead", "operation": operation}).json()
    data = "Id\n" + "".join(f"{i}\n" for i in ids)
    put = api.request("PUT", f"{INGEST}/{job['id']}/batches", content=data.encode(),
                      headers={"Content-Type": "text/csv"})
    assert put.status_code == 201, put.text
    api.patch(f"{INGEST}/{job['id']}", json={"state": "UploadComplete"})
    drain(api.demo.db)
    return api.get(f"{INGEST}/{job['id']}").json()


def test_bulk2_hard_delete_leaves_nothing_in_the_recycle_bin(api):
    hard, soft, already = _leads(api, "Hard1", "Soft1", "Gone1")
    assert api.delete(f"/sobjects/Lead/{already}").status_code == 204
    info = _v2_job(api, "hardDelete", [hard, already])
    assert (info["state"], info["operation"]) == ("JobComplete", "hardDelete")
    assert (info["numberRecordsProcessed"], info["numberRecordsFailed"]) == (2, 1)
    ok = api.get(f"{INGEST}/{info['id']}/successfulResults").text.splitlines()
    assert ok == ['"sf__Id","sf__Created",Id', f'"{hard}","false","{hard}"']
    failed = api.get(f"{INGEST}/{info['id']}/failedResults").text.splitlines()
    assert failed == ['"sf__Id","sf__Error",Id',
                      f'"","ENTITY_IS_DELETED:entity is deleted:--","{already}"']
    assert _v2_job(api, "delete", [soft])["numberRecordsFailed"] == 0
    # A plain delete leaves its record in the bin (queryAll sees it); hardDelete leaves none.
    assert _query_all(api, [hard, soft, already]) == sorted([soft, already])
    assert [r["Id"] for r in api.rows("Lead", include_deleted=True) if r["Id"] in (hard, soft)] == [soft]


def test_bulk1_hard_delete_and_the_permission(api):
    [hard] = _leads(api, "Hard2")
    created = _xml(api, "POST", "/job", _job_xml("hardDelete"))
    assert (created.status_code, _text(created, "operation")) == (201, "hardDelete")
    job_id = _text(created, "id")
    batch = _xml(api, "POST", f"/job/{job_id}/batch", f"Id\n{hard}\n".encode(), "text/csv")
    drain(api.demo.db)
    result = _xml(api, "GET", f"/job/{job_id}/batch/{_text(batch, 'id')}/result").text.splitlines()
    assert result == ['"Id","Success","Created","Error"', f'"{hard}","true","false",""']
    assert _query_all(api, [hard]) == []
    other = api.login(STANDARD_USER)
    refused = _xml(api, "POST", "/job", _job_xml("hardDelete"), token=other)
    assert (refused.status_code, _text(refused, "exceptionCode"), _text(refused, "exceptionMessage")) == \
        (400, "FeatureNotEnabled", HARD_DELETE_REFUSED)
    assert _text(_xml(api, "POST", "/job", _job_xml("delete"), token=other), "state") == "Open"


def test_bulk2_hard_delete_refused_without_the_permission(api):
    [kept] = _leads(api, "Kept")
    other = api.login(STANDARD_USER)
    before = api.get(INGEST, token=other).json()["records"]
    refused = api.post(INGEST, json={"object": "Lead", "operation": "hardDelete"}, token=other)
    assert refused.status_code == 400
    assert errors_of(refused) == [("FEATURENOTENABLED", HARD_DELETE_REFUSED)]
    assert api.get(INGEST, token=other).json()["records"] == before
    assert [r["Id"] for r in api.rows("Lead") if r["Id"] == kept] == [kept]

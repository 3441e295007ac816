"""Bulk API 1.0 on the demo org through the app (TestClient): XML and JSON jobs in any element order,
CSV/XML/JSON batches with results in input order, query batches, close/abort, and the Bulk error envelope."""
from __future__ import annotations

from lxml import etree

from sfmock.bulk.worker import drain
from tests.integration.test_rest_fixtures import ADMIN, api

__all__ = ["api"]

NS = "http://www.force.com/2009/06/asyncapi/dataload"
A = "/services/async/59.0"


def _xml(api, method, path, body=b"", content_type="application/xml; charset=UTF-8", token=None):
    headers = {"X-SFDC-Session": token or api.token, "Content-Type": content_type}
    return api.client.request(method, A + path, content=body, headers=headers)


def _text(response, name):
    return etree.fromstring(response.content).findtext(f"{{{NS}}}{name}")


def _job_xml(operation="insert", extra=""):
    # jsforce's order: operation, object, …, assignmentRuleId, contentType.
    return (f'<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns="{NS}"><operation>{operation}</operation>'
            f"<object>Lead</object>{extra}<contentType>CSV</contentType></jobInfo>").encode()


def test_csv_insert_with_a_rule_in_input_order(api):
    rule = api.rule("Lead/Standard Routing")
    created = _xml(api, "POST", "/job", _job_xml(extra=f"<assignmentRuleId>{rule}</assignmentRuleId>"))
    assert created.status_code == 201, created.text
    job_id = _text(created, "id")
    assert (_text(created, "state"), _text(created, "assignmentRuleId")) == ("Open", rule)
    data = b"LastName,Company,Country\nKumar,Tata,India\n,Nameless,India\nSmith,Widgets,France\n"
    batch = _xml(api, "POST", f"/job/{job_id}/batch", data, "text/csv; charset=UTF-8")
    assert batch.status_code == 201 and _text(batch, "state") == "Queued"
    batch_id = _text(batch, "id")
    drain(api.demo.db)
    info = _xml(api, "GET", f"/job/{job_id}/batch/{batch_id}")
    assert (_text(info, "state"), _text(info, "numberRecordsProcessed"),
            _text(info, "numberRecordsFailed")) == \
        ("Completed", "3", "1")
    result = _xml(api, "GET", f"/job/{job_id}/batch/{batch_id}/result")
    assert result.headers["content-type"] == "text/csv"
    lines = result.text.splitlines()
    assert lines[0] == '"Id","Success","Created","Error"'
    assert (
        lines[2]
        == '"","false","false","REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --"'
    )
    owners = {r["LastName"]: r["OwnerId"] for r in api.rows("Lead") if r["LastName"] in ("Kumar", "Smith")}
    assert owners == {"Kumar": api.queue("India_SMB_Queue"), "Smith": api.queue("Unassigned_Leads_Queue")}
    assert [line.split(",")[0].strip('"') for line in lines[1:]] == \
        [_id(api, "Kumar"), "", _id(api, "Smith")]
    assert api.outbox() == []
    closed = _xml(api, "POST", f"/job/{job_id}",
                  f'<jobInfo xmlns="{NS}"><state>Closed</state></jobInfo>'.encode())
    assert _text(closed, "state") == "Closed" and _text(closed, "numberBatchesCompleted") == "1"
    again = _xml(api, "POST", f"/job/{job_id}/batch", data, "text/csv")
    assert (again.status_code, _text(again, "exceptionCode")) == (400, "InvalidJobState")


def _id(api, last_name):
    return next(r["Id"] for r in api.rows("Lead") if r["LastName"] == last_name)


def test_json_job_and_batch_like_simple_salesforce(api):
    headers = {"X-SFDC-Session": api.token, "Content-Type": "application/json"}
    job = api.client.post(f"{A}/job", headers=headers, json={"operation": "insert", "object": "Lead",
                                                             "concurrencyMode": 0,
                                                             "contentType": "JSON"}).json()
    assert (job["state"], job["concurrencyMode"], job["apiVersion"]) == ("Open", "Parallel", 59.0)
    batch = api.client.post(f"{A}/job/{job['id']}/batch", headers=headers,
                            json=[{"LastName": "Json", "Company": "Acme"}, {"Company": "NoName"}]).json()
    drain(api.demo.db)
    results = api.client.get(f"{A}/job/{job['id']}/batch/{batch['id']}/result", headers=headers).json()
    assert results[0] == {"success": True, "created": True, "id": _id(api, "Json"), "errors": []}
    assert results[1]["errors"][0]["statusCode"] == "REQUIRED_FIELD_MISSING" and results[1]["id"] is None
    [owner] = [r["OwnerId"] for r in api.rows("Lead") if r["LastName"] == "Json"]
    assert owner == api.user(ADMIN)


def test_xml_batch_and_query_batch(api):
    job_id = _text(_xml(api, "POST", "/job", _job_xml().replace(b"CSV", b"XML")), "id")
    rows = (f'<sObjects xmlns="{NS}"><sObject><LastName>Xml</LastName><Company>Acme</Company></sObject>'
            "</sObjects>").encode()
    batch_id = _text(_xml(api, "POST", f"/job/{job_id}/batch", rows), "id")
    drain(api.demo.db)
    result = etree.fromstring(_xml(api, "GET", f"/job/{job_id}/batch/{batch_id}/result").content)
    assert result.findtext(f"{{{NS}}}result/{{{NS}}}id") == _id(api, "Xml")
    query_job = _text(_xml(api, "POST", "/job", _job_xml("query")), "id")
    qbatch = _text(_xml(api, "POST", f"/job/{query_job}/batch", b"SELECT Id, LastName FROM Lead WHERE "
                        b"LastName = 'Xml'", "text/csv"), "id")
    drain(api.demo.db)
    listing = etree.fromstring(_xml(api, "GET", f"/job/{query_job}/batch/{qbatch}/result").content)
    [result_id] = [e.text for e in listing]
    assert result_id.startswith("752")
    rows = _xml(api, "GET", f"/job/{query_job}/batch/{qbatch}/result/{result_id}").text.splitlines()
    assert rows == ['"Id","LastName"', f'"{_id(api, "Xml")}","Xml"']


def test_errors_change_nothing(api):
    bad = _xml(api, "POST", "/job", _job_xml(), token="nope")
    assert bad.status_code == 400 and _text(bad, "exceptionCode") == "InvalidSessionId"
    assert "InvalidSessionId" in bad.text and _text(bad, "exceptionMessage") == "Invalid session id"
    unknown = _xml(api, "POST", "/job", _job_xml().replace(b"<object>Lead", b"<object>Nope__c"))
    assert (_text(unknown, "exceptionCode"), _text(unknown, "exceptionMessage")) == \
        ("InvalidJob", "Unable to find object: Nope__c")
    missing = _xml(api, "GET", "/job/7500000000000000AA")
    assert _text(missing, "exceptionCode") == "InvalidJob"
    job_id = _text(_xml(api, "POST", "/job", _job_xml()), "id")
    before = len(api.rows("Lead"))
    wrong = _xml(api, "POST", f"/job/{job_id}/batch", b"LastName,Nope\nA,B\n", "text/csv")
    drain(api.demo.db)
    assert (_text(wrong, "state"), _text(wrong, "stateMessage")) == \
        ("Failed", "InvalidBatch : Field name not found : Nope")
    aborted = _xml(api, "POST", f"/job/{job_id}",
                   f'<jobInfo xmlns="{NS}"><state>Aborted</state></jobInfo>'.encode())
    assert _text(aborted, "state") == "Aborted"
    assert len(api.rows("Lead")) == before


def test_batch_limits(api, monkeypatch):
    import sfmock.bulk.v1 as v1

    monkeypatch.setattr(v1, "MAX_ROWS", 2)
    job_id = _text(_xml(api, "POST", "/job", _job_xml()), "id")
    many = _xml(api, "POST", f"/job/{job_id}/batch", b"LastName,Company\nA,B\nC,D\nE,F\n", "text/csv")
    assert _text(many, "state") == "Failed"
    assert _text(many,
                 "stateMessage").startswith("ClientInputError : Exceeded max number of records per batch")
    monkeypatch.setattr(v1, "MAX_BATCH_BYTES", 16)
    big = _xml(api, "POST", f"/job/{job_id}/batch", b"LastName,Company\nA,B\nC,D\n", "text/csv")
    assert (big.status_code, _text(big, "exceptionCode")) == (400, "ClientInputError")
    drain(api.demo.db)
    assert [r for r in api.rows("Lead") if r["LastName"] in ("A", "C", "E")] == []


def test_unknown_url_and_method(api):
    unknown = _xml(api, "GET", "/jobs")
    assert (unknown.status_code, _text(unknown, "exceptionCode")) == (404, "InvalidUrl")
    wrong = _xml(api, "DELETE", "/job")
    assert (wrong.status_code, _text(wrong, "exceptionCode")) == (405, "InvalidUrl")

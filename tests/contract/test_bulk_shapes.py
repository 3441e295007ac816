"""Bulk wire shapes against the documented ones (../shared/docs/salesforce-bulk-enterprise-metadata.md §2-3):
the order of jobInfo and batchInfo elements (WSC reads them in this order), and Bulk 2.0's jobInfo keys."""
from __future__ import annotations

from lxml import etree

from tests.integration.test_bulk1 import NS, _job_xml, _xml
from tests.integration.test_rest_fixtures import api

__all__ = ["api"]

JOB_INFO = ["id", "operation", "object", "createdById", "createdDate", "systemModstamp", "state",
            "concurrencyMode",
            "contentType", "numberBatchesQueued", "numberBatchesInProgress", "numberBatchesCompleted",
            "numberBatchesFailed", "numberBatchesTotal", "numberRecordsProcessed", "numberRetries",
            "apiVersion",
            "assignmentRuleId", "numberRecordsFailed", "totalProcessingTime", "apiActiveProcessingTime",
            "apexProcessingTime"]
BATCH_INFO = ["id", "jobId", "state", "createdDate", "systemModstamp", "numberRecordsProcessed",
              "numberRecordsFailed", "totalProcessingTime", "apiActiveProcessingTime", "apexProcessingTime"]


def _names(response) -> list[str]:
    root = etree.fromstring(response.content)
    assert root.nsmap[None] == NS
    return [etree.QName(child).localname for child in root]


def test_bulk1_job_and_batch_info_in_wsc_order(api):
    rule = api.rule("Lead/Standard Routing")
    created = _xml(api, "POST", "/job", _job_xml(extra=f"<assignmentRuleId>{rule}</assignmentRuleId>"))
    assert _names(created) == JOB_INFO
    job_id = etree.fromstring(created.content).findtext(f"{{{NS}}}id")
    assert job_id.startswith("750") and len(job_id) == 18
    batch = _xml(api, "POST", f"/job/{job_id}/batch", b"LastName,Company\nA,B\n", "text/csv")
    assert _names(batch) == BATCH_INFO


def test_bulk2_created_job_shape(api):
    body = api.post("/jobs/ingest", json={"object": "Lead", "operation": "insert"}).json()
    assert list(body) == ["id", "operation", "object", "createdById", "createdDate", "systemModstamp",
                          "state",
                          "concurrencyMode", "contentType", "apiVersion", "contentUrl", "lineEnding",
                          "columnDelimiter"]
    assert (
        body["apiVersion"] == 59.0
        and body["contentUrl"] == f"services/data/v59.0/jobs/ingest/{body['id']}/batches"
    )
    assert (body["state"], body["lineEnding"], body["columnDelimiter"]) == ("Open", "LF", "COMMA")

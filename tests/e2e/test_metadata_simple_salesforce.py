"""simple-salesforce's Metadata API helpers, unmodified, against a real sfmock server: `sf.deploy(zip)` +
`sf.checkDeployStatus(id)` (posted to /services/Soap/m/{v}/deployRequest with SOAPAction: deploy), and
`sf.mdapi` (zeep on the Metadata WSDL simple-salesforce ships) creating and reading a queue."""
from __future__ import annotations

from pathlib import Path

import pytest
from simple_salesforce import Salesforce

from tests.e2e.test_simple_salesforce import _queue_id, _trust_sfmock_ca, sf
from tests.metadata_packages import PERU, peru_zip

__all__ = ["_trust_sfmock_ca", "sf"]
pytestmark = pytest.mark.e2e


def _deploy(sf: Salesforce, zip_path: Path) -> dict:
    started = sf.deploy(str(zip_path), sandbox=False)
    assert started["state"] == "Queued" and started["asyncId"].startswith("0Af")
    return sf.checkDeployStatus(started["asyncId"])


def test_deploy_routes_the_next_rest_create(sf: Salesforce, tmp_path: Path) -> None:
    (tmp_path / "peru.zip").write_bytes(peru_zip())
    status = _deploy(sf, tmp_path / "peru.zip")
    assert status["state"] == "Succeeded"
    assert status["deployment_detail"]["errors"] == []
    assert status["deployment_detail"]["failed_count"] == "0"
    created = sf.Lead.create(PERU)
    assert sf.Lead.get(created["id"])["OwnerId"] == _queue_id(sf, "Peru_Queue")


def test_deploy_naming_a_missing_queue_fails_and_changes_nothing(sf: Salesforce, tmp_path: Path) -> None:
    before = sf.Lead.get(sf.Lead.create(PERU)["id"])["OwnerId"]
    (tmp_path / "bad.zip").write_bytes(peru_zip(queue="Nowhere_Queue", with_queue=False))
    status = _deploy(sf, tmp_path / "bad.zip")
    assert status["state"] == "Failed"
    [error] = status["deployment_detail"]["errors"]
    assert (error["type"], error["file"], error["status"]) == \
        ("AssignmentRules", "unpackaged/assignmentRules/Lead.assignmentRules", "Error")
    assert "Nowhere_Queue" in error["message"]
    # Nothing changed: Peru still goes where the demo org's own rule sends it.
    created = sf.Lead.create(PERU)
    assert sf.Lead.get(created["id"])["OwnerId"] == before
    assert sf.query("SELECT Id FROM Group WHERE DeveloperName = 'Peru_Queue'")["totalSize"] == 0
    rules = sf.query("SELECT Name FROM AssignmentRule WHERE SobjectType = 'Lead' AND Active = true")
    assert [r["Name"] for r in rules["records"]] == ["Standard Routing"]


def test_mdapi_creates_and_reads_a_queue(sf: Salesforce) -> None:
    mdapi = sf.mdapi
    queue = mdapi.Queue(fullName="Mdapi_Queue", name="Mdapi Queue", doesSendEmailToMembers=False,
                        queueSobject=[mdapi.QueueSobject(sobjectType="Lead")])
    mdapi.Queue.create([queue])  # raises on any error in the SaveResult
    read = mdapi.Queue.read("Mdapi_Queue")
    assert (read.fullName, read.name) == ("Mdapi_Queue", "Mdapi Queue")
    assert [s.sobjectType for s in read.queueSobject] == ["Lead"]
    listed = mdapi.list_metadata([mdapi.ListMetadataQuery(type="Queue")])
    assert "Mdapi_Queue" in {p.fullName for p in listed}

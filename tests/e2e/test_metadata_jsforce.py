"""jsforce's conn.metadata, unmodified, against a real sfmock server: list, read, deploy(...).complete(true)
of a new Lead rule that routes the very next REST create, a deploy naming a missing queue that fails with
a componentFailure and changes nothing, and retrieve(...).complete() of what was deployed."""
from __future__ import annotations

import base64
import io
import zipfile
from typing import Any

import pytest

from tests.e2e.test_jsforce import Jsforce, _queue_id, jsforce_installed
from tests.metadata_packages import PERU, peru_zip_base64

__all__ = ["jsforce_installed"]
pytestmark = pytest.mark.e2e
ACTIVE_LEAD_RULE = "Standard Routing"
DEPLOY_OPTIONS = {"rollbackOnError": True, "singlePackage": False}


@pytest.fixture
def js(jsforce_installed: str, fresh_server: Any) -> Jsforce:
    return Jsforce(fresh_server)


def test_list_and_read_the_org_rules(js: Jsforce) -> None:
    listed = js("metadataList", queries=[{"type": "AssignmentRules"}, {"type": "Queue"}])
    names = {(p["type"], p["fullName"], p["fileName"]) for p in listed}
    assert ("AssignmentRules", "Lead", "assignmentRules/Lead.assignmentRules") in names
    assert ("Queue", "India_SMB_Queue", "queues/India_SMB_Queue.queue") in names
    read = js("metadataRead", type="AssignmentRules", fullNames="Lead")
    assert read["fullName"] == "Lead"
    rules = read["assignmentRule"] if isinstance(read["assignmentRule"], list) else [read["assignmentRule"]]
    assert [r["fullName"] for r in rules if r["active"] in (True, "true")] == [ACTIVE_LEAD_RULE]


def test_deploy_routes_the_next_rest_create(js: Jsforce, fresh_server: Any) -> None:
    answer = js("metadataDeploy", zip=peru_zip_base64(), options=DEPLOY_OPTIONS, then=PERU)
    result = answer["result"]
    assert (result["status"], result["success"], result["numberComponentErrors"]) == ("Succeeded", True, 0)
    assert result["id"].startswith("0Af")
    deployed = {(m["componentType"], m["fullName"]) for m in result["details"]["componentSuccesses"]}
    assert deployed == {("", "package.xml"), ("AssignmentRules", "Lead"), ("Queue", "Peru_Queue")}
    created = answer["created"]
    assert created["success"] is True
    owner = js("metadataRead", type="Queue", fullNames="Peru_Queue")
    assert owner["name"] == "Peru Queue"
    assert answer["lead"]["OwnerId"] == _queue_id(fresh_server, "Peru_Queue")


def test_deploy_naming_a_missing_queue_fails_and_changes_nothing(js: Jsforce, fresh_server: Any) -> None:
    answer = js("metadataDeploy", zip=peru_zip_base64(queue="Nowhere_Queue", with_queue=False),
                options=DEPLOY_OPTIONS)
    result = answer["result"]
    assert (result["status"], result["success"], result["numberComponentErrors"]) == ("Failed", False, 1)
    failure = result["details"]["componentFailures"]
    failure = failure[0] if isinstance(failure, list) else failure
    assert (failure["componentType"], failure["fullName"], failure["problemType"]) == \
        ("AssignmentRules", "Lead", "Error")
    assert failure["fileName"] == "unpackaged/assignmentRules/Lead.assignmentRules"
    assert "Nowhere_Queue" in failure["problem"]
    read = js("metadataRead", type="AssignmentRules", fullNames="Lead")
    rules = read["assignmentRule"] if isinstance(read["assignmentRule"], list) else [read["assignmentRule"]]
    assert "Peru Routing" not in [r["fullName"] for r in rules]


def test_retrieve_gives_back_what_was_deployed(js: Jsforce) -> None:
    js("metadataDeploy", zip=peru_zip_base64(), options=DEPLOY_OPTIONS)
    result = js("metadataRetrieve", request={"apiVersion": "59.0", "unpackaged": {"types": [
        {"name": "AssignmentRules", "members": ["Lead"]}, {"name": "Queue", "members": ["Peru_Queue"]}],
        "version": "59.0"}})
    assert (result["status"], result["success"]) == ("Succeeded", True)
    archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(result["zipFile"])))
    assert sorted(archive.namelist()) == ["unpackaged/assignmentRules/Lead.assignmentRules",
                                          "unpackaged/package.xml", "unpackaged/queues/Peru_Queue.queue"]
    rules = archive.read("unpackaged/assignmentRules/Lead.assignmentRules")
    assert b"<fullName>Peru Routing</fullName>" in rules

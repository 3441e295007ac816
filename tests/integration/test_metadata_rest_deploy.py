"""The Metadata API's REST deploy resource (…/metadata/deployRequest): a multipart deploy as jsforce and the
sf CLI send it, its status with and without details, the cancel of a finished deploy, and the rule it
deploys routing the very next REST create."""
from __future__ import annotations

import io
import json
import zipfile

import pytest

from tests.integration.test_metadata_deploy_failures import FILES
from tests.integration.test_rest_fixtures import api, errors_of
from tests.metadata_packages import peru_zip

__all__ = ["api"]

DEPLOY = "/metadata/deployRequest"


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _deploy(api, data: bytes, options: dict, part: str = "entity_content"):
    # jsforce's deployRest: the zip as `file` (filename package.xml, application/zip), the options as
    # `entity_content` (application/json); the guide names the JSON part `json`.
    files = {"file": ("package.xml", data, "application/zip"),
             part: (None, json.dumps({"deployOptions": options}), "application/json")}
    return api.post(DEPLOY, files=files)


def test_rest_deploy_routes_the_next_create(api) -> None:
    started = _deploy(api, peru_zip(), {"rollbackOnError": True, "singlePackage": False})
    assert started.status_code == 201, started.text
    body = started.json()
    request_id = body["id"]
    assert request_id.startswith("0Af")
    assert body["deployOptions"] == {"rollbackOnError": True, "singlePackage": False}
    assert (body["deployResult"]["status"], body["deployResult"]["done"]) == ("Pending", False)
    assert "deployOptions" not in body["deployResult"] and "details" not in body["deployResult"]
    status = api.get(f"{DEPLOY}/{request_id}", params={"includeDetails": "true"})
    assert status.status_code == 200
    result = status.json()
    assert result["id"] == request_id
    assert result["deployOptions"] == {"rollbackOnError": True, "singlePackage": False}
    assert result["url"].endswith(
        f"/services/data/v59.0/metadata/deployRequest/{request_id}?includeDetails=true")
    deployed = result["deployResult"]
    assert [deployed[k] for k in ("done", "status", "success", "numberComponentErrors",
                                  "numberComponentsDeployed")] == [True, "Succeeded", True, 0, 2]
    assert sorted((m["componentType"], m["fullName"]) for m in deployed["details"]["componentSuccesses"]) == [
        ("", "package.xml"), ("AssignmentRules", "Lead"), ("Queue", "Peru_Queue")]
    brief = api.get(f"{DEPLOY}/{request_id}").json()["deployResult"]
    assert brief["details"] == {"componentFailures": [], "componentSuccesses": []}
    lead = api.create("Lead", LastName="Quispe", Company="Inca Textiles", Country="Peru")
    owner = api.get(f"/sobjects/Lead/{lead}", params={"fields": "OwnerId"}).json()["OwnerId"]
    [queue] = api.get("/query", params={"q": "SELECT Id FROM Group WHERE DeveloperName = 'Peru_Queue'"}
                      ).json()["records"]
    assert owner == queue["Id"]


def test_rest_deploy_reports_every_failure(api) -> None:
    started = _deploy(api, _zip(FILES), {"rollbackOnError": "false"}, part="json")
    deployed = api.get(f"{DEPLOY}/{started.json()['id']}", params={"includeDetails": "true"}).json()[
        "deployResult"]
    assert [deployed[k] for k in ("status", "success", "numberComponentErrors", "rollbackOnError")] == [
        "SucceededPartial", True, 3, False]
    assert sorted(f["fullName"] for f in deployed["details"]["componentFailures"]) == [
        "Bad_Q", "Lead", "Lead.Bad__c"]


def test_rest_cancel_of_a_finished_deploy(api) -> None:
    request_id = _deploy(api, peru_zip(), {"checkOnly": True}).json()["id"]
    canceled = api.patch(f"{DEPLOY}/{request_id}", json={"deployResult": {"status": "Canceling"}})
    assert canceled.status_code == 400
    assert errors_of(canceled) == [("INVALID_ID_FIELD", "Deployment already completed")]
    unknown = api.get(f"{DEPLOY}/0Af000000000000AAA")
    assert errors_of(unknown)[0][0] == "INVALID_ID_FIELD"


def test_rest_deploy_test_levels(api) -> None:
    refused = _deploy(api, peru_zip(), {"testLevel": "RunSpecifiedTests"})
    assert refused.status_code == 400
    assert errors_of(refused) == [("INVALID_OPERATION", "runTests must not be empty when a testLevel of "
                                                        "RunSpecifiedTests is used.")]
    unknown = _deploy(api, peru_zip(), {"testLevel": "Sometimes"})
    assert errors_of(unknown) == [("JSON_PARSER_ERROR", "'Sometimes' is not a valid value for the enum "
                                                        "'TestLevel'")]
    ran = _deploy(api, peru_zip(), {"testLevel": "RunLocalTests", "checkOnly": True})
    result = api.get(f"{DEPLOY}/{ran.json()['id']}").json()["deployResult"]
    assert (result["status"], result["numberTestsTotal"], result["checkOnly"]) == ("Succeeded", 0, True)


@pytest.mark.parametrize(("json_part", "error"), [
    ({"deployOptions": [1]}, "deployOptions must be an object"),
    ({"deployOptions": "x"}, "deployOptions must be an object"),
    ({"deployOptions": {"testLevel": "RunSpecifiedTests", "runTests": 5}},
     "runTests must be an array of test class names"),
    ({"deployOptions": {"runTests": [1, 2]}}, "runTests must be an array of test class names"),
])
def test_rest_deploy_options_of_the_wrong_shape_are_400s(api, json_part: dict, error: str) -> None:
    files = {"file": ("package.xml", peru_zip(), "application/zip"),
             "json": (None, json.dumps(json_part), "application/json")}
    refused = api.post(DEPLOY, files=files)
    assert refused.status_code == 400
    assert errors_of(refused) == [("JSON_PARSER_ERROR", error)]


@pytest.mark.parametrize("body", [{"deployResult": "x"}, {"deployResult": [1]}, [1], "x"])
def test_rest_cancel_of_the_wrong_shape_is_a_400(api, body: object) -> None:
    request_id = _deploy(api, peru_zip(), {"checkOnly": True}).json()["id"]
    refused = api.patch(f"{DEPLOY}/{request_id}", json=body)
    assert refused.status_code == 400
    assert errors_of(refused)[0][0] == "INVALID_INPUT"

"""Discovery on the demo org: the resource map, describeGlobal, basic info, describe, limits and the
Sforce-Limit-Info header."""
from __future__ import annotations

import pytest

from sfmock.core.ids import to18
from tests.integration.test_rest_fixtures import BASE, JSON_TYPE, V, api, errors_of

__all__ = ["api"]


def test_resource_map(api):
    response = api.get(f"{V}/")
    assert response.status_code == 200 and response.headers["content-type"] == JSON_TYPE
    body = response.json()
    assert body["sobjects"] == f"{V}/sobjects" and body["query"] == f"{V}/query"
    assert body["queryAll"] == f"{V}/queryAll" and body["limits"] == f"{V}/limits"
    assert body["identity"] == f"{BASE}/id/{api.demo.org.org_id}/{api.user('admin@acme.example')}"
    assert api.get(V).json() == body  # with and without the trailing slash


@pytest.mark.parametrize("path", ["/sobjects", "/sobjects/"])
def test_describe_global(api, path):
    response = api.get(path)
    assert response.status_code == 200
    body = response.json()
    by_name = {o["name"]: o for o in body["sobjects"]}
    assert by_name["Lead"]["keyPrefix"] == "00Q" and by_name["Case"]["keyPrefix"] == "500"
    assert by_name["Lead"]["urls"]["describe"] == f"{V}/sobjects/Lead/describe"
    assert by_name["AssignmentRule"]["createable"] is False


@pytest.mark.parametrize("path", ["/sobjects/Lead", "/sobjects/Lead/", "/sobjects/lead/"])
def test_basic_information(api, path):
    response = api.get(path)
    assert response.status_code == 200
    body = response.json()
    assert body["objectDescribe"]["name"] == "Lead" and body["objectDescribe"]["labelPlural"] == "Leads"
    assert body["recentItems"] == []


@pytest.mark.parametrize("path", ["/sobjects/Case/describe", "/sobjects/Case/describe/"])
def test_describe(api, path):
    response = api.get(path)
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Case" and body["keyPrefix"] == "500"
    fields = {f["name"]: f for f in body["fields"]}
    assert fields["CaseNumber"]["autoNumber"] is True and fields["CaseNumber"]["createable"] is False
    assert fields["IsEscalated"]["type"] == "boolean" and fields["IsEscalated"]["soapType"] == "xsd:boolean"
    assert fields["Priority"]["defaultValue"] == "Medium"
    assert [p["value"] for p in fields["Origin"]["picklistValues"]] == ["Phone", "Email", "Web"]


def test_describe_of_an_unknown_object_is_404(api):
    response = api.get("/sobjects/Opportunityy/describe")
    assert response.status_code == 404
    assert errors_of(response) == [("NOT_FOUND", "The requested resource does not exist")]


@pytest.mark.parametrize("version", ["30.0", "69.0", "59.5", "latest", "59"])
def test_unsupported_versions_are_404(api, version):
    response = api.get(f"/services/data/v{version}/sobjects/")
    assert response.status_code == 404
    assert response.json() == [{"message": "The requested resource does not exist", "errorCode": "NOT_FOUND"}]


def test_latest_is_an_alias_of_the_newest_version(api):
    newest = api.demo.settings.api_versions()[-1]
    response = api.get("/services/data/latest/sobjects/Lead/describe")
    assert response.status_code == 200
    assert response.json()["urls"]["sobject"] == f"/services/data/v{newest}/sobjects/Lead"
    assert api.get("/services/data/latest").json()["sobjects"] == f"/services/data/v{newest}/sobjects"


def test_limits_and_limit_info_count_calls(api):
    first = api.get("/limits")
    assert first.status_code == 200
    daily = first.json()["DailyApiRequests"]
    assert daily["Max"] == api.demo.settings.api_request_limit
    used, limit = map(int, first.headers["sforce-limit-info"].removeprefix("api-usage=").split("/"))
    assert limit == daily["Max"] and daily["Remaining"] == limit - used
    second = api.get("/sobjects/")
    assert second.headers["sforce-limit-info"] == f"api-usage={used + 1}/{limit}"
    # Errors inside a call carry it too; /services/data/ itself never does.
    failed = api.get(f"/sobjects/Lead/{to18('00Q00000000zzzz')}")
    assert failed.status_code == 404 and failed.headers["sforce-limit-info"].startswith("api-usage=")
    assert "sforce-limit-info" not in api.client.get("/services/data/").headers


def test_over_the_request_limit_is_403(api, monkeypatch):
    used = int(api.get("/limits").headers["sforce-limit-info"].split("=")[1].split("/")[0])
    monkeypatch.setattr(api.client.app.state.settings, "api_request_limit", used + 1)
    assert api.get("/sobjects/").status_code == 200  # the last one allowed
    refused = api.post("/sobjects/Lead/", json={"LastName": "Late", "Company": "Acme"})
    assert refused.status_code == 403
    assert errors_of(refused) == [("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")]
    assert api.rows("Lead") == []

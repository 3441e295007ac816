"""The /_sfmock test-control API: reset, outbox, orgs created side by side and kept apart."""
from __future__ import annotations

import io
import zipfile

import pytest
from fastapi.testclient import TestClient

from sfmock.calls import api_call, login
from sfmock.core import ids
from sfmock.core.options import ACTIVE_RULE
from sfmock.core.results import RecordInput
from sfmock.main import create_app
from sfmock.orgs.demo import DEMO_ORG_PATH
from tests.conftest import DemoDb

ENTERPRISE = {"LastName": "Smith", "Company": "Acme", "Country": "India", "AnnualRevenue": "20000000"}


@pytest.fixture
def client(app_db: DemoDb) -> TestClient:
    return TestClient(create_app(app_db.settings, app_db.db), base_url="http://127.0.0.1:8000")


def _create_lead(demo: DemoDb, username: str, journal_op: str = "create") -> str:
    session = login(demo.db, username, "sfmock-passwordSFMOCKTOKEN", caller_ip=None).session_id
    with api_call(demo.db, session, api="soap") as call:
        [result] = call.service.create([RecordInput("Lead", ENTERPRISE)], assignment=ACTIVE_RULE,
                                       notify_owner=True)
        call.journal.operation, call.journal.sobject, call.journal.assignment = journal_op, "Lead", "default"
        call.journal.note_results([result])
    return result.id


def test_health_and_empty_outbox(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/_sfmock/outbox").json() == []


def test_outbox_filters_and_clear(client: TestClient, app_db: DemoDb) -> None:
    lead_id = _create_lead(app_db, "admin@acme.example")
    rows = client.get("/_sfmock/outbox").json()
    assert [r["recipient"] for r in rows] == ["enterprise-india@acme.example", "priya.rep@acme.example",
                                              "raj.rep@acme.example"]
    assert client.get("/_sfmock/outbox",
                      params={"to": "PRIYA.rep@acme.example"}).json()[0]["record_id"] == lead_id
    assert len(client.get("/_sfmock/outbox", params={"recordId": lead_id[:15]}).json()) == 3
    assert client.get("/_sfmock/outbox", params={"since": "2999-01-01T00:00:00Z"}).json() == []
    assert client.delete("/_sfmock/outbox").json() == {"deleted": 3}
    assert client.get("/_sfmock/outbox").json() == []


@pytest.mark.parametrize(("params", "fragment"), [
    ({"since": "yesterday"}, "since"), ({"recordId": "nope"}, "recordId"), ({"orgId": "00D"}, "orgId"),
])
def test_bad_filters_are_400_with_a_message(client: TestClient, params: dict, fragment: str) -> None:
    response = client.get("/_sfmock/outbox", params=params)
    assert response.status_code == 400
    assert fragment in response.json()["detail"]["message"]


def test_reset_restores_the_demo_or_empties(client: TestClient, app_db: DemoDb) -> None:
    _create_lead(app_db, "admin@acme.example")
    assert client.post("/_sfmock/reset").json()["orgs"][0]["name"] == "Acme Demo"
    assert client.get("/_sfmock/outbox").json() == []
    assert client.post("/_sfmock/reset", params={"empty": "true"}).json() == {"orgs": []}
    assert client.get("/_sfmock/orgs").json() == []


def test_two_orgs_side_by_side_are_isolated(client: TestClient, app_db: DemoDb) -> None:
    first, second = client.post("/_sfmock/orgs").json(), client.post("/_sfmock/orgs",
                                                                     json={"source": "demo"}).json()
    assert first["id"] != second["id"]
    admin1, admin2 = (o["logins"][0] for o in (first, second))
    assert admin1["username"] == f"admin@acme.example.{first['id'][:15].lower()}"
    assert admin1["password"] == "sfmock-password" and admin1["security_token"] == "SFMOCKTOKEN"
    assert first["connected_apps"][0]["client_id"] == f"sfmock-demo-client-{first['id'][:15]}"
    assert first["soap_url"].endswith(f"/services/Soap/u/64.0/{first['id'][:15]}")
    lead1, lead2 = _create_lead(app_db, admin1["username"]), _create_lead(app_db, admin2["username"])
    # Separate sequences: each org's first lead has record number 1, and the ids carry the org.
    assert lead1[6:15] == lead2[6:15] == "000000001"
    assert ids.org_number(lead1) != ids.org_number(lead2)
    out1 = client.get(f"/_sfmock/orgs/{first['id']}/outbox").json()
    out2 = client.get(f"/_sfmock/orgs/{second['id']}/outbox").json()
    assert {r["record_id"] for r in out1} == {lead1} and {r["record_id"] for r in out2} == {lead2}
    j1 = client.get(f"/_sfmock/orgs/{first['id']}/journal").json()
    assert [(j["door"], j["operation"], j["sobject"], j["assignment"], j["results"]) for j in j1] == [
        ("soap", "create", "Lead", "default", ["OK"])]
    # Resetting one org leaves the other alone, and never reuses an Id.
    client.post(f"/_sfmock/orgs/{first['id']}/reset")
    assert client.get(f"/_sfmock/orgs/{first['id']}/outbox").json() == []
    assert client.get(f"/_sfmock/orgs/{first['id']}/journal").json() == []
    assert _create_lead(app_db, admin1["username"]) != lead1
    assert len(client.get(f"/_sfmock/orgs/{second['id']}/outbox").json()) == 3
    assert client.delete(f"/_sfmock/orgs/{first['id']}").json() == {"deleted": True}
    assert client.get(f"/_sfmock/orgs/{first['id']}/outbox").status_code == 404
    assert second["id"] in {o["id"] for o in client.get("/_sfmock/orgs").json()}


def test_org_views(client: TestClient, app_db: DemoDb) -> None:
    org = app_db.org.org_id
    queues = {q["DeveloperName"]: q for q in client.get(f"/_sfmock/orgs/{org}/queues").json()}
    assert queues["Enterprise_India_Queue"]["DoesSendEmailToMembers"] is True
    assert queues["Enterprise_India_Queue"]["sobject_types"] == ["Lead"]
    rules = {r["Name"]: r for r in client.get(f"/_sfmock/orgs/{org}/rules").json()}
    assert rules["Standard Routing"]["Active"] is True and len(rules["Standard Routing"]["entries"]) == 5
    users = client.get(f"/_sfmock/orgs/{org}/users").json()
    assert "PasswordHash" not in users[0] and users[0]["Username"] == "admin@acme.example"
    assert client.get(f"/_sfmock/orgs/{org}/secrets").status_code == 404


def _zip(folder, mutate=None) -> bytes:  # noqa: ANN001
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                text = path.read_bytes()
                if mutate:
                    text = mutate(path, text)
                archive.writestr(str(path.relative_to(folder)), text)
    return buffer.getvalue()


def test_an_org_from_an_uploaded_zip(client: TestClient) -> None:
    response = client.post("/_sfmock/orgs", content=_zip(DEMO_ORG_PATH),
                           headers={"Content-Type": "application/zip"})
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "Acme Demo"


def test_a_bad_zip_loads_nothing(client: TestClient) -> None:
    before = client.get("/_sfmock/orgs").json()

    def break_queue(path, text):  # noqa: ANN001
        return text.replace(b"Enterprise_India_Queue</assignedTo>", b"No_Such_Queue</assignedTo>")

    response = client.post("/_sfmock/orgs", files={"file": ("org.zip", _zip(DEMO_ORG_PATH, break_queue))})
    assert response.status_code == 422
    assert "Lead.assignmentRules-meta.xml" in response.json()["detail"]["message"]
    assert "No_Such_Queue" in response.json()["detail"]["message"]
    assert client.get("/_sfmock/orgs").json() == before


def test_activating_a_case_rule_deactivates_support_routing(client: TestClient, app_db: DemoDb) -> None:
    org, sample = app_db.org.org_id, app_db.org.rule_ids["Case/samplerule"]
    rules = client.post(f"/_sfmock/orgs/{org}/rules/{sample}/activate").json()["rules"]
    assert {r["Name"]: r["Active"] for r in rules if r["SobjectType"] == "Case"} == {
        "samplerule": True, "Another samplerule": False, "Support Routing": False}
    assert client.post(f"/_sfmock/orgs/{org}/rules/01Q001000000999/activate").status_code == 404


def test_an_oversized_upload_is_refused(client: TestClient, app_db: DemoDb) -> None:
    limit = app_db.settings.max_body_bytes
    response = client.post("/_sfmock/orgs", content=b"x" * (limit + 1),
                           headers={"Content-Type": "application/zip"})
    assert response.status_code == 413
    assert client.get("/_sfmock/orgs").json() == [
        {
            "id": app_db.org.org_id,
            "name": "Acme Demo",
            "created_at": client.get("/_sfmock/orgs").json()[0]["created_at"],
        }
    ]


def test_the_admin_api_can_be_turned_off(app_db: DemoDb) -> None:
    settings = app_db.settings.model_copy(update={"admin_api": False})
    off = TestClient(create_app(settings, app_db.db), base_url="http://127.0.0.1:8000")
    assert off.get("/_sfmock/outbox").status_code == 404
    assert off.post("/_sfmock/reset").status_code == 404
    assert off.get("/health").status_code == 200


@pytest.mark.parametrize("body",
                         ['{"source": "elsewhere"}', "not json", "[" * 100_000 + "]" * 100_000, "[1]"])
def test_bad_org_requests_are_400(client: TestClient, body: str) -> None:
    response = client.post("/_sfmock/orgs", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.json()["detail"]["error"] == "bad_request"


def test_a_chunked_upload_is_held_to_the_size_limit(client: TestClient, app_db: DemoDb) -> None:
    limit = app_db.settings.max_body_bytes

    def chunks():  # no Content-Length: the server must count
        for _ in range(limit // 4096 + 2):
            yield b"x" * 4096

    response = client.post("/_sfmock/orgs", content=chunks(), headers={"Content-Type": "application/zip"})
    assert response.status_code == 413
    assert len(client.get("/_sfmock/orgs").json()) == 1


def test_fault_rules_are_armed_listed_refused_and_disarmed(client: TestClient) -> None:
    org_id = client.post("/_sfmock/orgs").json()["id"]
    bad = client.post(f"/_sfmock/orgs/{org_id}/faults", json={"kind": "TEAPOT"})
    assert bad.status_code == 400 and "kind must be one of" in bad.json()["detail"]["message"]
    assert client.post(f"/_sfmock/orgs/{org_id}/faults", content=b"{").status_code == 400
    armed = client.post(f"/_sfmock/orgs/{org_id}/faults", json={"kind": "DELAY", "delay_ms": 10, "count": 2})
    assert armed.status_code == 201
    assert client.get(f"/_sfmock/orgs/{org_id}/faults").json() == [
        {"id": armed.json()["id"], "kind": "DELAY", "door": None, "operation": None, "sobject": None,
         "remaining": 2,
         "probability": None, "delay_ms": 10, "hits": 0}]
    assert client.delete(f"/_sfmock/orgs/{org_id}/faults/{armed.json()['id']}").json() == {"deleted": 1}
    assert client.get(f"/_sfmock/orgs/{org_id}/faults").json() == []


def test_filters_are_named_like_the_fields_and_unknown_ones_are_refused(client: TestClient,
                                                                        app_db: DemoDb) -> None:
    lead_id = _create_lead(app_db, "admin@acme.example")
    org = app_db.org.org_id
    for path in ("/_sfmock/outbox", f"/_sfmock/orgs/{org}/outbox"):
        assert [
            r["record_id"] for r in client.get(path, params={"recipient": "PRIYA.rep@acme.example"}).json()
        ] == [lead_id]
        assert len(client.get(path, params={"record_id": lead_id[:15]}).json()) == 3
        assert client.get(path, params={"record_id": "001000000000001AAA"}).json() == []
        refused = client.get(path, params={"recipent": "x"})
        assert refused.status_code == 400
        assert refused.json()["detail"]["message"].startswith("unknown filter(s): recipent (known: "
                                                              "recipient, ")
    assert len(client.get("/_sfmock/outbox", params={"org_id": org}).json()) == 3
    assert [e["record_ids"] for e in client.get(f"/_sfmock/orgs/{org}/journal",
                                                 params={"record_id": lead_id}).json()] == [[lead_id]]
    assert client.get(f"/_sfmock/orgs/{org}/journal", params={"op": "create"}).status_code == 400
    assert client.get("/_sfmock/orgs", params={"name": "x"}).status_code == 400


def test_admin_json_is_snake_case_and_documented(client: TestClient) -> None:
    import re

    created = client.post("/_sfmock/orgs").json()
    keys = set(created) | set(created["logins"][0]) | set(created["connected_apps"][0])
    assert not [k for k in keys if re.search("[A-Z]", k)]
    assert set(client.get("/_sfmock/orgs").json()[0]) == {"id", "name", "created_at"}
    spec = client.get("/_sfmock/openapi.json").json()
    assert {"/_sfmock/orgs", "/_sfmock/orgs/{org_id}/faults", "/_sfmock/outbox"} <= set(spec["paths"])
    assert "OrgDescription" in spec["components"]["schemas"]
    assert not [p for p in spec["paths"] if p.startswith(("/services", "/_sfmock/console"))]
    assert client.get("/_sfmock/docs").status_code == 200


def test_the_docs_page_loads_nothing_from_another_host(client: TestClient) -> None:
    """Issue 16: the Swagger UI's script, style and icon come from sfmock itself (no CDN, works offline)."""
    import re

    page = client.get("/_sfmock/docs").text
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sorted(assets) == [
        "/_sfmock/docs/assets/favicon-32x32.png",
        "/_sfmock/docs/assets/swagger-ui-bundle.js",
        "/_sfmock/docs/assets/swagger-ui.css",
    ]
    assert "'/_sfmock/openapi.json'" in page and "https://" not in page
    for asset in assets:
        served = client.get(asset)
        assert served.status_code == 200 and len(served.content) > 500, asset
    assert "SwaggerUIBundle" in client.get("/_sfmock/docs/assets/swagger-ui-bundle.js").text


def test_the_demo_org_keeps_its_id_across_resets(client: TestClient) -> None:
    first = client.post("/_sfmock/reset").json()["orgs"][0]["id"]
    other = client.post("/_sfmock/orgs").json()["id"]
    assert client.post("/_sfmock/reset").json()["orgs"][0]["id"] == first == "00D001000000001EAA"
    client.post("/_sfmock/reset", params={"empty": "true"})
    assert client.post("/_sfmock/orgs").json()["id"] not in (first, other)
    assert client.post("/_sfmock/reset").json()["orgs"][0]["id"] == first

"""jsforce, unmodified (the exact version pinned in tests/e2e/jsforce/package.json), against a real server.

Each test runs tests/e2e/jsforce/drive.js under Node: it reads {loginUrl, username, password, scenario, args}
as JSON on stdin, logs in with jsforce's SOAP login() over plain HTTP (jsforce takes its instanceUrl from the
serverUrl that login answers), runs one scenario through jsforce's public API and prints one JSON answer.
What the server did is checked through jsforce's own answers, the outbox and the test-control API's journal.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.e2e

JSFORCE_DIR = Path(__file__).resolve().parent / "jsforce"
DRIVER = JSFORCE_DIR / "drive.js"
PINNED = json.loads((JSFORCE_DIR / "package.json").read_text())["dependencies"]["jsforce"]
NODE = shutil.which("node")

ADMIN, PASSWORD, TOKEN = "admin@acme.example", "sfmock-password", "SFMOCKTOKEN"
INDIA = {"LastName": "Kumar", "Company": "Tata", "Country": "India"}
ENTERPRISE = INDIA | {"AnnualRevenue": 20000000}
ENTERPRISE_MAIL = ["enterprise-india@acme.example", "priya.rep@acme.example", "raj.rep@acme.example"]
INVALID_LOGIN = "INVALID_LOGIN: Invalid username, password, security token; or user locked out."


def _installed_version() -> str | None:
    manifest = JSFORCE_DIR / "node_modules" / "jsforce" / "package.json"
    return json.loads(manifest.read_text())["version"] if manifest.is_file() else None


@pytest.fixture(scope="module")
def jsforce_installed() -> str:
    """The pinned jsforce in tests/e2e/jsforce/node_modules (`npm ci` when it is missing or not the pin)."""
    if NODE is None:
        pytest.skip("`node` is not on PATH: the jsforce e2e tests need Node.js (>= 18) and npm")
    if _installed_version() != PINNED:
        command = ["npm", "ci", "--prefix", str(JSFORCE_DIR), "--no-audit", "--no-fund"]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=600)
        except FileNotFoundError:
            pytest.fail(f"`node` is on PATH but `npm` is not: cannot run {' '.join(command)}", pytrace=False)
        if done.returncode != 0:
            pytest.fail(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}",
                        pytrace=False)
    installed = _installed_version()
    assert installed == PINNED, f"node_modules holds jsforce {installed}, package.json pins {PINNED}"
    return installed


class Jsforce:
    """Runs drive.js against one server: `run` gives the whole answer, calling the object its result."""

    def __init__(self, server: Any) -> None:
        self.server = server

    def run(self, scenario: str, *, username: str = ADMIN, password: str = PASSWORD + TOKEN,
            https: bool = False, **args: Any) -> dict[str, Any]:
        payload = {"loginUrl": self.server.https_url if https else self.server.http_url, "username": username,
                   "password": password, "version": "59.0", "scenario": scenario, "args": args}
        # Node trusts sfmock's generated CA through NODE_EXTRA_CA_CERTS (read at start-up) on the HTTPS door.
        env = os.environ | {"JSFORCE_LOG_LEVEL": "NONE", "NODE_EXTRA_CA_CERTS": str(self.server.ca_file)}
        done = subprocess.run([NODE, str(DRIVER)], input=json.dumps(payload), capture_output=True, text=True,
                              cwd=JSFORCE_DIR, timeout=300, env=env)
        assert done.returncode == 0, f"drive.js {scenario} exited {done.returncode}:\n{done.stderr}"
        return json.loads(done.stdout)

    def __call__(self, scenario: str, **args: Any) -> Any:
        answer = self.run(scenario, **args)
        assert answer["ok"] is True, f"jsforce failed in {scenario}: {answer}"
        return answer["result"]


@pytest.fixture
def js(jsforce_installed: str, fresh_server: Any) -> Jsforce:
    return Jsforce(fresh_server)


# --- what the org holds, through the test-control API ---------------------------------------------------

def _admin(server: Any, path: str, **params: str) -> Any:
    response = httpx.get(f"{server.http_url}/_sfmock{path}", params=params, timeout=30)
    response.raise_for_status()
    return response.json()


def _org_id(server: Any) -> str:
    [org] = _admin(server, "/orgs")
    return org["id"]


def _queue_id(server: Any, developer_name: str) -> str:
    queues = _admin(server, f"/orgs/{_org_id(server)}/queues")
    return next(q["Id"] for q in queues if q["DeveloperName"] == developer_name)


def _user_id(server: Any, username: str) -> str:
    users = _admin(server, f"/orgs/{_org_id(server)}/users")
    return next(u["Id"] for u in users if u["Username"] == username)


def _journal(server: Any, **filters: str) -> list[dict[str, Any]]:
    return _admin(server, f"/orgs/{_org_id(server)}/journal", **filters)


# --- login ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("https", [False, True], ids=["http", "https"])
def test_soap_login_establishes_the_session(js: Jsforce, fresh_server: Any, https: bool) -> None:
    # jsforce POSTs the login envelope chunked (no Content-Length) and reads serverUrl, sessionId, userId and
    # organizationId from the answer by regular expression.
    answer = js.run("login", https=https)
    assert answer["ok"] is True and answer["jsforce"] == PINNED, answer
    base = fresh_server.https_url if https else fresh_server.http_url
    org_id, user_id = _org_id(fresh_server), _user_id(fresh_server, ADMIN)
    assert answer["instanceUrl"] == base  # serverUrl cut to scheme://host:port: the door that was used
    assert answer["userInfo"] == {"id": user_id, "organizationId": org_id,
                                  "url": f"{base}/id/{org_id}/{user_id}"}
    assert answer["accessToken"].startswith(org_id[:15] + "!")


@pytest.mark.parametrize("username, password", [
    (ADMIN, "wrong-password" + TOKEN),
    (ADMIN, PASSWORD),  # the security token is required
    ("nobody@acme.example", PASSWORD + TOKEN),
], ids=["bad-password", "no-token", "unknown-user"])
def test_bad_credentials_reject_login_with_invalid_login(js: Jsforce, username: str, password: str) -> None:
    # jsforce's loginBySoap throws new Error(<faultstring>) on a non-2xx answer.
    answer = js.run("login", username=username, password=password)
    assert answer == {"ok": False, "stage": "login", "error": {"name": "Error", "message": INVALID_LOGIN}}


def test_an_expired_session_is_refreshed_by_logging_in_again(js: Jsforce) -> None:
    # Revoked behind jsforce's back: the 401 INVALID_SESSION_ID makes jsforce log in again and replay.
    result = js("sessionRefresh", record=INDIA)
    assert (result["revokeStatus"], result["refreshed"], result["tokenChanged"]) == (200, 1, True)
    assert result["result"]["success"] is True and result["result"]["id"].startswith("00Q")


def test_soap_logout_ends_the_session(js: Jsforce) -> None:
    result = js("logout")
    assert result["statusAfter"] == 401 and result["contentType"].startswith("application/json")
    assert result["bodyAfter"] == [{"message": "Session expired or invalid",
                                    "errorCode": "INVALID_SESSION_ID"}]


def test_identity_url_describes_the_logged_in_user(js: Jsforce, fresh_server: Any) -> None:
    answer = js.run("identity")
    assert answer["ok"] is True, answer
    org_id, user_id = _org_id(fresh_server), _user_id(fresh_server, ADMIN)
    identity = answer["result"]
    assert identity["id"] == f"{fresh_server.http_url}/id/{org_id}/{user_id}"
    assert (identity["user_id"], identity["organization_id"]) == (user_id, org_id)
    assert (identity["username"], identity["display_name"], identity["active"]) == (ADMIN, "Ada Admin", True)


# --- REST create: assignment by Sforce-Auto-Assign, never a mail ----------------------------------------

@pytest.mark.parametrize("sobject, record, owner", [
    ("Lead", INDIA, ("queue", "India_SMB_Queue")),
    ("Lead", ENTERPRISE, ("queue", "Enterprise_India_Queue")),  # an entry with a template: still no mail
    ("Lead", {"LastName": "Doe", "Company": "Clinic", "LeadSource": "Web", "Industry": "Healthcare"},
     ("queue", "Healthcare_AE_Round_Robin")),
    ("Case", {"Subject": "Down", "IsEscalated": True}, ("user", "testUser@org.com")),
], ids=["india-smb", "india-enterprise", "healthcare", "escalated-case"])
def test_create_runs_the_active_rule_and_sends_no_mail(js: Jsforce, fresh_server: Any, sobject: str,
                                                       record: dict, owner: tuple[str, str]) -> None:
    created = js("create", sobject=sobject, record=record)
    result, saved = created["result"], created["record"]
    assert result["success"] is True and result["errors"] == []
    assert result["id"] == saved["Id"] and saved["attributes"]["type"] == sobject
    kind, name = owner
    expected = _queue_id(fresh_server, name) if kind == "queue" else _user_id(fresh_server, name)
    assert saved["OwnerId"] == expected
    assert fresh_server.outbox() == []  # KB 000384839: REST never sends the assignment notification
    [entry] = _journal(fresh_server, door="rest", operation="create")
    assert (entry["sobject"], entry["assignment"], entry["email"], entry["results"]) == \
        (sobject, "default", None, ["OK"])  # no Sforce-Auto-Assign sent: REST's default TRUE, the active rule


def test_auto_assign_false_header_keeps_the_calling_user(js: Jsforce, fresh_server: Any) -> None:
    answer = js.run("create", record=ENTERPRISE, options={"headers": {"Sforce-Auto-Assign": "FALSE"}})
    assert answer["ok"] is True and answer["result"]["result"]["success"] is True
    assert answer["result"]["record"]["OwnerId"] == answer["userInfo"]["id"] == _user_id(fresh_server, ADMIN)
    assert fresh_server.outbox() == []
    [entry] = _journal(fresh_server, door="rest", operation="create")
    assert entry["assignment"] == "none"  # jsforce put DmlOptions.headers on the wire
    assert entry["headers"]["sforce-auto-assign"] == "FALSE"


def test_array_create_uses_collections_with_a_result_per_record(js: Jsforce, fresh_server: Any) -> None:
    results = js("createMany", records=[INDIA, {"LastName": "Doe", "Company": "Clinic", "LeadSource": "Web",
                                                "Industry": "Healthcare"}, {"LastName": "NoCompany"}])
    assert [r["success"] for r in results] == [True, True, False]
    assert all(r["id"].startswith("00Q") and r["errors"] == [] for r in results[:2])
    assert results[2] == {"success": False, "errors": [{"statusCode": "REQUIRED_FIELD_MISSING",
                                                        "message": "Required fields are missing: [Company]",
                                                        "fields": ["Company"]}]}
    [entry] = _journal(fresh_server, door="rest", operation="create")  # one composite/sobjects request
    assert (entry["record_count"], entry["results"]) == (3, ["OK", "OK", "REQUIRED_FIELD_MISSING"])
    found = js("query", soql="SELECT Id, OwnerId FROM Lead ORDER BY LastName")
    owners = {r["Id"]: r["OwnerId"] for r in found["records"]}
    assert owners == {results[0]["id"]: _queue_id(fresh_server, "India_SMB_Queue"),
                      results[1]["id"]: _queue_id(fresh_server, "Healthcare_AE_Round_Robin")}
    assert fresh_server.outbox() == []


def test_array_create_all_or_none_rolls_every_record_back(js: Jsforce) -> None:
    results = js("createMany", records=[INDIA, {"LastName": "NoCompany"}], options={"allOrNone": True})
    assert results == [
        {"success": False, "errors": [{
            "statusCode": "ALL_OR_NONE_OPERATION_ROLLED_BACK", "fields": [],
            "message": "Record rolled back because not all records were valid and the request was using "
                       "AllOrNone header"}]},
        {"success": False, "errors": [{"statusCode": "REQUIRED_FIELD_MISSING", "fields": ["Company"],
                                       "message": "Required fields are missing: [Company]"}]},
    ]
    assert js("query", soql="SELECT COUNT() FROM Lead")["totalSize"] == 0


def test_missing_company_rejects_with_required_field_missing(js: Jsforce, fresh_server: Any) -> None:
    answer = js.run("create", record={"LastName": "NoCompany"})
    assert answer["ok"] is False and answer["stage"] == "scenario"
    # jsforce's HttpApiError: name = errorCode; data = the one error of the answer's array.
    assert answer["error"] == {
        "name": "REQUIRED_FIELD_MISSING", "errorCode": "REQUIRED_FIELD_MISSING",
        "message": "Required fields are missing: [Company]",
        "data": {"message": "Required fields are missing: [Company]", "errorCode": "REQUIRED_FIELD_MISSING",
                 "fields": ["Company"]},
    }
    [entry] = _journal(fresh_server, door="rest", operation="create")
    assert entry["results"] == ["REQUIRED_FIELD_MISSING"]


# --- query ---------------------------------------------------------------------------------------------

def test_query_nests_the_owner_name(js: Jsforce, fresh_server: Any) -> None:
    routed = js("create", record=INDIA)["result"]["id"]
    kept = js("create", record=INDIA | {"LastName": "Rao"},
              options={"headers": {"Sforce-Auto-Assign": "FALSE"}})["result"]["id"]
    soql = "SELECT Id, Name FROM Group WHERE DeveloperName = 'India_SMB_Queue'"
    [group] = js("query", soql=soql)["records"]
    queue_id, admin_id = group["Id"], _user_id(fresh_server, ADMIN)
    assert queue_id == _queue_id(fresh_server, "India_SMB_Queue")

    found = js("query", soql="SELECT Id, OwnerId, Owner.Name FROM Lead ORDER BY LastName")
    assert (found["totalSize"], found["done"], found["nextRecordsUrl"]) == (2, True, None)
    assert found["records"] == [
        {"attributes": {"type": "Lead", "url": f"/services/data/v59.0/sobjects/Lead/{routed}"},
         "Id": routed, "OwnerId": queue_id,
         "Owner": {"attributes": {"type": "Name", "url": f"/services/data/v59.0/sobjects/Group/{queue_id}"},
                   "Name": "India SMB Queue"}},
        {"attributes": {"type": "Lead", "url": f"/services/data/v59.0/sobjects/Lead/{kept}"},
         "Id": kept, "OwnerId": admin_id,
         "Owner": {"attributes": {"type": "Name", "url": f"/services/data/v59.0/sobjects/User/{admin_id}"},
                   "Name": "Ada Admin"}},
    ]


def test_query_pages_through_2100_records(js: Jsforce, fresh_server: Any) -> None:
    records = [{"LastName": f"P{i:04d}", "Company": "Paging"} for i in range(2100)]
    created = js("createMany", records=records, options={"allowRecursive": True}, idsOnly=True)
    assert (created["count"], created["successes"]) == (2100, 2100)
    ids = set(created["ids"])
    batches = _journal(fresh_server, door="rest", operation="create")  # jsforce splits into 200s itself
    assert sorted(e["record_count"] for e in batches) == [100] + [200] * 10
    soql = "SELECT Id FROM Lead WHERE Company = 'Paging'"

    first = js("query", soql=soql, idsOnly=True)  # one page, no autoFetch
    assert (first["totalSize"], first["done"], first["count"]) == (2100, False, 2000)
    assert first["nextRecordsUrl"].startswith(f"{fresh_server.http_url}/services/data/v59.0/query/")

    pages = js("queryPages", soql=soql)  # conn.queryMore(nextRecordsUrl) until done
    assert [(p["count"], p["done"], p["totalSize"]) for p in pages] == \
        [(2000, False, 2100), (100, True, 2100)]
    paged = [record_id for page in pages for record_id in page["records"]]
    assert len(paged) == 2100 and set(paged) == ids

    every = js("query", soql=soql, idsOnly=True, options={"autoFetch": True, "maxFetch": 5000})
    assert (every["totalSize"], every["done"], every["count"]) == (2100, True, 2100)
    assert set(every["records"]) == ids


# --- retrieve / update / destroy / describe ------------------------------------------------------------

def test_retrieve_update_destroy(js: Jsforce, fresh_server: Any) -> None:
    result = js("crud", record={"LastName": "Doe", "Company": "Acme"}, changes={"Title": "CTO"})
    lead_id = result["created"]["id"]
    assert result["created"] == {"id": lead_id, "success": True, "errors": []}
    before = result["before"]
    assert (before["Id"], before["Title"], before["Company"]) == (lead_id, None, "Acme")
    assert before["OwnerId"] == _queue_id(fresh_server, "Unassigned_Leads_Queue")  # rule entry 4
    assert result["updated"] == {"id": lead_id, "success": True, "errors": []}
    assert result["after"]["Title"] == "CTO" and result["after"]["LastName"] == "Doe"
    assert result["destroyed"] == {"id": lead_id, "success": True, "errors": []}
    gone = result["retrieveAfterDestroy"]
    assert gone["ok"] is False
    assert (gone["error"]["errorCode"], gone["error"]["message"]) == \
        ("ENTITY_IS_DELETED", "entity is deleted")
    assert result["countAfter"] == 0


def test_describe_lead(js: Jsforce) -> None:
    described = js("describe", sobject="Lead")
    assert (described["name"], described["label"], described["keyPrefix"]) == ("Lead", "Lead", "00Q")
    assert described["createable"] is True and described["queryable"] is True
    assert described["urls"]["sobject"] == "/services/data/v59.0/sobjects/Lead"
    fields = described["fields"]
    assert {"Id", "LastName", "Company", "Country", "AnnualRevenue", "OwnerId", "Status"} <= fields.keys()
    for required in ("Company", "LastName"):
        assert (fields[required]["type"], fields[required]["nillable"], fields[required]["createable"]) == \
            ("string", False, True)
    assert (fields["OwnerId"]["type"], fields["OwnerId"]["relationshipName"]) == ("reference", "Owner")
    assert sorted(fields["OwnerId"]["referenceTo"]) == ["Group", "User"]
    assert fields["AnnualRevenue"]["type"] == "currency"


# --- SOAP ----------------------------------------------------------------------------------------------

def test_jsforce_soap_create_runs_no_rule_and_sends_no_mail(js: Jsforce, fresh_server: Any) -> None:
    # conn.soap.create puts sObjects in xmlns:ns1="sobject.partner.soap.sforce.com" and the fields in the
    # default namespace; it cannot send AssignmentRuleHeader, and SOAP assigns only on request.
    answer = js.run("soapCreate", fields=ENTERPRISE)
    assert answer["ok"] is True, answer
    result, saved = answer["result"]["result"], answer["result"]["record"]
    assert result == {"id": saved["Id"], "success": True, "errors": []}
    assert (saved["LastName"], saved["Country"], saved["AnnualRevenue"]) == ("Kumar", "India", 20000000)
    assert saved["OwnerId"] == answer["userInfo"]["id"]
    assert fresh_server.outbox() == []
    [entry] = _journal(fresh_server, door="soap", operation="create")
    assert (entry["assignment"], entry["email"], entry["results"]) == (None, None, ["OK"])


def test_soap_create_with_assignment_and_email_headers_notifies(js: Jsforce, fresh_server: Any) -> None:
    # jsforce has no SOAP header option: the envelope is hand-written and sent by conn.request, as captured.
    result = js("soapCreateWithHeaders", fields=ENTERPRISE, headers={
        "AssignmentRuleHeader": {"useDefaultRule": "true"},
        "EmailHeader": {"triggerAutoResponseEmail": "false", "triggerOtherEmail": "false",
                        "triggerUserEmail": "true"}})
    lead_id = result["record"]["Id"]
    assert result["result"] == {"id": lead_id, "success": "true"}  # xml2js: text, no <errors> on success
    assert result["record"]["OwnerId"] == _queue_id(fresh_server, "Enterprise_India_Queue")
    sent = fresh_server.outbox()
    assert sorted(m["recipient"] for m in sent) == ENTERPRISE_MAIL
    assert {(m["record_id"], m["record_type"], m["template_name"], m["reason"], m["api"]) for m in sent} == \
        {(lead_id, "Lead", "New enterprise lead", "assignment", "soap")}
    assert {m["subject"] for m in sent} == {"New enterprise lead assigned to you: Kumar from Tata"}
    [entry] = _journal(fresh_server, door="soap", operation="create")
    assert entry["assignment"] == "default"
    assert entry["email"] == {"triggerAutoResponseEmail": False, "triggerOtherEmail": False,
                              "triggerUserEmail": True}


def test_soap_create_with_assignment_but_no_email_header_is_silent(js: Jsforce, fresh_server: Any) -> None:
    assign = {"AssignmentRuleHeader": {"useDefaultRule": "1"}}  # xsd:boolean 1
    result = js("soapCreateWithHeaders", fields=ENTERPRISE, headers=assign)
    assert result["record"]["OwnerId"] == _queue_id(fresh_server, "Enterprise_India_Queue")
    assert fresh_server.outbox() == []
    [entry] = _journal(fresh_server, door="soap", operation="create")
    assert (entry["assignment"], entry["email"]) == ("default", None)

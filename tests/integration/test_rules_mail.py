"""Formula rules, auto-response rules and Web-to-Lead / Web-to-Case against a migrated database (SQLite and
PostgreSQL), with the Initech org (tests/fixtures/initech-sfdx): owners and exact outbox rows."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sfmock.calls import api_call, login
from sfmock.core import web_forms
from sfmock.core.options import ACTIVE_RULE
from sfmock.core.results import RecordInput
from sfmock.main import create_app
from sfmock.orgs.install import InstalledOrg, install
from sfmock.orgs.metadata import load_org_folder
from sfmock.persistence.outbox import list_mail
from tests.conftest import DemoDb

INITECH = Path(__file__).resolve().parents[1] / "fixtures" / "initech-sfdx"
PASSWORD = "initech-TPS-1"
MAIL_KEYS = ("recipient", "cc", "subject", "template_name", "reason", "api", "sender_name", "sender_email",
             "reply_to")


@pytest.fixture
def initech(app_db: DemoDb) -> InstalledOrg:
    with app_db.db.session() as session:
        return install(session, load_org_folder(INITECH), unique_logins=True)


@pytest.fixture
def client(app_db: DemoDb) -> TestClient:
    # A host the /_sfmock guard serves (loopback), as a real server is reached.
    return TestClient(create_app(app_db.settings, app_db.db), base_url="http://127.0.0.1:8000")


def outbox(demo: DemoDb, org: InstalledOrg) -> list[tuple[Any, ...]]:
    with demo.db.session() as session:
        return [tuple(row[k] for k in MAIL_KEYS) for row in list_mail(session, org_id=org.org_id)]


def create(demo: DemoDb, org: InstalledOrg, user: str, sobject: str, values: dict[str, Any], *,
           notify: bool, respond: bool) -> dict[str, Any]:
    session = login(demo.db, org.usernames[user], PASSWORD, caller_ip=None).session_id
    with api_call(demo.db, session, api="soap") as call:
        [result] = call.service.create([RecordInput(sobject, values)], assignment=ACTIVE_RULE,
                                       notify_owner=notify,
                                       auto_response=respond)
        assert result.success, result.errors
        return call.store.get(sobject, result.id)


def get(demo: DemoDb, org: InstalledOrg, sobject: str, **where: Any) -> list[dict[str, Any]]:
    from sfmock.persistence.orgs import open_org
    with demo.db.session() as session:
        return open_org(session, org.org_id).find(sobject, where)


LEAD_THANKS = ("Initech: Thank you for your inquiry", "Initech lead thanks", "auto_response")


@pytest.mark.parametrize(("notify", "respond"), [(False, False), (True, False), (False, True), (True, True)])
def test_soap_create_mails_by_the_email_header(app_db: DemoDb, initech: InstalledOrg, notify: bool,
                                               respond: bool) -> None:
    lead = create(app_db, initech, "bill@initech.example", "Lead",
                  {"LastName": "Bolton", "Company": "Enterprise Ltd", "LeadSource": "Web",
                   "Email": "mb@example.org"},
                  notify=notify, respond=respond)
    assert lead["OwnerId"] == initech.queue_ids["Enterprise_Leads"]  # formula entry 1
    expected = []
    if notify:
        expected.append(("enterprise@initech.example", None, "New lead: Bolton from Enterprise Ltd",
                         "Initech new lead", "assignment", "soap", "Bill Lumbergh", "bill@initech.example",
                         None))
    if respond:
        expected.append(("mb@example.org", None, LEAD_THANKS[0], LEAD_THANKS[1], LEAD_THANKS[2], "soap",
                         "Initech Sales", "sales@initech.example", "sales-replies@initech.example"))
    assert outbox(app_db, initech) == expected


def test_formula_with_user_profile_and_parent_fields(app_db: DemoDb, initech: InstalledOrg) -> None:
    samir = initech.user_ids["samir@initech.example"]
    # Samir (profile Sales) creates a lead he owns: `Owner:User.Email = $User.Email && $Profile.Name =
    # "Sales"`.
    lead = create(app_db, initech, "samir@initech.example", "Lead",
                  {"LastName": "Smykowski", "Company": "Initrode", "Country": "US"}, notify=False,
                  respond=False)
    assert lead["OwnerId"] == samir
    # Bill's own lead matches nothing: the Default Lead Owner, Peter, takes it.
    lead = create(app_db, initech, "bill@initech.example", "Lead",
                  {"LastName": "Porter", "Company": "Initrode", "Country": "US"}, notify=True, respond=False)
    assert lead["OwnerId"] == initech.user_ids["peter@initech.example"]
    assert outbox(app_db, initech) == [("peter@initech.example", None, "New lead: Porter from Initrode",
                                        "Initech new lead", "default_owner", "soap", "Bill Lumbergh",
                                        "bill@initech.example", None)]
    # "Do Not Reassign Owner": a TEST company keeps its creator.
    lead = create(app_db, initech, "bill@initech.example", "Lead",
                  {"LastName": "T", "Company": "TEST Co"}, notify=True, respond=False)
    assert lead["OwnerId"] == initech.user_ids["bill@initech.example"]


def test_auto_response_criteria_entry_first_and_no_match_no_mail(app_db: DemoDb,
                                                                 initech: InstalledOrg) -> None:
    create(app_db, initech, "bill@initech.example", "Lead",
           {"LastName": "Müller", "Company": "GmbH", "Country": "Austria", "Email": "m@example.de"},
           notify=False, respond=True)
    # No email: no recipient, no mail.
    create(app_db, initech, "bill@initech.example", "Lead", {"LastName": "X", "Company": "Y"}, notify=False,
           respond=True)
    assert outbox(app_db, initech) == [("m@example.de", None, "Initech: Danke", "Initech lead thanks DE",
                                        "auto_response", "soap", "Initech Vertrieb",
                                        "vertrieb@initech.example",
                                        "vertrieb@initech.example")]


def test_rest_never_sends_an_auto_response(client: TestClient, app_db: DemoDb, initech: InstalledOrg) -> None:
    token = client.post("/services/oauth2/token", data={
        "grant_type": "password", "client_id": f"initech-ci-client-{initech.org_id[:15]}",
        "client_secret": "initech-ci-secret", "username": initech.usernames["bill@initech.example"],
        "password": PASSWORD}).json()["access_token"]
    response = client.post("/services/data/v64.0/sobjects/Lead", headers={"Authorization": f"Bearer {token}"},
                           json={"LastName": "Rest", "Company": "Enterprise", "LeadSource": "Web",
                                 "Email": "rest@example.org"})
    assert response.status_code == 201, response.text
    [lead] = get(app_db, initech, "Lead", Id=response.json()["id"])
    assert lead["OwnerId"] == initech.queue_ids["Enterprise_Leads"]
    assert outbox(app_db, initech) == []


def _meta_refresh(text: str) -> str:
    return text.split('URL=', 1)[1].split('"', 1)[0]


def test_web_to_lead_creates_routes_and_responds(client: TestClient, app_db: DemoDb,
                                                 initech: InstalledOrg) -> None:
    response = client.post("/servlet/servlet.WebToLead?encoding=UTF-8", data={
        "oid": initech.org_id[:15], "retURL": "https://initech.example/thanks", "first_name": "Joanna",
        "last_name": "Smith", "email": "joanna@example.org", "company": "Chotchkie's", "lead_source": "Web",
        "employees": "1200", "doNotCall": "1", "submit": "Submit"})
    assert response.status_code == 200
    assert _meta_refresh(response.text) == "https://initech.example/thanks"
    [lead] = get(app_db, initech, "Lead", Email="joanna@example.org")
    assert (lead["FirstName"], lead["NumberOfEmployees"], lead["DoNotCall"], lead["LeadSource"]) == (
        "Joanna", 1200, True, "Web")
    assert lead["OwnerId"] == initech.queue_ids["Enterprise_Leads"]
    assert lead["CreatedById"] == initech.user_ids["bill@initech.example"]  # the Default Lead Creator
    assert outbox(app_db, initech) == [
        ("enterprise@initech.example", None, "New lead: Joanna Smith from Chotchkie's", "Initech new lead",
         "assignment", "web", "Bill Lumbergh", "bill@initech.example", None),
        ("joanna@example.org", None, LEAD_THANKS[0], LEAD_THANKS[1], LEAD_THANKS[2], "web", "Initech Sales",
         "sales@initech.example", "sales-replies@initech.example"),
    ]


def test_web_to_lead_without_name_or_company_and_a_value_too_long(client: TestClient, app_db: DemoDb,
                                                                initech: InstalledOrg) -> None:
    oid = initech.org_id[:15]
    client.post("/servlet/servlet.WebToLead?encoding=UTF-8", data={"oid": oid, "country": "Japan"})
    [lead] = get(app_db, initech, "Lead")
    assert (lead["LastName"], lead["Company"], lead["OwnerId"]) == (
        "[not provided]", "[not provided]", initech.user_ids["samir@initech.example"])
    # An invalid value creates nothing, and the answer is the same redirect.
    response = client.post("/servlet/servlet.WebToLead?encoding=UTF-8", data={
        "oid": oid, "last_name": "B" * 81, "company": "X", "retURL": "https://x.example/"})
    assert response.status_code == 200 and _meta_refresh(response.text) == "https://x.example/"
    assert len(get(app_db, initech, "Lead")) == 1


def test_web_to_lead_for_an_unknown_org_creates_nothing(client: TestClient, app_db: DemoDb,
                                                        initech: InstalledOrg) -> None:
    for oid in ("00D000000000999", "garbage", ""):
        response = client.post("/servlet/servlet.WebToLead?encoding=UTF-8", data={
            "oid": oid, "last_name": "Nobody", "company": "X", "retURL": "https://x.example/"})
        assert response.status_code == 200 and _meta_refresh(response.text) == "https://x.example/"
    assert get(app_db, initech, "Lead") == [] and outbox(app_db, initech) == []


def test_web_to_lead_debug_shows_the_values(client: TestClient, initech: InstalledOrg) -> None:
    response = client.post("/servlet/servlet.WebToLead?encoding=UTF-8", data={
        "oid": initech.org_id[:15], "last_name": "Debug<", "company": "X", "debug": "1", "retURL": "https://x/"})
    assert response.status_code == 200 and "Refresh" not in response.text and "Debug&lt;" in response.text


def test_web_to_case_origin_rules_and_default_response(client: TestClient, app_db: DemoDb,
                                                       initech: InstalledOrg) -> None:
    client.post("/servlet/servlet.WebToCase?encoding=UTF-8", data={
        "orgid": initech.org_id[:15], "retURL": "https://initech.example/", "name": "Tom Smykowski",
        "email": "tom@example.org", "subject": "Jump to conclusions mat", "priority": "Low",
        "origin": "Phone",
        "external": "1"})
    [case] = get(app_db, initech, "Case")
    assert (case["Origin"], case["SuppliedName"], case["SuppliedEmail"], case["Priority"]) == (
        "Web", "Tom Smykowski", "tom@example.org", "Low")
    assert case["OwnerId"] == initech.user_ids["milton@initech.example"]  # no entry: the Default Case Owner
    number = case["CaseNumber"]
    assert outbox(app_db, initech) == [
        ("milton@initech.example", None,
         f"Case # {number}: Jump to conclusions mat has been assigned to you.",
         "Initech case assigned", "default_owner", "web", "Bill Lumbergh", "bill@initech.example", None),
        ("tom@example.org", None, f"Initech Case # {number}: Jump to conclusions mat", "Initech case thanks",
         "auto_response", "web", "Initech Support", "support@initech.example", None),
    ]


def test_web_to_lead_daily_limit_and_pending_queue(monkeypatch: pytest.MonkeyPatch, client: TestClient,
                                                   app_db: DemoDb, initech: InstalledOrg) -> None:
    monkeypatch.setitem(web_forms.DAILY_LIMITS, "Lead", 2)
    monkeypatch.setattr(web_forms, "QUEUE_LIMIT", 1)
    oid = initech.org_id[:15]
    for name in ("One", "Two", "Three", "Four"):
        client.post("/servlet/servlet.WebToLead?encoding=UTF-8", data={"oid": oid, "last_name": name,
                                                                       "company": "TEST"})
    assert sorted(lead["LastName"] for lead in get(app_db, initech, "Lead")) == ["One", "Two"]
    mails = outbox(app_db, initech)
    assert [(m[0], m[2], m[4]) for m in mails] == [
        ("bill@initech.example", "Web-to-Lead daily limit exceeded: your request has been queued",
         "web_limit"),
        ("bill@initech.example", "Web-to-Lead request rejected: the pending request queue is full",
         "web_limit"),
    ]
    # The limit refreshes: the queued lead goes in before the next new one.
    monkeypatch.setitem(web_forms.DAILY_LIMITS, "Lead", 4)
    client.post("/servlet/servlet.WebToLead?encoding=UTF-8", data={"oid": oid, "last_name": "Five",
                                                                   "company": "TEST"})
    leads = sorted(get(app_db, initech, "Lead"), key=lambda lead: lead["Id"])
    assert [lead["LastName"] for lead in leads] == ["One", "Two", "Three", "Five"]


def _mail(subject: str, body: str = "It is broken.", *, to: str = "support@initech.example",
          cc: str | None = None) -> bytes:
    lines = ["From: Michael Bolton <michael@example.org>", f"To: {to}", f"Subject: {subject}",
             "Content-Type: text/plain; charset=utf-8"]
    if cc:
        lines.insert(2, f"Cc: {cc}")
    return ("\r\n".join(lines) + "\r\n\r\n" + body + "\r\n").encode()


def test_email_to_case_creates_routes_responds_and_threads(client: TestClient, app_db: DemoDb,
                                                           initech: InstalledOrg) -> None:
    from sfmock.core.email_to_case import thread_id

    url = f"/_sfmock/orgs/{initech.org_id}/email-to-case"
    response = client.post(url, content=_mail("URGENT: printer on fire", cc="lumbergh@example.org"))
    assert response.status_code == 201, response.text
    assert response.json()["threaded"] is False
    case_id = response.json()["caseId"]
    [case] = get(app_db, initech, "Case", Id=case_id)
    assert (case["Subject"], case["Description"], case["SuppliedEmail"], case["SuppliedName"],
            case["Origin"]) == (
        "URGENT: printer on fire", "It is broken.", "michael@example.org", "Michael Bolton", "Email")
    assert case["OwnerId"] == initech.user_ids["milton@initech.example"]
    number = case["CaseNumber"]
    assert outbox(app_db, initech) == [
        ("milton@initech.example", None,
         f"Case # {number}: URGENT: printer on fire has been assigned to you.",
         "Initech case assigned", "default_owner", "email", "Bill Lumbergh", "bill@initech.example", None),
        ("michael@example.org", "lumbergh@example.org", f"URGENT Case # {number} received",
         "Initech urgent case",
         "auto_response", "email", "Initech Support", "support@initech.example", None),
    ]
    # A reply carrying the thread reference lands on the same case: no new case, no new mail.
    reply = client.post(url,
                        content=_mail(f"RE: URGENT [ {thread_id(initech.org_id, case_id)} ]",
                                      "Still burning"))
    assert reply.status_code == 200 and reply.json() == {"caseId": case_id, "threaded": True, "routed": True}
    assert len(get(app_db, initech, "Case")) == 1 and len(outbox(app_db, initech)) == 2
    # Mail to an address the org does not route is refused and creates nothing.
    other = client.post(url, content=_mail("Hello", to="sales@initech.example"))
    assert other.status_code == 422 and len(get(app_db, initech, "Case")) == 1


def _rest_token(client: TestClient, org: InstalledOrg) -> dict[str, str]:
    token = client.post("/services/oauth2/token", data={
        "grant_type": "password", "client_id": f"initech-ci-client-{org.org_id[:15]}",
        "client_secret": "initech-ci-secret", "username": org.usernames["bill@initech.example"],
        "password": PASSWORD}).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def test_case_teams_from_rule_entries_readable_with_soql(client: TestClient, app_db: DemoDb,
                                                         initech: InstalledOrg) -> None:
    users = initech.user_ids
    case = create(app_db, initech, "bill@initech.example", "Case",
                  {"Subject": "Printer jam", "Priority": "High"},
                  notify=False, respond=False)
    assert case["OwnerId"] == initech.queue_ids["Support_Tier1"]
    headers = _rest_token(client, initech)
    soql = f"SELECT MemberId, TeamRoleId, TeamTemplateId FROM CaseTeamMember WHERE ParentId = '{case['Id']}'"
    found = client.get("/services/data/v64.0/query", params={"q": soql}, headers=headers).json()
    roles = {r["Name"]: r["Id"] for r in client.get(
        "/services/data/v64.0/query", params={"q": "SELECT Id, Name FROM CaseTeamRole"}, headers=headers
    ).json()["records"]}
    [squad] = client.get("/services/data/v64.0/query", headers=headers, params={
        "q": "SELECT Id FROM CaseTeamTemplate WHERE Name = 'Printer Squad'"}).json()["records"]
    assert sorted((r["MemberId"], r["TeamRoleId"], r["TeamTemplateId"]) for r in found["records"]) == sorted([
        (users["samir@initech.example"], roles["Escalation Manager"], squad["Id"]),
        (users["peter@initech.example"], roles["Observer"], squad["Id"])])
    # An update that matches the Billing entry (overrideExistingTeams=true) replaces the team.
    session = login(app_db.db, initech.usernames["bill@initech.example"], PASSWORD, caller_ip=None).session_id
    with api_call(app_db.db, session, api="soap") as call:
        [result] = call.service.update([RecordInput("Case",
                                                    {"Subject": "Billing: printer invoice",
                                                     "Priority": "Low"},
                                                    id=case["Id"])], assignment=ACTIVE_RULE)
        assert result.success
    found = client.get("/services/data/v64.0/query", params={"q": soql}, headers=headers).json()
    assert [(r["MemberId"], r["TeamRoleId"]) for r in found["records"]] == [
        (users["bill@initech.example"], roles["Escalation Manager"])]
    records = client.get("/services/data/v64.0/query", headers=headers, params={
        "q": f"SELECT TeamTemplateId FROM CaseTeamTemplateRecord WHERE ParentId = '{case['Id']}'"}).json()
    assert records["totalSize"] == 1


def test_web_to_lead_reads_the_posted_charset(client: TestClient, app_db: DemoDb,
                                              initech: InstalledOrg) -> None:
    from urllib.parse import urlencode

    body = urlencode({"oid": initech.org_id[:15], "last_name": "Müller", "company": "Bäckerei"},
                     encoding="iso-8859-1")
    client.post("/servlet/servlet.WebToLead?encoding=ISO-8859-1", content=body,
                headers={"Content-Type": "application/x-www-form-urlencoded"})
    [lead] = get(app_db, initech, "Lead")
    assert (lead["LastName"], lead["Company"]) == ("Müller", "Bäckerei")

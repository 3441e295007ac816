"""Rules and mail end to end, on the Initech org (tests/fixtures/initech-sfdx: formula entries, auto-response
rules, Web-to-Lead / Web-to-Case / Email-to-Case set up, case teams) served by `sfmock serve --org ...
--email-to-case-port ...`: zeep on Salesforce's own partner WSDL with every EmailHeader combination,
simple-salesforce over REST (never a mail), real HTML form posts (the redirect followed), and smtplib for
Email-to-Case; each asserting the owner and the exact outbox rows."""
from __future__ import annotations

import re
import smtplib
import socket
import time
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest
import requests
from lxml import etree
from simple_salesforce import Salesforce

from sfmock.core.email_to_case import thread_id
from sfmock.pytest_plugin import SfmockServer, free_ports, start_server, stop_server
from tests.databases import backends, throwaway_database
from tests.e2e.zeep_partner import PartnerClient

pytestmark = pytest.mark.e2e

FIXTURE = "tests/fixtures/initech-sfdx"
PARTNER_WSDL = Path(__file__).resolve().parents[3] / "shared" / "reference" / "partner-66.wsdl"
PASSWORD = "initech-TPS-1"
MAIL_KEYS = ("recipient", "cc", "subject", "template_name", "reason", "api", "sender_name", "sender_email",
             "reply_to")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Initech:
    def __init__(self, server: SfmockServer, smtp_port: int) -> None:
        self.server, self.smtp_port = server, smtp_port
        [org] = [o for o in self.admin("/orgs") if o["name"] == "Initech"]
        self.org_id = org["id"]
        self.users = {u["Username"]: u["Id"] for u in self.admin(f"/orgs/{self.org_id}/users")}
        self.queues = {q["DeveloperName"]: q["Id"] for q in self.admin(f"/orgs/{self.org_id}/queues")}

    def admin(self, path: str) -> Any:
        response = httpx.get(f"{self.server.http_url}/_sfmock{path}", timeout=30)
        response.raise_for_status()
        return response.json()

    def outbox(self) -> list[tuple[Any, ...]]:
        return [tuple(row[k] for k in MAIL_KEYS) for row in self.admin(f"/orgs/{self.org_id}/outbox")]

    def reset(self) -> None:
        httpx.post(f"{self.server.http_url}/_sfmock/orgs/{self.org_id}/reset", timeout=30).raise_for_status()


@pytest.fixture(scope="module", params=backends())
def initech_server(request: pytest.FixtureRequest,
                   tmp_path_factory: pytest.TempPathFactory) -> Iterator[Initech]:
    folder = tmp_path_factory.mktemp("initech")
    smtp_port = _free_port()
    with throwaway_database(request.param, folder) as db_url:
        server = start_server(folder, db_url, args=("--org", FIXTURE, "--email-to-case-port", str(smtp_port)))
        try:
            yield Initech(server, smtp_port)
        finally:
            stop_server(server)


@pytest.fixture
def initech(initech_server: Initech) -> Initech:
    initech_server.reset()
    return initech_server


# ---- zeep, Salesforce's own partner WSDL
# ---------------------------------------------------------------------
class Partner(PartnerClient):
    def create(self, kind: str, fields: dict[str, str], email: dict[str, bool]) -> str:
        headers = self.session | {"AssignmentRuleHeader": {"useDefaultRule": True}, "EmailHeader": email}
        [result] = self.service.create([self.sobject(kind, **fields)], _soapheaders=headers).body.result
        assert result.success is True, result.errors
        return result.id

    def owner(self, kind: str, record_id: str) -> str:
        [record] = self.service.retrieve("OwnerId", kind, [record_id], _soapheaders=self.session).body.result
        return {etree.QName(e).localname: e.text for e in record._value_1}["OwnerId"]


@pytest.fixture(scope="module")
def partner(initech_server: Initech) -> Partner:
    if not PARTNER_WSDL.exists():
        pytest.skip("../shared/reference/partner-66.wsdl is not beside the project")
    url = f"{initech_server.server.http_url}/services/Soap/u/64.0"
    return Partner(PARTNER_WSDL, url, "bill@initech.example", PASSWORD)


@pytest.mark.parametrize("user_email", [False, True])
@pytest.mark.parametrize("auto_response", [False, True])
def test_zeep_create_with_every_email_header(initech: Initech, partner: Partner, user_email: bool,
                                             auto_response: bool) -> None:
    email = {"triggerAutoResponseEmail": auto_response, "triggerOtherEmail": False,
             "triggerUserEmail": user_email}
    lead_id = partner.create("Lead", {"LastName": "Bolton", "Company": "Penetrode", "Country": "Japan",
                                      "Email": "michael@example.org"}, email)
    # Formula entry 2 (`Country = "Japan" || ...`): Samir.
    assert partner.owner("Lead", lead_id) == initech.users["samir@initech.example"]
    expected = []
    if user_email:
        expected.append(("samir@initech.example", None, "New lead: Bolton from Penetrode", "Initech new lead",
                         "assignment", "soap", "Bill Lumbergh", "bill@initech.example", None))
    if auto_response:
        expected.append(("michael@example.org", None, "Initech: Thank you for your inquiry",
                         "Initech lead thanks",
                         "auto_response", "soap", "Initech Sales", "sales@initech.example",
                         "sales-replies@initech.example"))
    assert initech.outbox() == expected


@pytest.mark.parametrize("auto_response", [False, True])
def test_zeep_case_with_a_team(initech: Initech, partner: Partner, auto_response: bool) -> None:
    email = {"triggerAutoResponseEmail": auto_response, "triggerOtherEmail": False, "triggerUserEmail": True}
    case_id = partner.create("Case", {"Subject": "Urgent: TPS cover sheets", "Priority": "High",
                                      "SuppliedEmail": "peter@example.org", "SuppliedName": "Peter"}, email)
    assert partner.owner("Case", case_id) == initech.queues["Support_Tier1"]
    [found] = partner.service.query(f"SELECT CaseNumber FROM Case WHERE Id = '{case_id}'",
                                    _soapheaders=partner.session).body.result.records
    number = {etree.QName(e).localname: e.text for e in found._value_1}["CaseNumber"]
    expected = [("tier1@initech.example", None,
                 f"Case # {number}: Urgent: TPS cover sheets has been assigned to you.",
                 "Initech case assigned", "assignment", "soap", "Bill Lumbergh", "bill@initech.example",
                 None)]
    if auto_response:
        expected.append(("peter@example.org", None, f"URGENT Case # {number} received", "Initech urgent case",
                         "auto_response", "soap", "Initech Support", "support@initech.example", None))
    assert initech.outbox() == expected
    members = partner.service.query(f"SELECT MemberId FROM CaseTeamMember WHERE ParentId = '{case_id}'",
                                    _soapheaders=partner.session).body.result.records
    assert sorted(etree.QName(e).localname + "=" + e.text for r in members for e in r._value_1
                  if etree.QName(e).localname == "MemberId") == sorted(
        f"MemberId={initech.users[u]}" for u in ("samir@initech.example", "peter@initech.example"))


# ---- simple-salesforce over REST: never a mail -------------------------------------------------------------
@pytest.fixture
def sf(initech: Initech, monkeypatch: pytest.MonkeyPatch) -> Salesforce:
    """simple-salesforce logged in over HTTPS (OAuth password flow, the printed CA trusted)."""
    server = initech.server
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(server.ca_file))
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    session = requests.Session()
    session.verify = str(server.ca_file)
    return Salesforce(username="bill@initech.example", password=PASSWORD, consumer_key="initech-ci-client",
                      consumer_secret="initech-ci-secret",
                      domain=f"{urlparse(server.https_url).netloc}/services/oauth2/token?_=", session=session)


def test_simple_salesforce_routes_by_formula_and_never_mails(initech: Initech, sf: Salesforce) -> None:
    result = sf.Lead.create({"LastName": "Rest", "Company": "Enterprise Rent", "LeadSource": "Web",
                             "Email": "rest@example.org"})
    assert sf.Lead.get(result["id"])["OwnerId"] == initech.queues["Enterprise_Leads"]
    result = sf.Case.create({"Subject": "Billing question", "SuppliedEmail": "c@example.org"})
    assert sf.Case.get(result["id"])["OwnerId"] == initech.users["samir@initech.example"]
    assert initech.outbox() == []


# ---- real HTML form posts
# -----------------------------------------------------------------------------------
def _follow(client: httpx.Client, response: httpx.Response) -> httpx.Response:
    """What a browser does with the servlet's answer: follow the meta refresh."""
    assert response.status_code == 200
    target = re.search(r'http-equiv="Refresh" content="0; URL=([^"]+)"', response.text).group(1)
    return client.get(target.replace("&amp;", "&"))


def test_web_to_lead_form_post(initech: Initech) -> None:
    base = initech.server.http_url
    form = {"oid": initech.org_id[:15], "retURL": f"{base}/health", "first_name": "Joanna",
            "last_name": "Smith",
            "email": "joanna@example.org", "company": "Chotchkie's", "city": "Austin", "lead_source": "Web",
            "employees": "2000", "submit": "Submit"}
    with httpx.Client(timeout=30) as client:
        landed = _follow(client, client.post(f"{base}/servlet/servlet.WebToLead?encoding=UTF-8", data=form))
    assert landed.json() == {"status": "ok"}
    assert initech.outbox() == [
        ("enterprise@initech.example", None, "New lead: Joanna Smith from Chotchkie's", "Initech new lead",
         "assignment", "web", "Bill Lumbergh", "bill@initech.example", None),
        ("joanna@example.org", None, "Initech: Thank you for your inquiry", "Initech lead thanks",
         "auto_response",
         "web", "Initech Sales", "sales@initech.example", "sales-replies@initech.example"),
    ]


def test_web_to_case_form_post_and_an_unknown_org(initech: Initech) -> None:
    base = initech.server.http_url
    with httpx.Client(timeout=30) as client:
        landed = _follow(client, client.post(f"{base}/servlet/servlet.WebToCase?encoding=UTF-8", data={
            "orgid": initech.org_id[:15], "retURL": f"{base}/health", "name": "Tom",
            "email": "tom@example.org",
            "subject": "Billing: refund", "description": "Please", "external": "1"}))
        assert landed.json() == {"status": "ok"}
        nobody = _follow(client, client.post(f"{base}/servlet/servlet.WebToCase?encoding=UTF-8", data={
            "orgid": "00D000000000042", "retURL": f"{base}/health", "subject": "lost"}))
        assert nobody.json() == {"status": "ok"}
    mails = initech.outbox()
    number = re.search(r"Case # (\d+)", mails[0][2]).group(1)
    assert mails == [
        ("samir@initech.example", None, f"Case # {number}: Billing: refund has been assigned to you.",
         "Initech case assigned", "assignment", "web", "Bill Lumbergh", "bill@initech.example", None),
        ("tom@example.org", None, f"Initech Case # {number}: Billing: refund", "Initech case thanks",
         "auto_response", "web", "Initech Support", "support@initech.example", None),
    ]


def _field_ids(sf: Salesforce, sobject: str) -> dict[str, str]:
    """The custom fields' 00N ids as Salesforce shows them (Tooling API CustomField), 15 characters as the
    generated form's `name=` attributes carry them."""
    soql = f"SELECT Id, DeveloperName FROM CustomField WHERE TableEnumOrId = '{sobject}'"
    found = sf.toolingexecute("query/", params={"q": soql})["records"]
    return {r["DeveloperName"] + "__c": r["Id"][:15] for r in found}


def test_web_to_lead_form_with_custom_field_ids_and_debug_email(initech: Initech, sf: Salesforce) -> None:
    ids = _field_ids(sf, "Lead")
    assert set(ids) == {"Product_Interest__c", "Newsletter__c"}
    assert all(i.startswith("00N") for i in ids.values())
    base = initech.server.http_url
    form = {"oid": initech.org_id[:15], "retURL": f"{base}/health", "last_name": "Waddams",
            "company": "Initech", "email": "milton@example.org", "country": "Japan",
            ids["Product_Interest__c"]: "Red stapler", ids["Newsletter__c"]: "1", "debug": "1",
            "debugEmail": "webmaster@initech.example"}
    with httpx.Client(timeout=30) as client:
        page = client.post(f"{base}/servlet/servlet.WebToLead?encoding=UTF-8", data=form)
    # Debug mode: the posted values instead of the redirect.
    assert page.status_code == 200 and "Refresh" not in page.text and "Red stapler" in page.text
    [lead] = sf.query("SELECT Id, OwnerId, Product_Interest__c, Newsletter__c FROM Lead")["records"]
    assert (lead["Product_Interest__c"], lead["Newsletter__c"]) == ("Red stapler", True)
    assert lead["OwnerId"] == initech.users["samir@initech.example"]  # formula entry 2: Country = "Japan"
    assert initech.outbox() == [
        ("samir@initech.example", None, "New lead: Waddams from Initech", "Initech new lead", "assignment",
         "web", "Bill Lumbergh", "bill@initech.example", None),
        ("milton@example.org", None, "Initech: Thank you for your inquiry", "Initech lead thanks",
         "auto_response", "web", "Initech Sales", "sales@initech.example", "sales-replies@initech.example"),
        ("webmaster@initech.example", None, "Web-to-Lead debug: created", None, "web_debug", "web", None,
         None, None),
    ]


def test_web_to_case_routes_on_the_accounts_custom_field(initech: Initech, sf: Salesforce) -> None:
    account = sf.Account.create({"Name": "Initrode", "Region__c": "EMEA"})["id"]
    sf.Contact.create({"LastName": "Portman", "AccountId": account, "Email": "portman@initrode.example"})
    base = initech.server.http_url
    with httpx.Client(timeout=30) as client:
        landed = _follow(client, client.post(f"{base}/servlet/servlet.WebToCase?encoding=UTF-8", data={
            "orgid": initech.org_id[:15], "retURL": f"{base}/health", "email": "portman@initrode.example",
            "subject": "Toner everywhere", _field_ids(sf, "Case")["Printer_Model__c"]: "LaserJet 4"}))
    assert landed.json() == {"status": "ok"}
    [case] = sf.query("SELECT CaseNumber, OwnerId, AccountId, Printer_Model__c FROM Case")["records"]
    # Case entry 3, `Account.Region__c = "EMEA"`, through the matched Contact's Account: Peter.
    assert (case["OwnerId"], case["AccountId"], case["Printer_Model__c"]) == (
        initech.users["peter@initech.example"], account, "LaserJet 4")
    number = case["CaseNumber"]
    assert initech.outbox() == [
        ("peter@initech.example", None, f"Case # {number}: Toner everywhere has been assigned to you.",
         "Initech case assigned", "assignment", "web", "Bill Lumbergh", "bill@initech.example", None),
        ("portman@initrode.example", None, f"Initech Case # {number}: Toner everywhere",
         "Initech case thanks", "auto_response", "web", "Initech Support", "support@initech.example", None),
    ]


# ---- Email-to-Case by SMTP -----------------------------------------------------------------------------
def _send(initech: Initech, subject: str, body: str, cc: str | None = None) -> None:
    message = EmailMessage()
    message["From"] = "Michael Bolton <michael@example.org>"
    message["To"] = "support@initech.example"
    if cc:
        message["Cc"] = cc
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP("127.0.0.1", initech.smtp_port, timeout=30) as smtp:
        smtp.send_message(message)


def test_email_to_case_over_smtp_and_a_threaded_reply(initech: Initech, partner: Partner) -> None:
    _send(initech, "The printer is urgent", "PC LOAD LETTER", cc="samir@example.org")
    [case] = partner.service.query("SELECT Id, CaseNumber, Origin, SuppliedEmail, OwnerId FROM Case",
                                   _soapheaders=partner.session).body.result.records
    fields = {etree.QName(e).localname: e.text for e in case._value_1}
    assert (fields["Origin"], fields["SuppliedEmail"], fields["OwnerId"]) == (
        "Email", "michael@example.org", initech.users["milton@initech.example"])
    number = fields["CaseNumber"]
    assert initech.outbox() == [
        ("milton@initech.example", None, f"Case # {number}: The printer is urgent has been assigned to you.",
         "Initech case assigned", "default_owner", "email", "Bill Lumbergh", "bill@initech.example", None),
        ("michael@example.org", "samir@example.org", f"URGENT Case # {number} received",
         "Initech urgent case",
         "auto_response", "email", "Initech Support", "support@initech.example", None),
    ]
    _send(initech, f"RE: The printer is urgent {thread_id(initech.org_id, fields['Id'])}", "Still broken")
    cases = partner.service.query("SELECT Id FROM Case", _soapheaders=partner.session).body.result.records
    assert len(cases) == 1 and len(initech.outbox()) == 2
    # A recipient sfmock does not route is refused at RCPT TO.
    with smtplib.SMTP("127.0.0.1", initech.smtp_port,
                      timeout=30) as smtp, pytest.raises(smtplib.SMTPRecipientsRefused):
        smtp.sendmail("a@example.org", ["nobody@initech.example"], b"Subject: x\r\n\r\nx")


# ---- the mail itself, relayed to a real SMTP server (aiosmtpd) -------------------------------------------
def test_email_to_case_mail_relayed_with_its_sender_reply_to_and_cc(tmp_path: Path) -> None:
    """A mail in by smtplib; the auto-response and the owner's notification out through the relay to aiosmtpd,
    with From, Cc and Reply-To as the outbox rows say Salesforce sends them."""
    from aiosmtpd.controller import Controller

    from tests.integration.test_relay import Inbox

    inbox, (relay_port, inbound_port) = Inbox(), free_ports(2)
    controller = Controller(inbox, hostname="127.0.0.1", port=relay_port)
    controller.start()
    server = start_server(tmp_path, args=("--org", FIXTURE, "--email-to-case-port", str(inbound_port)),
                          settings={"SFMOCK_SMTP_HOST": "127.0.0.1", "SFMOCK_SMTP_PORT": str(relay_port),
                                    "SFMOCK_SMTP_POLL_SECONDS": "0.1", "SFMOCK_SMTP_RETRY_SECONDS": "0"})
    try:
        initech = Initech(server, inbound_port)
        _send(initech, "The printer is urgent", "PC LOAD LETTER", cc="samir@example.org")
        deadline = time.monotonic() + 30  # the relay works in the background
        while len(inbox.mail) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        relayed = sorted(([m["To"], m["From"], m["Cc"], m["Reply-To"], m["X-Sfmock-Mail-Kind"]]
                          for m in inbox.mail), key=str)
        assert relayed == [
            ["michael@example.org", "Initech Support <support@initech.example>", "samir@example.org", None,
             "auto_response"],
            ["milton@initech.example", "Bill Lumbergh <bill@initech.example>", None, None, "default_owner"],
        ]
        rows = initech.admin(f"/orgs/{initech.org_id}/outbox")
        assert [r["delivery_status"] for r in rows] == ["sent"] * 2
    finally:
        stop_server(server)
        controller.stop()

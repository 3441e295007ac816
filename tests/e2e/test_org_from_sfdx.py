"""An org of one's own from a realistic SFDX project (tests/fixtures/globex-sfdx, "Globex Corporation"):
uploaded as a zip through the admin API, then driven over SOAP by zeep with AssignmentRuleHeader +
EmailHeader, its routing, outbox and journal checked exactly; every kind of bad metadata refused with a clear
422 that loads nothing; and `sfmock serve --org <folder>` loading the same project at start, once, across
restarts."""
from __future__ import annotations

import io
import itertools
import re
import shutil
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from lxml import etree

from sfmock.pytest_plugin import SfmockServer, start_server, stop_server
from sfmock.soap.wsdl import WSDL_PATH
from tests.e2e.conftest import LiveServer
from tests.e2e.zeep_partner import PartnerClient

pytestmark = pytest.mark.e2e

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "globex-sfdx"
FIXTURE_ARG = "tests/fixtures/globex-sfdx"  # as a user types it, relative to the project root
DEFAULT = "force-app/main/default"
LEAD_RULES = f"{DEFAULT}/assignmentRules/Lead.assignmentRules-meta.xml"
CASE_RULES = f"{DEFAULT}/assignmentRules/Case.assignmentRules-meta.xml"
TIER2_QUEUE = f"{DEFAULT}/queues/Tier2_Support.queue-meta.xml"
INBOUND_QUEUE = f"{DEFAULT}/queues/Inbound_Leads.queue-meta.xml"
ORG_TOML = "sfmock-org.toml"

ASSIGN = {"AssignmentRuleHeader": {"useDefaultRule": True}}
USER_MAIL = {"triggerAutoResponseEmail": False, "triggerOtherEmail": False, "triggerUserEmail": True}
LEAD_TEMPLATE, CASE_TEMPLATE = "Globex new lead", "Globex case assigned"
GLOBEX_USERS = ["ops@globex.example", "nina.sales@globex.example", "omar.sales@globex.example",
                "tess.support@globex.example", "carl.support@globex.example"]


# ---- helpers
# ---------------------------------------------------------------------------------------------------
def zip_folder(folder: Path, top: str = "globex-sfdx") -> bytes:
    """The folder as `zip -r` makes it: every file under one top-level directory, in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{top}/{path.relative_to(folder).as_posix()}")
    return buffer.getvalue()


def upload(server: Any, data: bytes) -> httpx.Response:
    return httpx.post(f"{server.http_url}/_sfmock/orgs", content=data, timeout=60,
                      headers={"Content-Type": "application/zip"})


def orgs(server: Any) -> list[dict[str, Any]]:
    response = httpx.get(f"{server.http_url}/_sfmock/orgs", timeout=30)
    response.raise_for_status()
    return response.json()


def admin_get(server: Any, path: str, **params: str) -> list[dict[str, Any]]:
    response = httpx.get(f"{server.http_url}/_sfmock{path}", params=params, timeout=30)
    response.raise_for_status()
    return response.json()


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The 1-based line of the nth occurrence of `needle` in `text`."""
    at = -1
    for _ in range(nth):
        at = text.index(needle, at + 1)
    return text.count("\n", 0, at) + 1


class Partner(PartnerClient):
    """zeep built from the project's partner.wsdl, logged in as one user of an org."""

    def __init__(self, login_url: str, username: str, password: str) -> None:
        super().__init__(WSDL_PATH, login_url, username, password)

    def create(self, kind: str, fields: dict[str, str], email: dict[str, bool] | None = None) -> str:
        headers = self.session | ASSIGN | ({"EmailHeader": email} if email is not None else {})
        [result] = self.service.create([self.sobject(kind, **fields)], _soapheaders=headers).body.result
        assert result.success is True, result.errors
        return result.id

    def fields(self, kind: str, record_id: str, *names: str) -> dict[str, str | None]:
        [record] = self.service.retrieve(", ".join(names), kind, [record_id],
                                         _soapheaders=self.session).body.result
        return {etree.QName(e).localname: e.text for e in record._value_1}


@dataclass
class Globex:
    server: LiveServer
    org: dict[str, Any]  # the admin API's answer
    partner: Partner  # logged in as ops@globex.example (suffixed)

    @property
    def demo_id(self) -> str:
        [demo] = [o["id"] for o in orgs(self.server) if o["name"] == "Acme Demo"]
        return demo

    def outbox(self, **filters: str) -> list[dict[str, Any]]:
        return admin_get(self.server, f"/orgs/{self.org['id']}/outbox", **filters)

    def journal(self, **filters: str) -> list[dict[str, Any]]:
        return admin_get(self.server, f"/orgs/{self.org['id']}/journal", **filters)

    def user_id(self, username: str) -> str:
        suffixed = f"{username}.{self.org['id'][:15].lower()}"
        [user] = [u["Id"] for u in admin_get(self.server, f"/orgs/{self.org['id']}/users")
                  if u["Username"] == suffixed]
        return user


@pytest.fixture
def globex(fresh_server: LiveServer) -> Globex:
    """The demo org (reset, empty outbox) plus Globex Corporation uploaded beside it; zeep logged in as
    ops."""
    response = upload(fresh_server, zip_folder(FIXTURE))
    assert response.status_code == 201, response.text
    org = response.json()
    ops = next(login for login in org["logins"] if login["username"].startswith("ops@globex.example"))
    partner = Partner(org["soap_login_url"], ops["username"], ops["password"] + ops["security_token"])
    return Globex(fresh_server, org, partner)


# ---- the upload
# ------------------------------------------------------------------------------------------------
def test_the_upload_answer_describes_the_globex_org(globex: Globex) -> None:
    org, org15 = globex.org, globex.org["id"][:15]
    base = globex.server.http_url
    assert org["name"] == "Globex Corporation" and org["id"].startswith("00D") and len(org["id"]) == 18
    # Uploaded orgs get scratch-org style logins: the file's username + "." + the org id (lower case).
    assert [(x["username"], x["password"], x["security_token"]) for x in org["logins"]] == [
        (f"{u}.{org15.lower()}", None if u.startswith("carl") else "globex-Secret-42",
         None if u.startswith("carl") else "GLOBEXTOKEN42") for u in GLOBEX_USERS]
    assert [(a["name"], a["client_id"], a["client_secret"]) for a in org["connected_apps"]] == [
        ("Globex CI", f"globex-ci-client-{org15}", "globex-ci-secret")]
    assert org["soap_login_url"] == f"{base}/services/Soap/u/64.0"
    assert org["soap_url"] == f"{base}/services/Soap/u/64.0/{org15}"
    assert org["rest_url"] == f"{base}/services/data/v64.0"
    assert sorted(org["queues"]) == ["Enterprise_Sales_NA", "Inbound_Leads", "Tier2_Support"]
    assert all(q.startswith("00G") and len(q) == 18 for q in org["queues"].values())
    assert sorted(org["rules"]) == ["Case/Globex Support Routing", "Case/Weekend Coverage",
                                    "Lead/Globex Lead Routing", "Lead/Legacy Territory Routing"]
    assert all(r.startswith("01Q") for r in org["rules"].values())
    # The org is listed beside the demo org, and the SOAP login landed in it.
    assert sorted(o["name"] for o in orgs(globex.server)) == ["Acme Demo", "Globex Corporation"]
    assert globex.partner.login.userInfo.organizationId == org["id"]
    assert globex.partner.login.userInfo.organizationName == "Globex Corporation"
    assert globex.partner.login.serverUrl.endswith(f"/services/Soap/u/64.0/{org15}")
    # Exactly one active rule per object, as the files say.
    rules = {r["Name"]: r for r in admin_get(globex.server, f"/orgs/{org['id']}/rules")}
    assert {name: r["Active"] for name, r in rules.items()} == {
        "Globex Lead Routing": True, "Legacy Territory Routing": False,
        "Globex Support Routing": True, "Weekend Coverage": False}
    assert [e["boolean_filter"]
            for e in rules["Globex Lead Routing"]["entries"]] == ["1 AND (2 OR 3)", None, None]
    assert [e["assigned_to"] for e in rules["Globex Support Routing"]["entries"]] == [
        "Tier2_Support", "carl.support@globex.example", None]


# ---- Leads: one scenario per rule entry
# ------------------------------------------------------------------------
@dataclass(frozen=True)
class LeadCase:
    fields: dict[str, str]
    owner: str  # a queue developer name or a username
    recipients: list[str]
    subject: str


LEADS = {
    # Entry 1, through the "2 OR 3" branch's 3 (employees): revenue alone is too small; "USA" from the comma
    # list.
    "filter-employees": LeadCase(
        {"FirstName": "Dana", "LastName": "Whitfield", "Company": "Initech", "Country": "USA",
         "AnnualRevenue": "1000000", "NumberOfEmployees": "2500"},
        "Enterprise_Sales_NA",
        # doesSendEmailToMembers=true: the queue address, then each member.
        ["enterprise-na@globex.example", "nina.sales@globex.example", "omar.sales@globex.example"],
        "[Globex] Dana Whitfield at Initech (USA) is yours"),
    # Entry 1 through 2 (revenue, greaterOrEqual at the exact bound); "United States" from the comma list.
    "filter-revenue": LeadCase(
        {"LastName": "Okafor", "Company": "Vandelay Industries", "Country": "United States",
         "AnnualRevenue": "5000000", "NumberOfEmployees": "40", "LeadSource": "Web"},
        "Enterprise_Sales_NA",
        ["enterprise-na@globex.example", "nina.sales@globex.example", "omar.sales@globex.example"],
        "[Globex] Okafor at Vandelay Industries (United States) is yours"),
    # 1 is true but neither 2 nor 3: entry 1 fails, entry 2's comma list (Web,Partner Referral) takes it.
    "filter-false-comma-list": LeadCase(
        {"FirstName": "Lena", "LastName": "Park", "Company": "Hooli", "Country": "US",
         "AnnualRevenue": "4999999", "NumberOfEmployees": "999", "LeadSource": "Partner Referral"},
        "Inbound_Leads",
        # A queue without an email address: each member is mailed.
        ["omar.sales@globex.example", "ops@globex.example"],
        "[Globex] Lena Park at Hooli (US) is yours"),
    # 2 and 3 true but not 1 (not North America): entry 1 fails on the AND; Web is in entry 2's list.
    "comma-list-web": LeadCase(
        {"LastName": "Schmidt", "Company": "Kruger GmbH", "Country": "Germany", "AnnualRevenue": "90000000",
         "NumberOfEmployees": "12000", "LeadSource": "Web"},
        "Inbound_Leads", ["omar.sales@globex.example", "ops@globex.example"],
        "[Globex] Schmidt at Kruger GmbH (Germany) is yours"),
    # Nothing matches 1 or 2: the catch-all entry (no criteria) gives it to a user.
    "catch-all": LeadCase(
        {"FirstName": "Yuki", "LastName": "Tanaka", "Company": "Soylent", "Country": "Japan",
         "LeadSource": "Phone Inquiry"},
        "nina.sales@globex.example", ["nina.sales@globex.example"],
        "[Globex] Yuki Tanaka at Soylent (Japan) is yours"),
}


@pytest.mark.parametrize("scenario", list(LEADS), ids=list(LEADS))
def test_a_soap_lead_is_routed_by_the_globex_rule_and_mailed(globex: Globex, scenario: str) -> None:
    case = LEADS[scenario]
    lead_id = globex.partner.create("Lead", case.fields, USER_MAIL)
    expected_owner = globex.org["queues"].get(case.owner) or globex.user_id(case.owner)
    assert globex.partner.fields("Lead", lead_id, "OwnerId")["OwnerId"] == expected_owner
    mail = globex.outbox()
    assert [(m["recipient"], m["subject"], m["template_name"], m["reason"], m["record_id"], m["record_type"],
             m["api"], m["org_id"]) for m in mail] == [
        (r, case.subject, LEAD_TEMPLATE, "assignment", lead_id, "Lead", "soap", globex.org["id"])
        for r in case.recipients]
    # Journal: one create over SOAP with the default rule and the email flags as sent.
    [entry] = globex.journal(operation="create")
    assert (entry["door"], entry["operation"], entry["sobject"], entry["assignment"], entry["email"],
            entry["results"],
            entry["record_count"]) == ("soap", "create", "Lead", "default", USER_MAIL, ["OK"], 1)
    # The demo org, loaded beside it, saw nothing.
    assert admin_get(globex.server, f"/orgs/{globex.demo_id}/outbox") == []
    assert admin_get(globex.server, f"/orgs/{globex.demo_id}/journal") == []


def test_the_lead_mail_body_is_the_rendered_template(globex: Globex) -> None:
    lead_id = globex.partner.create("Lead", LEADS["filter-employees"].fields, USER_MAIL)
    bodies = {m["body"] for m in globex.outbox(record_id=lead_id)}
    assert bodies == {
        "Hello Enterprise Sales NA,\n\n"
        "Globex Corporation routed a new lead to you.\n\n"
        "Lead:     Dana Whitfield\n"
        "Company:  Initech\n"
        "Country:  USA\n"
        "Source:   unknown\n"  # BLANKVALUE(Lead.LeadSource, "unknown")
        "Revenue:  1000000\n\n"
        f"Open it: {globex.server.http_url}/{lead_id}\n"}
    # Substitute text for a blank Country; the catch-all's owner is a user: their name, one message.
    bare = globex.partner.create("Lead", {"LastName": "Nobody", "Company": "Acme Corp"}, USER_MAIL)
    [mail] = globex.outbox(record_id=bare)
    assert mail["subject"] == "[Globex] Nobody at Acme Corp () is yours"
    assert mail["body"].startswith("Hello Nina Sales,\n") and "Country:  not given\n" in mail["body"]


def test_without_user_email_the_lead_is_routed_but_nobody_is_mailed(globex: Globex) -> None:
    quiet = {"triggerAutoResponseEmail": True, "triggerOtherEmail": True, "triggerUserEmail": False}
    lead_id = globex.partner.create("Lead", LEADS["catch-all"].fields, quiet)
    assert globex.partner.fields("Lead", lead_id,
                                 "OwnerId")["OwnerId"] == globex.user_id("nina.sales@globex.example")
    assert globex.outbox() == []
    [entry] = globex.journal(operation="create")
    assert (entry["assignment"], entry["email"]) == ("default", quiet)


# ---- Cases
# -----------------------------------------------------------------------------------------------------
def test_soap_cases_are_routed_by_the_active_case_rule(globex: Globex) -> None:
    partner, caller = globex.partner, globex.partner.login.userId
    tier2, carl = globex.org["queues"]["Tier2_Support"], globex.user_id("carl.support@globex.example")
    ops = globex.user_id("ops@globex.example")
    assert caller == ops
    other_flags = {"triggerAutoResponseEmail": True, "triggerOtherEmail": False, "triggerUserEmail": True}

    # Entry 1: Priority High AND Origin in (Phone, Web) -> Tier2_Support (queue address only).
    urgent = partner.create("Case", {"Subject": "Checkout is down", "Priority": "High", "Origin": "Web"},
                            USER_MAIL)
    # Entry 2: escalated (Priority Low, so entry 1 fails) -> carl; Origin Email would also match entry 3,
    # later.
    escalated = partner.create("Case", {"Subject": "Refund overdue", "Priority": "Low", "Origin": "Email",
                                        "IsEscalated": "true"}, USER_MAIL)
    # Entry 3: Origin Email, no assignedTo = "Do Not Reassign Owner": the caller keeps it, nobody is mailed.
    kept = partner.create("Case", {"Subject": "Invoice copy", "Origin": "Email"}, other_flags)
    # No entry matches: the Default Case Owner (ops) with the Support Settings template, reason default_owner.
    fallback = partner.create("Case", {"Subject": "Feature idea", "Priority": "Low", "Origin": "Phone"},
                              USER_MAIL)

    owners = {cid: partner.fields("Case", cid, "OwnerId",
                                  "CaseNumber") for cid in (urgent, escalated, kept, fallback)}
    assert {cid: f["OwnerId"] for cid, f in owners.items()} == {
        urgent: tier2, escalated: carl, kept: caller, fallback: ops}
    number = {cid: f["CaseNumber"] for cid, f in owners.items()}
    mail = globex.outbox()
    assert [(m["record_id"], m["recipient"], m["subject"], m["template_name"], m["reason"], m["record_type"])
            for m in mail] == [
        (urgent, "tier2@globex.example", f"Case {number[urgent]} [High/Web]: Checkout is down", CASE_TEMPLATE,
         "assignment", "Case"),
        (escalated, "carl.support@globex.example", f"Case {number[escalated]} [Low/Email]: Refund overdue",
         CASE_TEMPLATE, "assignment", "Case"),
        (fallback, "ops@globex.example", f"Case {number[fallback]} [Low/Phone]: Feature idea", CASE_TEMPLATE,
         "default_owner", "Case"),
    ]
    assert "assigned to Tier 2 Support." in mail[0]["body"] and "Escalated: true" in mail[1]["body"]
    creates = globex.journal(operation="create")
    assert [(j["door"], j["operation"], j["sobject"], j["assignment"], j["email"], j["results"])
            for j in creates] == [
        ("soap", "create", "Case", "default", USER_MAIL, ["OK"]),
        ("soap", "create", "Case", "default", USER_MAIL, ["OK"]),
        ("soap", "create", "Case", "default", other_flags, ["OK"]),
        ("soap", "create", "Case", "default", USER_MAIL, ["OK"]),
    ]
    assert all(j["user_id"] == caller for j in creates)
    assert admin_get(globex.server, f"/orgs/{globex.demo_id}/outbox") == []


def test_the_inactive_rule_runs_only_when_named_by_id(globex: Globex) -> None:
    """AssignmentRuleHeader.assignmentRuleId runs an inactive rule (Legacy Territory Routing: TX -> omar)."""
    legacy = globex.org["rules"]["Lead/Legacy Territory Routing"]
    headers = globex.partner.session | {"AssignmentRuleHeader": {"assignmentRuleId": legacy}} | \
        {"EmailHeader": USER_MAIL}
    record = globex.partner.sobject("Lead", LastName="Reyes", Company="Globex", State="TX", Country="USA")
    [result] = globex.partner.service.create([record], _soapheaders=headers).body.result
    assert globex.partner.fields("Lead", result.id,
                                 "OwnerId")["OwnerId"] == globex.user_id("omar.sales@globex.example")
    assert globex.outbox() == []  # the legacy entry names no template: nobody is mailed
    [entry] = globex.journal(operation="create")
    assert entry["assignment"] == legacy


# ---- bad metadata: every case a clear 422, nothing loaded
# ------------------------------------------------------
@dataclass(frozen=True)
class Breakage:
    file: str  # relative to the project root
    old: str | None  # replaced once by `new`; None = `new(text)` rewrites the file
    new: str | Callable[[str], str]
    fragments: tuple[str, ...]  # all in the error message
    line: Callable[[str], int | None] | None = None  # the expected line from the broken text; None: any line


BILLION_LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
                  '"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                  '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
XXE = '<!DOCTYPE AssignmentRules [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _after_declaration(doctype: str, entity_use: tuple[str, str]) -> Callable[[str], str]:
    def rewrite(text: str) -> str:
        declaration, rest = text.split("\n", 1)
        return f"{declaration}\n{doctype}\n{rest}".replace(*entity_use, 1)
    return rewrite


BREAKAGES = {
    "unknown-field-in-criteria": Breakage(
        LEAD_RULES, "<field>Lead.NumberOfEmployees</field>", "<field>Lead.Headcount__c</field>",
        ("Unknown field 'Lead.Headcount__c' on Lead", "criteria item 3", "Globex Lead Routing"),
        lambda t: line_of(t, "<ruleEntry>", 1)),
    "unknown-element-in-criteria": Breakage(
        LEAD_RULES, "<value>5000000</value>",
        "<value>5000000</value>\n                <currency>USD</currency>",
        ("unknown element <currency> in <criteriaItems>",), lambda t: line_of(t, "<currency>")),
    "unknown-queue": Breakage(
        LEAD_RULES, "<assignedTo>Inbound_Leads</assignedTo>", "<assignedTo>Inbound_Leadz</assignedTo>",
        ("'Globex Lead Routing' entry 2", "queue 'Inbound_Leadz' does not exist"),
        lambda t: line_of(t, "<ruleEntry>", 2)),
    "case-queue-in-lead-rule": Breakage(
        LEAD_RULES, "<assignedTo>Inbound_Leads</assignedTo>", "<assignedTo>Tier2_Support</assignedTo>",
        ("queue 'Tier2_Support' does not accept Lead records",), lambda t: line_of(t, "<ruleEntry>", 2)),
    "unknown-user": Breakage(
        LEAD_RULES, "<assignedTo>nina.sales@globex.example</assignedTo>",
        "<assignedTo>nobody@globex.example</assignedTo>",
        ("'Globex Lead Routing' entry 3", "user 'nobody@globex.example' does not exist"),
        lambda t: line_of(t, "<ruleEntry>", 3)),
    "unknown-queue-member": Breakage(
        INBOUND_QUEUE, "<user>ops@globex.example</user>", "<user>ops@initech.example</user>",
        ("queue Inbound_Leads: member 'ops@initech.example' names no user",),
        lambda t: line_of(t, "ops@initech.example")),
    "bad-boolean-filter": Breakage(
        LEAD_RULES, "<booleanFilter>1 AND (2 OR 3)</booleanFilter>",
        "<booleanFilter>1 AND OR 2</booleanFilter>",
        ("filter logic '1 AND OR 2'", "Unexpected 'OR'", "entry 1 of rule Globex Lead Routing"),
        lambda t: line_of(t, "<ruleEntry>", 1)),
    "filter-leaves-an-item-out": Breakage(
        LEAD_RULES, "<booleanFilter>1 AND (2 OR 3)</booleanFilter>", "<booleanFilter>1 AND 2</booleanFilter>",
        ("not referenced: 3",), lambda t: line_of(t, "<ruleEntry>", 1)),
    "two-active-case-rules": Breakage(
        CASE_RULES, "<active>false</active>", "<active>true</active>",
        ("'Weekend Coverage' (line 3) and 'Globex Support Routing' are both active",
         "only one Case assignment rule can be active"),
        lambda t: line_of(t, "<assignmentRule>", 2)),
    "malformed-xml": Breakage(
        TIER2_QUEUE, "<email>tier2@globex.example</email>", "<email>tier2@globex.example</emial>",
        ("malformed XML", "email"), lambda t: line_of(t, "</emial>")),
    "missing-template-in-rule": Breakage(
        CASE_RULES, "<template>Globex_Templates/Globex_Case_Assigned</template>",
        "<template>Globex_Templates/Globex_Case_Escalated</template>",
        ("'Globex Support Routing' entry 1",
         "template 'Globex_Templates/Globex_Case_Escalated' does not exist"),
        lambda t: line_of(t, "<ruleEntry>", 2)),  # the file's second <ruleEntry> is the active rule's first
    "missing-template-in-settings": Breakage(
        ORG_TOML, 'notification_template = "Globex_Templates/Globex_Case_Assigned"',
        'notification_template = "Globex_Templates/Case_Notice"',
        ("[case_settings] notification_template", "template 'Globex_Templates/Case_Notice' does not exist"),
        lambda t: line_of(t, 'notification_template = "Globex_Templates/Case_Notice"')),
    "doctype-external-entity": Breakage(
        LEAD_RULES, None,
        _after_declaration(XXE, ("<value>Web,Partner Referral</value>", "<value>&xxe;</value>")),
        ("a DOCTYPE (DTD or entity declaration) is not allowed",), lambda t: line_of(t, "<!DOCTYPE")),
    "doctype-billion-laughs": Breakage(
        TIER2_QUEUE, None,
        _after_declaration(BILLION_LAUGHS, ("<name>Tier 2 Support</name>", "<name>&lol3;</name>")),
        ("a DOCTYPE (DTD or entity declaration) is not allowed",), lambda t: line_of(t, "<!DOCTYPE")),
}
# App bugs these cases expose (strict: when fixed, the xfail turns into a failure and the mark must go).
KNOWN_BUGS: dict[str, str] = {}


def _broken_copy(tmp_path: Path, breakage: Breakage) -> tuple[Path, str]:
    folder = tmp_path / "globex-sfdx"
    shutil.copytree(FIXTURE, folder)
    target = folder / breakage.file
    text = target.read_text(encoding="utf-8")
    if breakage.old is None:
        broken = breakage.new(text)  # type: ignore[operator]
    else:
        assert breakage.old in text, f"the fixture no longer holds {breakage.old!r}"
        broken = text.replace(breakage.old, breakage.new, 1)
    assert broken != text
    target.write_text(broken, encoding="utf-8")
    return folder, broken


@pytest.mark.parametrize("name", [
    pytest.param(name, id=name, marks=[pytest.mark.xfail(reason=KNOWN_BUGS[name], strict=True)]
                 if name in KNOWN_BUGS else []) for name in BREAKAGES])
def test_bad_metadata_is_a_clear_422_and_loads_nothing(live_server: LiveServer, tmp_path: Path,
                                                       name: str) -> None:
    breakage = BREAKAGES[name]
    folder, broken = _broken_copy(tmp_path, breakage)
    before = orgs(live_server)
    response = upload(live_server, zip_folder(folder))
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert detail["error"] == "invalid_org"
    message = detail["message"]
    # Every case here has a line to point at: "<file>, line <n>: <problem>".
    expected = breakage.line(broken) if breakage.line else None
    assert re.match(rf"{re.escape(breakage.file)}, line {expected or '[0-9]+'}: ", message), message
    for fragment in breakage.fragments:
        assert fragment in message, message
    assert orgs(live_server) == before


def test_the_unbroken_copy_loads(live_server: LiveServer, tmp_path: Path) -> None:
    """The table's control: the same copy step without a breakage uploads fine."""
    folder = tmp_path / "globex-sfdx"
    shutil.copytree(FIXTURE, folder)
    response = upload(live_server, zip_folder(folder))
    assert response.status_code == 201, response.text
    assert httpx.delete(f"{live_server.http_url}/_sfmock/orgs/{response.json()['id']}",
                        timeout=30).json() == {
        "deleted": True}


# ---- sfmock serve --org
# --------------------------------------------------------------------------------------
@pytest.fixture
def serve_org(tmp_path: Path) -> Iterator[Callable[[], SfmockServer]]:
    """Starts `sfmock serve --org tests/fixtures/globex-sfdx` on a temporary SQLite database; each call stops
    the previous server (only the process this fixture started) and starts a new one on the same database."""
    db_url = f"sqlite:///{tmp_path / 'serve-org.db'}"
    running: list[SfmockServer] = []
    starts = itertools.count(1)

    def start() -> SfmockServer:
        while running:
            stop_server(running.pop())
        server = start_server(tmp_path, db_url, args=("--org", FIXTURE_ARG),
                              log_name=f"serve-{next(starts)}.log")
        running.append(server)
        return server

    try:
        yield start
    finally:
        while running:
            stop_server(running.pop())


def test_serve_with_org_loads_the_project_once_across_restarts(serve_org: Callable[[], SfmockServer]) -> None:
    first = serve_org()
    listed = orgs(first)
    assert [o["name"] for o in listed] == ["Globex Corporation"]  # no demo org: no --load-demo-if-empty
    assert "org 'Globex Corporation' loaded from tests/fixtures/globex-sfdx" in first.log_file.read_text()
    # Loaded by the CLI, the users keep the usernames of the files; ops logs in and routing works.
    partner = Partner(f"{first.http_url}/services/Soap/u/64.0", "ops@globex.example",
                      "globex-Secret-42GLOBEXTOKEN42")
    assert partner.login.userInfo.organizationId == listed[0]["id"]
    lead_id = partner.create("Lead", LEADS["catch-all"].fields, USER_MAIL)
    [nina] = [u["Id"] for u in admin_get(first, f"/orgs/{listed[0]['id']}/users")
              if u["Username"] == "nina.sales@globex.example"]
    assert partner.fields("Lead", lead_id, "OwnerId")["OwnerId"] == nina

    second = serve_org()  # a restart on the same database
    assert orgs(second) == listed
    assert "already loaded" in second.log_file.read_text()
    # The data written before the restart is still that org's.
    mail = admin_get(second, f"/orgs/{listed[0]['id']}/outbox")
    assert [(m["recipient"], m["record_id"]) for m in mail] == [("nina.sales@globex.example", lead_id)]

    third = serve_org()
    assert orgs(third) == listed

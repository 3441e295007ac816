"""zeep on the Enterprise API, built the way Java and .NET connector teams build theirs: from the enterprise
WSDL downloaded from the org (Setup's /soap/wsdl.jsp?type=*, the session in the `sid` cookie). Typed Leads
created with AssignmentRuleHeader + EmailHeader are routed and the mail is written; queries come back as typed
records with typed parents and child QueryResults; a custom field added to the org (its SFDX folder changed,
`sfmock serve --org` restarted) shows in the WSDL downloaded again (salesforce-bulk-enterprise-metadata.md
§1)."""
from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from simple_salesforce import Salesforce
from zeep import Client
from zeep.exceptions import Fault
from zeep.transports import Transport

from sfmock.pytest_plugin import SfmockServer, start_server, stop_server

pytestmark = pytest.mark.e2e

BINDING = "{urn:enterprise.soap.sforce.com}SoapBinding"
ENS = "urn:sobject.enterprise.soap.sforce.com"
ADMIN, PASSWORD = "admin@acme.example", "sfmock-passwordSFMOCKTOKEN"
ASSIGN = {"AssignmentRuleHeader": {"useDefaultRule": True}}
MAIL = {"EmailHeader": {"triggerAutoResponseEmail": False, "triggerOtherEmail": False,
                        "triggerUserEmail": True}}
ENTERPRISE_MAIL = ["enterprise-india@acme.example", "priya.rep@acme.example", "raj.rep@acme.example"]
GLOBEX = Path(__file__).resolve().parents[1] / "fixtures" / "globex-sfdx"
TIER_FIELD = """<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Tier__c</fullName>
    <label>Tier</label>
    <length>40</length>
    <required>false</required>
    <type>Text</type>
</CustomField>
"""


class Enterprise:
    """zeep built from the org's enterprise WSDL (downloaded with the `sid` cookie), logged in through it."""

    def __init__(self, server: SfmockServer, username: str, password: str, version: str = "59.0") -> None:
        # The first login goes through the standard-object WSDL the endpoint serves without a session.
        bootstrap = Client(f"{server.http_url}/services/Soap/c/{version}?wsdl",
                           transport=Transport(cache=None))
        self.login = bootstrap.service.login(username=username, password=password)
        http = requests.Session()
        http.cookies.set("sid", self.login.sessionId)
        self.client = Client(f"{server.http_url}/soap/wsdl.jsp?type=*", transport=Transport(session=http,
                                                                                              cache=None))
        self.service = self.client.create_service(BINDING, self.login.serverUrl)
        self.session = {"SessionHeader": {"sessionId": self.login.sessionId}}

    def new(self, kind: str, **fields: Any) -> Any:
        return self.client.get_type(f"{{{ENS}}}{kind}")(**fields)

    def create(self, records: list[Any], **headers: dict) -> list[Any]:
        return self.service.create(records, _soapheaders=self.session | headers).body.result

    def query(self, soql: str) -> list[Any]:
        return self.service.query(soql, _soapheaders=self.session).body.result.records


@pytest.fixture
def enterprise(fresh_server: Any) -> Enterprise:
    return Enterprise(fresh_server, ADMIN, PASSWORD)


def test_typed_leads_are_routed_and_mailed_and_come_back_typed(enterprise: Enterprise,
                                                               fresh_server: Any) -> None:
    assert "/services/Soap/c/59.0/" in enterprise.login.serverUrl
    lead = enterprise.new("Lead", LastName="Kumar", Company="Tata", Country="India", AnnualRevenue=20000000.0)
    [result] = enterprise.create([lead], **ASSIGN, **MAIL)
    assert (result.success, result.errors) == (True, [])
    [queue] = enterprise.query("SELECT Id, Name FROM Group WHERE DeveloperName = 'Enterprise_India_Queue'")
    assert type(queue).__name__ == "Group"
    [record] = enterprise.query("SELECT Id, LastName, Email, AnnualRevenue, OwnerId, Owner.Name FROM Lead "
                                f"WHERE Id = '{result.id}'")
    # A typed Lead: its fields as attributes, the parent typed by its actual object (a queue is a Group).
    assert type(record).__name__ == "Lead"
    assert (record.Id, record.LastName, record.Email, record.AnnualRevenue) == (result.id, "Kumar", None,
                                                                                 2.0e7)
    assert (record.OwnerId, type(record.Owner).__name__, record.Owner.Name) == (queue.Id, "Group", queue.Name)
    sent = fresh_server.outbox(record_id=result.id)
    assert sorted(m["recipient"] for m in sent) == ENTERPRISE_MAIL


def test_without_headers_no_rule_runs_and_no_mail(enterprise: Enterprise, fresh_server: Any) -> None:
    [result] = enterprise.create([enterprise.new("Lead", LastName="Kumar", Company="Tata", Country="India",
                                                 AnnualRevenue=20000000.0)])
    [record] = enterprise.query(f"SELECT Owner.Username FROM Lead WHERE Id = '{result.id}'")
    assert (type(record.Owner).__name__, record.Owner.Username) == ("User", ADMIN)
    assert fresh_server.outbox() == []


def test_custom_fields_typed_parents_and_children(enterprise: Enterprise) -> None:
    [account] = enterprise.create([enterprise.new("Account", Name="BASF SE")])
    [lead] = enterprise.create([enterprise.new("Lead", LastName="Weber", Company="BASF", Region__c="EMEA",
                                               Score__c=7.0, Partner_Account__c=account.id)])
    assert lead.success is True, lead
    [record] = enterprise.query("SELECT Region__c, Score__c, Partner_Account__r.Name FROM Lead "
                                f"WHERE Id = '{lead.id}'")
    assert (record.Region__c, record.Score__c, record.Id) == ("EMEA", 7.0, None)
    partner_account = record.Partner_Account__r
    assert (type(partner_account).__name__, partner_account.Name) == ("Account", "BASF SE")
    [count] = enterprise.query("SELECT COUNT(Id) total FROM Lead WHERE Region__c = 'EMEA'")
    assert type(count).__name__ == "AggregateResult" and count.Id is None
    assert count._value_1 == [1]  # the lax <any>, read by the value's xsi:type="xsd:int"
    enterprise.create([enterprise.new("Contact", LastName="Weber", AccountId=account.id)])
    [parent] = enterprise.query("SELECT Name, (SELECT LastName FROM Contacts) FROM Account "
                                f"WHERE Id = '{account.id}'")
    assert (parent.Contacts.size, [c.LastName for c in parent.Contacts.records]) == (1, ["Weber"])


def test_salesforces_errors_through_the_typed_client(enterprise: Enterprise) -> None:
    [refused] = enterprise.create([enterprise.new("Lead", LastName="X", Company="C", Region__c="Mars")])
    assert (refused.success, refused.id) == (False, None)
    assert [(e.statusCode, e.message, e.fields) for e in refused.errors] == [
        ("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "Region: bad value for restricted picklist field: Mars",
         ["Region__c"])]
    with pytest.raises(Fault) as fault:
        enterprise.service.query("SELECT Id FROM Lead", _soapheaders={"SessionHeader": {"sessionId": "nope"}})
    assert (fault.value.code, fault.value.message) == (
        "sf:INVALID_SESSION_ID",
        "INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session")


# ---- a custom field added to the org ----------------------------------------------------------------------
@pytest.fixture
def serve_globex(tmp_path: Path) -> Iterator[tuple[Path, Callable[[], SfmockServer]]]:
    """`sfmock serve --org <a copy of the Globex project>`; each call restarts it on the same database (the
    org is reloaded, same id, when its files changed). Stops only the processes it started."""
    project = tmp_path / "globex"
    shutil.copytree(GLOBEX, project)
    running: list[SfmockServer] = []

    def start() -> SfmockServer:
        while running:
            stop_server(running.pop())
        server = start_server(tmp_path, f"sqlite:///{tmp_path / 'globex.db'}", args=("--org", str(project)),
                              log_name=f"serve-{len(list(tmp_path.glob('serve-*.log')))}.log")
        running.append(server)
        return server

    try:
        yield project, start
    finally:
        while running:
            stop_server(running.pop())


def test_a_field_added_to_the_org_is_in_the_wsdl_downloaded_again(
        serve_globex: tuple[Path, Callable[[], SfmockServer]]) -> None:
    project, start = serve_globex
    before = Enterprise(start(), "ops@globex.example", "globex-Secret-42GLOBEXTOKEN42")
    assert "Tier__c" not in [name for name, _ in before.client.get_type(f"{{{ENS}}}Lead").elements]
    fields = project / "force-app" / "main" / "default" / "objects" / "Lead" / "fields"
    fields.mkdir(parents=True)
    (fields / "Tier__c.field-meta.xml").write_text(TIER_FIELD, encoding="utf-8")
    after = Enterprise(start(), "ops@globex.example", "globex-Secret-42GLOBEXTOKEN42")
    assert after.login.userInfo.organizationId == before.login.userInfo.organizationId
    assert "Tier__c" in [name for name, _ in after.client.get_type(f"{{{ENS}}}Lead").elements]
    [created] = after.create([after.new("Lead", LastName="Gold", Company="Globex", Tier__c="Platinum")])
    assert created.success is True, created
    [record] = after.query(f"SELECT Tier__c FROM Lead WHERE Id = '{created.id}'")
    assert (type(record).__name__, record.Tier__c) == ("Lead", "Platinum")


TIER_DEPLOY = {
    "unpackaged/package.xml": '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n'
    "    <types><members>Lead.Tier__c</members><name>CustomField</name></types>\n"
    "    <version>59.0</version>\n</Package>\n",
    "unpackaged/objects/Lead.object": '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<CustomObject xmlns="http://soap.sforce.com/2006/04/metadata">\n    <fields>\n'
    "        <fullName>Tier__c</fullName>\n        <label>Tier</label>\n        <length>40</length>\n"
    "        <required>false</required>\n        <type>Text</type>\n    </fields>\n</CustomObject>\n",
}


def test_a_field_deployed_a_moment_earlier_is_in_the_wsdl_downloaded_again(
        enterprise: Enterprise, fresh_server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 15: a custom field deployed through the Metadata API (simple-salesforce's own deploy, unmodified)
    is in the enterprise WSDL the very next download gives, and zeep built from it writes and reads it; the
    server is not restarted."""
    assert "Tier__c" not in [name for name, _ in enterprise.client.get_type(f"{{{ENS}}}Lead").elements]
    archive = tmp_path / "tier.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in TIER_DEPLOY.items():
            package.writestr(name, text)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(fresh_server.ca_file))
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    sf = Salesforce(instance_url=fresh_server.https_url, session_id=enterprise.login.sessionId)
    started = sf.deploy(str(archive), sandbox=False)
    status = sf.checkDeployStatus(started["asyncId"])
    assert (status["state"], status["deployment_detail"]["errors"]) == ("Succeeded", []), status
    after = Enterprise(fresh_server, ADMIN, PASSWORD)
    assert "Tier__c" in [name for name, _ in after.client.get_type(f"{{{ENS}}}Lead").elements]
    [created] = after.create([after.new("Lead", LastName="Gold", Company="Acme", Tier__c="Platinum")])
    assert created.success is True, created
    [record] = after.query(f"SELECT Tier__c FROM Lead WHERE Id = '{created.id}'")
    assert (type(record).__name__, record.Tier__c) == ("Lead", "Platinum")

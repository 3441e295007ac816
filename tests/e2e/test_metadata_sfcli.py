"""Salesforce's sf CLI (pinned), unmodified, deploying and retrieving a realistic SFDX project against a real
server over the Metadata API's SOAP calls: `sf project deploy start` of rules, a queue, an email template
(in its own folder) and a custom field the rule tests, after which a Lead created over SOAP (zeep, Partner
WSDL) is routed with mail; `sf project deploy report`, `sf project deploy validate` and `sf project
retrieve start` give Salesforce's answers; a deploy naming a missing queue fails with the component's
problem."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.sfcli import SfCli, installed
from tests.e2e.test_bulk_sfcli import LOGIN
from tests.e2e.test_jsforce import _journal
from tests.e2e.test_soap_zeep import ASSIGN, MAIL, WSDL_PATH, Partner

pytestmark = pytest.mark.e2e
MNS = "http://soap.sforce.com/2006/04/metadata"
ANDES = {"LastName": "Mamani", "Company": "Altiplano Foods", "Country": "Peru", "Andes_Tier__c": "Gold"}

FILES = {
    "sfdx-project.json": '{"packageDirectories": [{"path": "force-app", "default": true}], "name": "andes", '
                         '"namespace": "", "sourceApiVersion": "59.0"}',
    "force-app/main/default/objects/Lead/fields/Andes_Tier__c.field-meta.xml":
        f'<?xml version="1.0" encoding="UTF-8"?>\n<CustomField xmlns="{MNS}">\n    <fullName>Andes_Tier__c'
        "</fullName>\n    <label>Andes Tier</label>\n    <length>20</length>\n"
        "    <required>false</required>\n"
        "    <type>Text</type>\n</CustomField>\n",
    "force-app/main/default/queues/Andes_Queue.queue-meta.xml":
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Queue xmlns="{MNS}">\n'
        "    <doesSendEmailToMembers>true</doesSendEmailToMembers>\n    <email>andes@acme.example</email>\n"
        "    <name>Andes Queue</name>\n    <queueMembers>\n        <users>\n"
        "            <user>priya.rep@acme.example</user>\n        </users>\n    </queueMembers>\n"
        "    <queueSobject>\n        <sobjectType>Lead</sobjectType>\n    </queueSobject>\n</Queue>\n",
    "force-app/main/default/email/Andes.emailFolder-meta.xml":
        f'<?xml version="1.0" encoding="UTF-8"?>\n<EmailFolder xmlns="{MNS}">\n    <accessType>Public'
        "</accessType>\n    <name>Andes</name>\n    <publicFolderAccess>ReadWrite</publicFolderAccess>\n"
        "</EmailFolder>\n",
    "force-app/main/default/email/Andes/Andes_Lead.email-meta.xml":
        f'<?xml version="1.0" encoding="UTF-8"?>\n<EmailTemplate xmlns="{MNS}">\n'
        "    <available>true</available>\n"
        "    <encodingKey>UTF-8</encodingKey>\n    <name>Andes lead</name>\n    <style>none</style>\n"
        "    <subject>Andes lead {!Lead.Name} ({!Lead.Andes_Tier__c})</subject>\n    <type>text</type>\n"
        "    <uiType>Aloha</uiType>\n</EmailTemplate>\n",
    "force-app/main/default/email/Andes/Andes_Lead.email":
        "A {!Lead.Andes_Tier__c} lead from {!Lead.Company}.\n",
}


def rules(queue: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<AssignmentRules xmlns="{MNS}">\n    <assignmentRule>\n'
            "        <fullName>Andes Routing</fullName>\n        <active>true</active>\n        <ruleEntry>\n"
            f"            <assignedTo>{queue}</assignedTo>\n"
            "            <assignedToType>Queue</assignedToType>\n"
            "            <criteriaItems>\n                <field>Lead.Andes_Tier__c</field>\n"
            "                <operation>equals</operation>\n                <value>Gold</value>\n"
            "            </criteriaItems>\n            <template>Andes/Andes_Lead</template>\n"
            "        </ruleEntry>\n    </assignmentRule>\n</AssignmentRules>\n")


RULES_FILE = "force-app/main/default/assignmentRules/Lead.assignmentRules-meta.xml"


@pytest.fixture
def cli(fresh_server: Any, tmp_path: Path) -> SfCli:
    installed()
    token = httpx.post(f"{fresh_server.http_url}/services/oauth2/token", data=LOGIN, timeout=30).json()
    sf = SfCli(fresh_server, tmp_path / "home")
    sf.login(token["access_token"])
    return sf


def _project(home: Path, queue: str = "Andes_Queue") -> None:
    for name, text in FILES.items() | {RULES_FILE: rules(queue)}.items():
        (home / name).parent.mkdir(parents=True, exist_ok=True)
        (home / name).write_text(text)


def test_deploy_start_then_soap_routes_with_mail(cli: SfCli, fresh_server: Any) -> None:
    _project(cli.home)
    deployed = cli.json("project", "deploy", "start", "--source-dir", "force-app", "--wait", "5")
    assert deployed["status"] == 0, deployed
    result = deployed["result"]
    assert (result["status"], result["success"], result["checkOnly"]) == ("Succeeded", True, False)
    files = {(f["type"], f["fullName"], f["state"]) for f in result["files"]}
    assert {("AssignmentRules", "Lead", "Changed"), ("Queue", "Andes_Queue", "Created"),
            ("EmailTemplate", "Andes/Andes_Lead", "Created"),
            ("CustomField", "Lead.Andes_Tier__c", "Created")} <= files
    partner = Partner(WSDL_PATH, fresh_server)
    [created] = partner.create([partner.sobject("Lead", **ANDES)], **ASSIGN, **MAIL)
    assert created.success is True, created
    queue_id = partner.id_of("SELECT Id FROM Group WHERE DeveloperName = 'Andes_Queue'")
    assert partner.owner("Lead", created.id) == queue_id
    sent = fresh_server.outbox(record_id=created.id)
    assert sorted(m["recipient"] for m in sent) == ["andes@acme.example", "priya.rep@acme.example"]
    assert {m["subject"] for m in sent} == {"Andes lead Mamani (Gold)"}

    report = cli.json("project", "deploy", "report", "--job-id", result["id"])
    assert report["status"] == 0, report
    assert (report["result"]["id"], report["result"]["status"]) == (result["id"], "Succeeded")


def test_deploy_over_rest_routes_the_next_rest_create(cli: SfCli, fresh_server: Any) -> None:
    # `sf config set org-metadata-rest-deploy true`, as its environment variable: the CLI deploys through
    # POST …/metadata/deployRequest and polls GET …/deployRequest/{id}?includeDetails=true (§4.3).
    _project(cli.home)
    deployed = cli.json("project", "deploy", "start", "--source-dir", "force-app", "--wait", "5",
                        env={"SF_ORG_METADATA_REST_DEPLOY": "true"})
    assert deployed["status"] == 0, deployed
    result = deployed["result"]
    assert (result["status"], result["success"], result["numberComponentErrors"]) == ("Succeeded", True, 0)
    files = {(f["type"], f["fullName"], f["state"]) for f in result["files"]}
    assert {("AssignmentRules", "Lead", "Changed"), ("Queue", "Andes_Queue", "Created"),
            ("CustomField", "Lead.Andes_Tier__c", "Created")} <= files
    rest = {(e["operation"], e["error"]) for e in _journal(fresh_server, door="rest")}
    assert {("deploy", None), ("checkDeployStatus", None)} <= rest
    assert [e for e in _journal(fresh_server, door="soap") if e["operation"] == "deploy"] == []
    token = httpx.post(f"{fresh_server.http_url}/services/oauth2/token", data=LOGIN, timeout=30).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    data = f"{fresh_server.http_url}/services/data/v59.0"
    created = httpx.post(f"{data}/sobjects/Lead", json=ANDES, headers=headers, timeout=30)
    assert created.status_code == 201, created.text
    lead = httpx.get(f"{data}/sobjects/Lead/{created.json()['id']}", headers=headers, timeout=30).json()
    soql = "SELECT Id FROM Group WHERE DeveloperName = 'Andes_Queue'"
    [queue] = httpx.get(f"{data}/query", params={"q": soql}, headers=headers, timeout=30).json()["records"]
    assert lead["OwnerId"] == queue["Id"]


def test_deploy_validate_checks_without_changing(cli: SfCli, fresh_server: Any) -> None:
    _project(cli.home)
    validated = cli.json("project", "deploy", "validate", "--source-dir", "force-app", "--wait", "5")
    assert validated["status"] == 0, validated
    assert (validated["result"]["status"], validated["result"]["checkOnly"]) == ("Succeeded", True)
    partner = Partner(WSDL_PATH, fresh_server)
    assert partner.query("SELECT Id FROM Group WHERE DeveloperName = 'Andes_Queue'") == []


def test_deploy_naming_a_missing_queue_fails(cli: SfCli, fresh_server: Any) -> None:
    _project(cli.home, queue="Nowhere_Queue")
    (cli.home / "force-app/main/default/queues/Andes_Queue.queue-meta.xml").unlink()
    failed = cli.json("project", "deploy", "start", "--source-dir", "force-app", "--wait", "5")
    assert failed["status"] == 1, failed
    problems = [(f["type"], f["fullName"], f["state"]) for f in failed["result"]["files"]
                if f["state"] == "Failed"]
    assert problems == [("AssignmentRules", "Lead", "Failed")]
    [error] = [f for f in failed["result"]["files"] if f["state"] == "Failed"]
    assert "Nowhere_Queue" in error["error"]
    partner = Partner(WSDL_PATH, fresh_server)
    active = partner.query("SELECT Name FROM AssignmentRule WHERE SobjectType = 'Lead' AND Active = true")
    assert [r["Name"] for r in active] == ["Standard Routing"]
    assert partner.query("SELECT Id FROM EmailTemplate WHERE DeveloperName = 'Andes_Lead'") == []


def test_retrieve_start_writes_the_org_rules_into_the_project(cli: SfCli) -> None:
    (cli.home / "sfdx-project.json").write_text(FILES["sfdx-project.json"])
    (cli.home / "force-app").mkdir()
    retrieved = cli.json("project", "retrieve", "start", "--metadata", "AssignmentRules:Lead",
                         "--metadata", "Queue:EMEA_Leads_Queue", "--wait", "5")
    assert retrieved["status"] == 0, retrieved
    files = {(f["type"], f["fullName"], f["state"]) for f in retrieved["result"]["files"]}
    assert files == {("AssignmentRules", "Lead", "Created"), ("Queue", "EMEA_Leads_Queue", "Created")}
    rules_file = cli.home / "force-app/main/default/assignmentRules/Lead.assignmentRules-meta.xml"
    assert "<fullName>Standard Routing</fullName>" in rules_file.read_text()
    queue_file = cli.home / "force-app/main/default/queues/EMEA_Leads_Queue.queue-meta.xml"
    assert "<email>emea-leads@acme.example</email>" in queue_file.read_text()


def test_deploy_with_post_destructive_changes_deletes_a_field(cli: SfCli, fresh_server: Any) -> None:
    # `--post-destructive-changes` needs a manifest: the CLI zips package.xml, the queue and
    # destructiveChangesPost.xml, which deletes a custom field the demo org defines.
    _project(cli.home)
    (cli.home / "package.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="{MNS}">\n    <types>\n'
        "        <members>Andes_Queue</members>\n        <name>Queue</name>\n    </types>\n"
        "    <version>59.0</version>\n</Package>\n")
    (cli.home / "destructiveChangesPost.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="{MNS}">\n    <types>\n'
        "        <members>Lead.Score__c</members>\n        <name>CustomField</name>\n    </types>\n"
        "</Package>\n")
    deployed = cli.json("project", "deploy", "start", "--manifest", "package.xml",
                        "--post-destructive-changes", "destructiveChangesPost.xml", "--wait", "5")
    assert deployed["status"] == 0, deployed
    result = deployed["result"]
    assert (result["status"], result["numberComponentsDeployed"], result["numberComponentErrors"]) == (
        "Succeeded", 2, 0)  # the queue and the deleted field
    # The CLI lists the files of its own project; the field deleted by the manifest has none there.
    files = {(f["type"], f["fullName"], f["state"]) for f in result["files"]}
    assert ("Queue", "Andes_Queue", "Created") in files
    partner = Partner(WSDL_PATH, fresh_server)
    lead = partner.service.describeSObject("Lead", _soapheaders=partner.session).body.result
    described = {f.name for f in lead.fields}
    assert "Score__c" not in described and "Region__c" in described

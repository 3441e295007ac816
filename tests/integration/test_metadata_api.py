"""The Metadata API door on the migrated demo database, in-process: deploy (all or nothing, component
failures, checkOnly), checkDeployStatus, retrieve from the org's state, listMetadata, readMetadata,
describeMetadata, the CRUD calls, and the faults clients act on."""
from __future__ import annotations

import base64
import io
import zipfile

import pytest
from lxml import etree

from sfmock.main import create_app
from sfmock.persistence.orgs import open_org
from tests.conftest import DemoDb
from tests.contract.test_soap_shapes import Soap, envelope
from tests.metadata_packages import PACKAGE as PERU_PACKAGE
from tests.metadata_packages import PERU_QUEUE, lead_rules

MNS = "http://soap.sforce.com/2006/04/metadata"
M = {"m": MNS, "s": "http://schemas.xmlsoap.org/soap/envelope/"}
XSI = "http://www.w3.org/2001/XMLSchema-instance"
PACKAGE = (f'<Package xmlns="{MNS}"><types><members>Lead</members><name>AssignmentRules</name></types>'
           "<version>66.0</version></Package>")


def zipped(files: dict[str, str]) -> str:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return base64.b64encode(buffer.getvalue()).decode()


class Metadata:
    def __init__(self, soap: Soap) -> None:
        self.soap = soap
        self.session = soap.login()

    def call(self, body: str, *, path: str = "/services/Soap/m/66.0",
             session: str | None = None) -> etree._Element:
        header = f"<m:SessionHeader><m:sessionId>{session or self.session}</m:sessionId></m:SessionHeader>"
        text = envelope(body, header).replace("<s:Envelope ", f'<s:Envelope xmlns:m="{MNS}" ', 1)
        response = self.soap.post(text, path=path)
        self.status = response.status_code
        return etree.fromstring(response.content)

    def deploy(self, files: dict[str, str], check_only: bool = False, *, rollback: bool = True,
               extra: str = "") -> etree._Element:
        # DeployOptions in jsforce's object-key order, not the WSDL's (§4.1).
        started = self.call(f"<m:deploy><m:ZipFile>{zipped(files)}</m:ZipFile><m:DeployOptions>"
                            f"<m:rollbackOnError>{'true' if rollback else 'false'}</m:rollbackOnError>"
                            f"<m:checkOnly>{'true' if check_only else 'false'}</m:checkOnly>"
                            f"<m:singlePackage>true</m:singlePackage>{extra}</m:DeployOptions></m:deploy>")
        result = started.find(".//m:deployResponse/m:result", M)
        assert [c.text for c in result] == ["false", result.findtext("m:id", namespaces=M), "Queued"]
        assert result.findtext("m:id", namespaces=M).startswith("0Af")
        status = self.call(f"<m:checkDeployStatus><m:asyncProcessId>{result.findtext('m:id', namespaces=M)}"
                           "</m:asyncProcessId><m:includeDetails>true</m:includeDetails></m:checkDeployStatus>")
        return status.find(".//m:checkDeployStatusResponse/m:result", M)


@pytest.fixture
def metadata(app_db: DemoDb) -> Metadata:
    return Metadata(Soap(create_app(app_db.settings, app_db.db)))


def _active_lead_rule(app_db: DemoDb) -> str:
    with app_db.db.read() as sql:
        return open_org(sql, app_db.org.org_id).active_rule("Lead").name


def test_deploy_installs_rule_and_queue(metadata: Metadata, app_db: DemoDb) -> None:
    result = metadata.deploy({"package.xml": PERU_PACKAGE,
                              "assignmentRules/Lead.assignmentRules": lead_rules(),
                              "queues/Peru_Queue.queue": PERU_QUEUE})
    assert result.findtext("m:status", namespaces=M) == "Succeeded"
    assert result.findtext("m:success", namespaces=M) == "true"
    assert result.findtext("m:numberComponentErrors", namespaces=M) == "0"
    successes = {(m.findtext("m:componentType", namespaces=M), m.findtext("m:fullName", namespaces=M),
                  m.findtext("m:created", namespaces=M))
                 for m in result.findall("m:details/m:componentSuccesses", M)}
    assert successes == {("", "package.xml", "false"), ("AssignmentRules", "Lead", "false"),
                         ("Queue", "Peru_Queue", "true")}
    assert _active_lead_rule(app_db) == "Peru Routing"


def test_deploy_naming_a_missing_queue_fails_and_changes_nothing(metadata: Metadata, app_db: DemoDb) -> None:
    before = _active_lead_rule(app_db)
    result = metadata.deploy({"unpackaged/package.xml": PACKAGE,
                              "unpackaged/assignmentRules/Lead.assignmentRules": lead_rules("No_Such_Queue")})
    assert result.findtext("m:status", namespaces=M) == "Failed"
    assert result.findtext("m:success", namespaces=M) == "false"
    [failure] = result.findall("m:details/m:componentFailures", M)
    assert failure.findtext("m:componentType", namespaces=M) == "AssignmentRules"
    assert failure.findtext("m:fullName", namespaces=M) == "Lead"
    assert failure.findtext("m:fileName", namespaces=M) == "unpackaged/assignmentRules/Lead.assignmentRules"
    assert failure.findtext("m:problemType", namespaces=M) == "Error"
    assert failure.findtext("m:lineNumber", namespaces=M) == "6"  # the <ruleEntry> naming the queue
    assert "No_Such_Queue" in failure.findtext("m:problem", namespaces=M)
    assert _active_lead_rule(app_db) == before


def test_check_only_validates_without_installing(metadata: Metadata, app_db: DemoDb) -> None:
    before = _active_lead_rule(app_db)
    result = metadata.deploy({"package.xml": PERU_PACKAGE,
                              "assignmentRules/Lead.assignmentRules": lead_rules(),
                              "queues/Peru_Queue.queue": PERU_QUEUE}, check_only=True)
    assert result.findtext("m:status", namespaces=M) == "Succeeded"
    assert result.findtext("m:checkOnly", namespaces=M) == "true"
    assert _active_lead_rule(app_db) == before


def test_deploy_without_package_xml(metadata: Metadata) -> None:
    result = metadata.deploy({"queues/Peru_Queue.queue": PERU_QUEUE})
    [failure] = result.findall("m:details/m:componentFailures", M)
    assert (failure.findtext("m:fullName", namespaces=M), failure.findtext("m:problem", namespaces=M)) == \
        ("package.xml", "No package.xml found")


def test_bad_session_is_the_fault_jsforce_reauthenticates_on(metadata: Metadata) -> None:
    root = metadata.call("<m:describeMetadata><m:asOfVersion>66.0</m:asOfVersion></m:describeMetadata>",
                         session="00D000000000001!nope")
    assert metadata.status == 500
    assert root.nsmap["sf"] == MNS
    assert root.findtext(".//faultcode") == "sf:INVALID_SESSION_ID"
    assert root.findtext(".//faultstring").startswith("INVALID_SESSION_ID: ")


@pytest.mark.parametrize("suffix", ["", "/{org15}", "/deployRequest"])
def test_every_metadata_url_clients_post_to(metadata: Metadata, app_db: DemoDb, suffix: str) -> None:
    # jsforce and sf: the bare version; a login's metadataServerUrl: + the org id; simple-salesforce:
    # + /deployRequest (§4.1).
    path = "/services/Soap/m/59.0" + suffix.format(org15=app_db.org.org_id[:15])
    root = metadata.call("<m:describeMetadata><m:asOfVersion>59.0</m:asOfVersion></m:describeMetadata>",
                         path=path)
    assert metadata.status == 200
    types = [o.findtext("m:xmlName", namespaces=M)
             for o in root.findall(".//m:describeMetadataResponse/m:result/m:metadataObjects", M)]
    assert {"AssignmentRules", "Queue", "EmailTemplate", "CustomObject"} <= set(types)


def test_list_and_read_assignment_rules(metadata: Metadata) -> None:
    listed = metadata.call("<m:listMetadata><m:queries><m:type>AssignmentRules</m:type></m:queries>"
                           "<m:asOfVersion>66.0</m:asOfVersion></m:listMetadata>")
    found = {(p.findtext("m:fullName", namespaces=M), p.findtext("m:fileName", namespaces=M))
             for p in listed.findall(".//m:listMetadataResponse/m:result", M)}
    assert found == {("Lead", "assignmentRules/Lead.assignmentRules"),
                     ("Case", "assignmentRules/Case.assignmentRules")}
    read = metadata.call("<m:readMetadata><m:type>AssignmentRules</m:type><m:fullNames>Lead</m:fullNames>"
                         "</m:readMetadata>")
    [record] = read.findall(".//m:readMetadataResponse/m:result/m:records", M)
    assert record.get(f"{{{XSI}}}type") == "AssignmentRules"
    assert record.findtext("m:fullName", namespaces=M) == "Lead"
    assert record.find("m:assignmentRule/m:ruleEntry", M) is not None


def test_retrieve_gives_the_deployed_rule_back(metadata: Metadata) -> None:
    metadata.deploy({"package.xml": PERU_PACKAGE,
                              "assignmentRules/Lead.assignmentRules": lead_rules(),
                     "queues/Peru_Queue.queue": PERU_QUEUE})
    # jsforce names the RetrieveRequest part `request` (§4.1).
    started = metadata.call("<m:retrieve><m:request><m:apiVersion>66.0</m:apiVersion><m:unpackaged>"
                            "<m:types><m:members>Lead</m:members><m:name>AssignmentRules</m:name></m:types>"
                            "<m:types><m:members>Peru_Queue</m:members><m:members>Nope</m:members>"
                            "<m:name>Queue</m:name></m:types></m:unpackaged></m:request></m:retrieve>")
    request_id = started.findtext(".//m:result/m:id", namespaces=M)
    status = metadata.call(f"<m:checkRetrieveStatus><m:asyncProcessId>{request_id}</m:asyncProcessId>"
                           "</m:checkRetrieveStatus>").find(".//m:checkRetrieveStatusResponse/m:result", M)
    assert status.findtext("m:status", namespaces=M) == "Succeeded"
    assert [m.findtext("m:problem", namespaces=M) for m in status.findall("m:messages", M)] == \
        ["Entity of type 'Queue' named 'Nope' cannot be found"]
    archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(status.findtext("m:zipFile", namespaces=M))))
    assert sorted(archive.namelist()) == ["unpackaged/assignmentRules/Lead.assignmentRules",
                                          "unpackaged/package.xml", "unpackaged/queues/Peru_Queue.queue"]
    rules_file = etree.fromstring(archive.read("unpackaged/assignmentRules/Lead.assignmentRules"))
    active = [r.findtext("m:fullName", namespaces=M) for r in rules_file.findall("m:assignmentRule", M)
              if r.findtext("m:active", namespaces=M) == "true"]
    assert active == ["Peru Routing"]
    queue = etree.fromstring(archive.read("unpackaged/queues/Peru_Queue.queue"))
    assert queue.findtext("m:name", namespaces=M) == "Peru Queue"


def test_create_metadata_queue_then_duplicate(metadata: Metadata, app_db: DemoDb) -> None:
    body = (f'<m:createMetadata><m:metadata xmlns:xsi="{XSI}" xsi:type="m:Queue">'
            "<m:fullName>Crud_Q</m:fullName>"
            "<m:name>Crud Q</m:name><m:queueSobject><m:sobjectType>Lead</m:sobjectType></m:queueSobject>"
            "</m:metadata></m:createMetadata>")
    first = metadata.call(body).find(".//m:createMetadataResponse/m:result", M)
    assert (first.findtext("m:fullName", namespaces=M), first.findtext("m:success", namespaces=M)) == \
        ("Crud_Q", "true")
    second = metadata.call(body).find(".//m:createMetadataResponse/m:result", M)
    assert second.findtext("m:success", namespaces=M) == "false"
    assert second.findtext("m:errors/m:statusCode", namespaces=M) == "DUPLICATE_DEVELOPER_NAME"
    with app_db.db.read() as sql:
        found = open_org(sql, app_db.org.org_id).find("Group", {"DeveloperName": "Crud_Q"})
    assert [g["Name"] for g in found] == ["Crud Q"]


def _slots(store: object) -> dict[str, str]:
    return {f.name: f.storage for f in store.schema.get("Lead").fields if f.custom}


def test_deploy_custom_field_keeps_existing_slots(metadata: Metadata, app_db: DemoDb) -> None:
    with app_db.db.read() as sql:
        before = _slots(open_org(sql, app_db.org.org_id))
    field = (f'<CustomObject xmlns="{MNS}"><fields><fullName>Tier__c</fullName><label>Tier</label>'
             "<length>40</length><type>Text</type></fields></CustomObject>")
    package = (f'<Package xmlns="{MNS}"><types><members>Lead.Tier__c</members>'
               "<name>CustomField</name></types>"
               "<version>66.0</version></Package>")
    result = metadata.deploy({"package.xml": package, "objects/Lead.object": field})
    assert result.findtext("m:status", namespaces=M) == "Succeeded"
    with app_db.db.read() as sql:
        after = _slots(open_org(sql, app_db.org.org_id))
    assert {k: after[k] for k in before} == before
    assert after["Tier__c"] not in before.values()


def _crud(metadata: Metadata, operation: str, kind: str, inner: str) -> etree._Element:
    body = (f'<m:{operation}><m:metadata xmlns:xsi="{XSI}" xsi:type="m:{kind}">{inner}</m:metadata>'
            f"</m:{operation}>")
    return metadata.call(body).find(f".//m:{operation}Response/m:result", M)


def test_update_metadata_replaces_one_rule_and_delete_metadata_removes_a_queue(
        metadata: Metadata, app_db: DemoDb) -> None:
    rule = ("<m:fullName>Lead.Standard Routing</m:fullName><m:active>true</m:active><m:ruleEntry>"
            "<m:assignedTo>EMEA_Leads_Queue</m:assignedTo><m:assignedToType>Queue</m:assignedToType>"
            "</m:ruleEntry>")
    updated = _crud(metadata, "updateMetadata", "AssignmentRule", rule)
    assert updated.findtext("m:success", namespaces=M) == "true", etree.tostring(updated)
    with app_db.db.read() as sql:
        store = open_org(sql, app_db.org.org_id)
        [entry] = store.active_rule("Lead").entries
        assert entry.assignee_id == store.find("Group", {"DeveloperName": "EMEA_Leads_Queue"})[0]["Id"]
    missing = _crud(metadata, "updateMetadata", "Queue", "<m:fullName>Nope</m:fullName><m:name>N</m:name>")
    assert missing.findtext("m:errors/m:statusCode", namespaces=M) == "INVALID_CROSS_REFERENCE_KEY"
    upserted = _crud(metadata, "upsertMetadata", "Queue", "<m:fullName>Up_Q</m:fullName><m:name>Up</m:name>"
                     "<m:queueSobject><m:sobjectType>Case</m:sobjectType></m:queueSobject>")
    assert [upserted.findtext(f"m:{k}", namespaces=M) for k in ("created", "fullName", "success")] == \
        ["true", "Up_Q", "true"]
    deleted = metadata.call("<m:deleteMetadata><m:type>Queue</m:type><m:fullNames>Up_Q</m:fullNames>"
                            "</m:deleteMetadata>").find(".//m:deleteMetadataResponse/m:result", M)
    assert deleted.findtext("m:success", namespaces=M) == "true"
    with app_db.db.read() as sql:
        assert open_org(sql, app_db.org.org_id).find("Group", {"DeveloperName": "Up_Q"}) == []


def test_a_bad_component_is_a_save_error_not_a_fault(metadata: Metadata) -> None:
    result = _crud(metadata, "createMetadata", "Queue",
                   "<m:fullName>Bad_Q</m:fullName><m:name>Bad</m:name><m:queueMembers><m:users>"
                   "<m:user>nobody@nowhere.example</m:user></m:users></m:queueMembers>")
    assert result.findtext("m:success", namespaces=M) == "false"
    assert "nobody@nowhere.example" in result.findtext("m:errors/m:message", namespaces=M)


def test_deploy_auto_response_rules_value_set_and_record_type(metadata: Metadata, app_db: DemoDb) -> None:
    auto = (f'<AutoResponseRules xmlns="{MNS}"><autoResponseRule><fullName>Web Replies</fullName>'
            "<active>true</active><ruleEntry><criteriaItems><field>Lead.Country</field>"
            "<operation>equals</operation><value>Peru</value></criteriaItems>"
            "<senderEmail>hola@acme.example</senderEmail><senderName>Acme</senderName>"
            "<template>unfiled$public/emailtemplate</template></ruleEntry></autoResponseRule>"
            "</AutoResponseRules>")
    sources = (f'<StandardValueSet xmlns="{MNS}"><standardValue><fullName>Web</fullName>'
               "<default>true</default>"
               "<label>Web</label></standardValue><standardValue><fullName>Fair</fullName>"
               "<default>false</default><label>Fair</label></standardValue></StandardValueSet>")
    record_type = (f'<CustomObject xmlns="{MNS}"><recordTypes><fullName>Direct</fullName>'
                   "<active>true</active>"
                   "<label>Direct Lead</label></recordTypes></CustomObject>")
    result = metadata.deploy({"package.xml": f'<Package xmlns="{MNS}"><version>66.0</version></Package>',
                              "autoResponseRules/Lead.autoResponseRules": auto,
                              "standardValueSets/LeadSource.standardValueSet": sources,
                              "objects/Lead.object": record_type})
    assert result.findtext("m:status", namespaces=M) == "Succeeded", etree.tostring(result)
    with app_db.db.read() as sql:
        store = open_org(sql, app_db.org.org_id)
        assert store.active_auto_response_rule("Lead").name == "Web Replies"
        lead = store.schema.get("Lead")
        assert lead.field("LeadSource").picklist == ("Web", "Fair")
        assert "Direct" in [rt.developer_name for rt in lead.record_types]
        assert lead.field("Region__c") is not None  # the org's own fields stay
    read = metadata.call("<m:readMetadata><m:type>StandardValueSet</m:type><m:fullNames>LeadSource"
                         "</m:fullNames></m:readMetadata>")
    values = [v.findtext("m:fullName", namespaces=M) for v in read.findall(".//m:records/m:standardValue", M)]
    assert values == ["Web", "Fair"]

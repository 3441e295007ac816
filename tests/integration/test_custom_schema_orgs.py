"""Orgs with different schemas side by side in one database: each keeps its own custom fields (the same name
may have another type), loading or resetting one never changes another, and bad schema metadata loads
nothing."""
from __future__ import annotations

import io
import zipfile

import pytest
from fastapi.testclient import TestClient

from sfmock.main import create_app
from sfmock.orgs.demo import DEMO_ORG_PATH
from tests.conftest import DemoDb

V = "/services/data/v59.0"
REGION_AS_TEXT = b"""<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Region__c</fullName>
    <label>Sales Region</label>
    <length>30</length>
    <type>Text</type>
</CustomField>
"""
TIER = b"""<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Tier__c</fullName>
    <label>Tier</label>
    <precision>2</precision>
    <required>true</required>
    <scale>0</scale>
    <type>Number</type>
</CustomField>
"""
LEGACY = b"""<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Legacy_Id__c</fullName>
    <externalId>true</externalId>
    <label>Legacy Id</label>
    <length>20</length>
    <type>Text</type>
</CustomField>
"""
LEAD_STATUS = b"""<?xml version="1.0" encoding="UTF-8"?>
<StandardValueSet xmlns="http://soap.sforce.com/2006/04/metadata">
    <sorted>false</sorted>
    <standardValue><fullName>Fresh</fullName><default>true</default><converted>false</converted></standardValue>
    <standardValue><fullName>Won</fullName><default>false</default><converted>true</converted></standardValue>
</StandardValueSet>
"""
FIELDS = "force-app/main/default/objects/Lead/fields/"


@pytest.fixture
def client(app_db: DemoDb) -> TestClient:
    return TestClient(create_app(app_db.settings, app_db.db), base_url="https://127.0.0.1:8443")


def _archive(drop: tuple[str, ...] = (), replace: dict[str, bytes] | None = None,
             add: dict[str, bytes] | None = None) -> bytes:
    """The demo org's folder as a zip, with files (by name) dropped or replaced and files (by path) added."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(DEMO_ORG_PATH.rglob("*")):
            if path.is_file() and path.name not in drop:
                text = (replace or {}).get(path.name, path.read_bytes())
                archive.writestr(str(path.relative_to(DEMO_ORG_PATH)), text)
        for name, text in (add or {}).items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _org(client: TestClient, archive: bytes) -> tuple[str, dict[str, str]]:
    response = client.post("/_sfmock/orgs", content=archive, headers={"Content-Type": "application/zip"})
    assert response.status_code == 201, response.text
    body = response.json()
    app, login = body["connected_apps"][0], body["logins"][0]
    token = client.post("/services/oauth2/token", data={
        "grant_type": "password", "client_id": app["client_id"], "client_secret": app["client_secret"],
        "username": login["username"],
        "password": login["password"] + login["security_token"]}).json()["access_token"]
    return body["id"], {"Authorization": f"Bearer {token}"}


def test_two_orgs_keep_their_schemas_apart(client: TestClient) -> None:
    demo_id, demo = _org(client, _archive())
    other_id, other = _org(client, _archive(drop=("Partner_Lead.recordType-meta.xml",),
                                            replace={"Region__c.field-meta.xml": REGION_AS_TEXT},
                                            add={FIELDS + "Tier__c.field-meta.xml": TIER,
                                                 FIELDS + "Legacy_Id__c.field-meta.xml": LEGACY,
                                                 "force-app/main/default/standardValueSets/"
                                                 "LeadStatus.standardValueSet-meta.xml": LEAD_STATUS}))
    # The same field name, two types: a restricted picklist in one org, free text in the other.
    assert client.post(f"{V}/sobjects/Lead/", headers=other,
                       json={"LastName": "A", "Company": "C", "Region__c": "Mars",
                             "Tier__c": 3}).status_code == 201
    refused = client.post(f"{V}/sobjects/Lead/", headers=demo, json={"LastName": "A", "Company": "C",
                                                                      "Region__c": "Mars"})
    assert refused.json()[0]["errorCode"] == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
    # A field of one org is INVALID_FIELD in the other, on writes and in SOQL.
    unknown = client.post(f"{V}/sobjects/Lead/", headers=demo,
                          json={"LastName": "A", "Company": "C", "Tier__c": 3})
    assert unknown.json() == [{"errorCode": "INVALID_FIELD", "fields": ["Tier__c"],
                               "message": "No such column 'Tier__c' on sobject of type Lead"}]
    query = client.get(f"{V}/query", headers=demo, params={"q": "SELECT Tier__c FROM Lead"})
    assert query.status_code == 400 and query.json()[0]["errorCode"] == "INVALID_FIELD"
    rows = client.get(f"{V}/query", headers=other, params={"q": "SELECT Region__c, Tier__c FROM Lead"}).json()
    assert [(r["Region__c"], r["Tier__c"]) for r in rows["records"]] == [("Mars", 3)]
    described = {f["name"]: f for f in client.get(f"{V}/sobjects/Lead/describe",
                                                  headers=other).json()["fields"]}
    assert (described["Region__c"]["type"], described["Tier__c"]["type"]) == ("string", "double")
    # The org's LeadStatus value set: its values in describe, its default on new leads.
    status = described["Status"]["picklistValues"]
    assert [(v["value"], v["defaultValue"]) for v in status] == [("Fresh", True), ("Won", False)]
    statuses = client.get(f"{V}/query", headers=other,
                          params={"q": "SELECT Status FROM Lead"}).json()["records"]
    assert [r["Status"] for r in statuses] == ["Fresh"]
    # A required custom field (Tier__c) is REQUIRED_FIELD_MISSING when absent, as a standard one.
    missing = client.post(f"{V}/sobjects/Lead/", headers=other, json={"LastName": "B", "Company": "C"})
    assert missing.json() == [{"errorCode": "REQUIRED_FIELD_MISSING", "fields": ["Tier__c"],
                               "message": "Required fields are missing: [Tier__c]"}]
    # An External ID that is not unique may name several records: upsert answers 300 with their URLs.
    for name in ("L1", "L2"):
        assert client.post(f"{V}/sobjects/Lead/", headers=other, json={
            "LastName": name, "Company": "C", "Tier__c": 1, "Legacy_Id__c": "OLD-1"}).status_code == 201
    several = client.patch(f"{V}/sobjects/Lead/Legacy_Id__c/old-1", headers=other, json={"Title": "x"})
    assert several.status_code == 300 and len(several.json()) == 2
    assert all(url.startswith(f"{V}/sobjects/Lead/00Q") for url in several.json())
    # Resetting one org leaves the other's records and schema alone.
    assert client.post(f"/_sfmock/orgs/{demo_id}/reset").status_code in (200, 204)
    again = client.get(f"{V}/query", headers=other, params={"q": "SELECT Region__c FROM Lead"}).json()
    assert again["totalSize"] == 3 and other_id != demo_id


@pytest.mark.parametrize(("name", "body", "problem"), [
    ("Bad__c.field-meta.xml", b"<CustomField xmlns='http://soap.sforce.com/2006/04/metadata'><label>B</label>"
     b"<type>Formula</type></CustomField>", "field type 'Formula' is not supported by sfmock"),
    ("Bad__c.field-meta.xml", b"<CustomField xmlns='http://soap.sforce.com/2006/04/metadata'><label>B</label>"
     b"<type>Lookup</type><referenceTo>Opportunity</referenceTo></CustomField>",
     "lookup to 'Opportunity', an object sfmock does not have"),
    ("Bad__c.field-meta.xml", b"<CustomField xmlns='http://soap.sforce.com/2006/04/metadata'><label>B</label>"
     b"<defaultValue>'Z'</defaultValue><type>Picklist</type><valueSet><valueSetDefinition><value><fullName>A"
     b"</fullName><default>false</default></value></valueSetDefinition></valueSet></CustomField>",
     "picklist default 'Z' is not one of its values"),
])
def test_bad_schema_metadata_loads_nothing(client: TestClient, name: str, body: bytes, problem: str) -> None:
    before = client.get("/_sfmock/orgs").json()
    response = client.post("/_sfmock/orgs", content=_archive(add={FIELDS + name: body}),
                           headers={"Content-Type": "application/zip"})
    assert response.status_code == 422, response.text
    text = response.text
    assert problem in text and f"objects/Lead/fields/{name}" in text and "line " in text
    assert client.get("/_sfmock/orgs").json() == before


def test_a_rule_on_a_field_the_org_does_not_define_is_refused(client: TestClient) -> None:
    archive = _archive(drop=("Region__c.field-meta.xml", "Partner_Lead.recordType-meta.xml"))
    response = client.post("/_sfmock/orgs", content=archive, headers={"Content-Type": "application/zip"})
    assert response.status_code == 422
    message = response.json()["detail"]["message"]
    assert message.startswith("force-app/main/default/assignmentRules/Lead.assignmentRules-meta.xml, line ")
    assert "Region__c" in message

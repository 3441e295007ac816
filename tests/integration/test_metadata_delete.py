"""deleteMetadata of schema components: a custom field leaves the schema (describe, the Enterprise WSDL,
SOQL) and goes to the deleted fields with its values; a field a rule uses, record types, standard value sets
and standard objects are refused, each with a DeleteResult error."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from lxml import etree

from sfmock.main import create_app
from sfmock.persistence import schemas
from sfmock.persistence.orgs import open_org
from sfmock.persistence.tables import table_for
from tests.conftest import DemoDb
from tests.contract.test_soap_shapes import Soap
from tests.integration.test_metadata_api import MNS, M, Metadata
from tests.integration.test_rest_fixtures import Api, api, errors_of

__all__ = ["api"]
TIER = (f'<CustomObject xmlns="{MNS}"><fields><fullName>Tier__c</fullName><label>Tier</label>'
        "<length>40</length><type>Text</type></fields></CustomObject>")
TIER_PACKAGE = (f'<Package xmlns="{MNS}"><types><members>Lead.Tier__c</members><name>CustomField</name>'
                "</types><version>66.0</version></Package>")


@pytest.fixture
def metadata(app_db: DemoDb) -> Metadata:
    return Metadata(Soap(create_app(app_db.settings, app_db.db)))


def _delete(metadata: Metadata, kind: str, *names: str) -> list[tuple[str | None, ...]]:
    members = "".join(f"<m:fullNames>{n}</m:fullNames>" for n in names)
    root = metadata.call(f"<m:deleteMetadata><m:type>{kind}</m:type>{members}</m:deleteMetadata>")
    assert metadata.status == 200, etree.tostring(root)
    return [(r.findtext("m:fullName", namespaces=M), r.findtext("m:success", namespaces=M),
             r.findtext("m:errors/m:statusCode", namespaces=M),
             r.findtext("m:errors/m:message", namespaces=M))
            for r in root.findall(".//m:deleteMetadataResponse/m:result", M)]


def _slot(app_db: DemoDb, name: str) -> str:
    with app_db.db.read() as sql:
        return open_org(sql, app_db.org.org_id).schema.get("Lead").field(name).storage


def test_a_deleted_custom_field_leaves_every_door_and_keeps_its_values(
        metadata: Metadata, app_db: DemoDb, api: Api) -> None:
    assert metadata.deploy({"package.xml": TIER_PACKAGE, "objects/Lead.object": TIER}).findtext(
        "m:status", namespaces=M) == "Succeeded"
    slot = _slot(app_db, "Tier__c")
    lead = api.create("Lead", LastName="Ode", Company="Acme", Tier__c="Gold",
                      headers={"Sforce-Auto-Assign": "FALSE"})
    assert _delete(metadata, "CustomField", "Lead.Tier__c") == [("Lead.Tier__c", "true", None, None)]
    names = [f["name"] for f in api.get("/sobjects/Lead/describe").json()["fields"]]
    assert "Tier__c" not in names and "Region__c" in names
    query = api.get("/query", params={"q": "SELECT Tier__c FROM Lead"})
    assert query.status_code == 400 and errors_of(query)[0][0] == "INVALID_FIELD"
    wsdl = api.client.get("/soap/wsdl.jsp", params={"type": "*"}, headers={"Cookie": f"sid={api.token}"})
    assert wsdl.status_code == 200 and b'name="Region__c"' in wsdl.content
    assert b'name="Tier__c"' not in wsdl.content
    with app_db.db.read() as sql:
        spec = schemas.load_spec(sql, app_db.org.org_id)
        table = table_for("Lead")
        stored = sql.execute(sa.select(table.c[slot]).where(table.c.Id == lead)).scalar_one()
    assert [f["name"] for f in spec["deleted_fields"]["Lead"]] == ["Tier__c"]
    assert stored == "Gold"  # the deleted field's data stays (Deleted Fields), out of every door's sight
    # The same name again is a new, empty field: never the deleted one's slot.
    metadata.deploy({"package.xml": TIER_PACKAGE, "objects/Lead.object": TIER})
    assert _slot(app_db, "Tier__c") != slot
    assert api.get(f"/sobjects/Lead/{lead}", params={"fields": "Tier__c"}).json()["Tier__c"] is None
    assert _delete(metadata, "CustomField", "Lead.Nope__c") == [
        ("Lead.Nope__c", "false", "INVALID_CROSS_REFERENCE_KEY",
         "In field: fullName - no CustomField named Lead.Nope__c found")]


def test_a_field_a_rule_uses_is_not_deleted(metadata: Metadata, app_db: DemoDb) -> None:
    [(name, success, code, message)] = _delete(metadata, "CustomField", "Lead.Region__c")
    assert (name, success, code) == ("Lead.Region__c", "false", "FIELD_INTEGRITY_EXCEPTION")
    assert message.startswith("This custom field is referenced elsewhere in salesforce.com. : ")
    assert "Region__c" in message
    assert _slot(app_db, "Region__c")


def test_what_the_api_cannot_delete(metadata: Metadata, app_db: DemoDb) -> None:
    assert _delete(metadata, "RecordType", "Lead.Partner_Lead") == [
        ("Lead.Partner_Lead", "false", "INVALID_OPERATION", "Cannot delete record type through API")]
    assert _delete(metadata, "StandardValueSet", "LeadSource") == [
        ("LeadSource", "false", "INVALID_OPERATION", "Cannot delete a standard value set: LeadSource")]
    assert _delete(metadata, "CustomObject", "Lead", "Nope__c") == [
        ("Lead", "false", "INVALID_OPERATION", "Cannot delete a standard object: Lead"),
        ("Nope__c", "false", "INVALID_CROSS_REFERENCE_KEY",
         "In field: fullName - no CustomObject named Nope__c found")]
    with app_db.db.read() as sql:
        lead = open_org(sql, app_db.org.org_id).schema.get("Lead")
    assert "Partner_Lead" in [rt.developer_name for rt in lead.record_types]

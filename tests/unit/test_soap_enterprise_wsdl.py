"""The Enterprise WSDL generated from an org's schema (app/soap/enterprise_wsdl.py): the org's own fields in
their object's type, objects and elements in Salesforce's ASCII (case-sensitive) order, custom lookups as
typed relationships (salesforce-bulk-enterprise-metadata.md §1: `SICCode__c` < `Salutation`)."""
from __future__ import annotations

import dataclasses

from lxml import etree

from sfmock.core.schema import registry
from sfmock.core.schema.model import FieldDef
from sfmock.soap import enterprise_wsdl

XSD = "http://www.w3.org/2001/XMLSchema"
ENS = "urn:sobject.enterprise.soap.sforce.com"


def _lead_elements(schema: object) -> list[tuple[str, str]]:
    root = etree.fromstring(enterprise_wsdl.document(schema, "http://h/services/Soap/c/59.0", "59.0", "Org"))
    [lead] = root.iterfind(f".//{{{XSD}}}schema[@targetNamespace='{ENS}']/{{{XSD}}}complexType[@name='Lead']")
    return [(e.get("name"), e.get("type")) for e in lead.iter(f"{{{XSD}}}element")]


def test_custom_fields_are_in_the_type_in_ascii_order() -> None:
    lead = registry.get("Lead")
    added = (FieldDef("SICCode__c", "string", length=10, custom=True),
             FieldDef("Big_Deal__c", "boolean", custom=True),
             FieldDef("Scout__c", "reference", reference_to=("Account",), relationship_name="Scout__r",
                      custom=True))
    # A fresh field index (`_by_lower`), so the standard registry's Lead is left as it was.
    schema = registry.replaced([dataclasses.replace(lead, fields=lead.fields + added, _by_lower={})])
    elements = _lead_elements(schema)
    names = [name for name, _ in elements]
    assert names == sorted(names) and "Id" not in names
    assert names.index("SICCode__c") < names.index("Salutation") < names.index("Scout__c")
    types = dict(elements)
    assert (types["SICCode__c"], types["Big_Deal__c"], types["Scout__c"], types["Scout__r"]) == (
        "xsd:string", "xsd:boolean", "tns:ID", "ens:Account")
    assert "SICCode__c" not in dict(_lead_elements(registry))  # another org's schema never has it
    assert registry.get("Lead").field("SICCode__c") is None


def test_the_heading_names_the_version_and_the_org() -> None:
    document = enterprise_wsdl.document(registry, "http://h/services/Soap/c/59.0", "59.0", "Acme -- Corp")
    assert document.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<!--\nSalesforce.com Enterprise Web '
                               b"Services API Version 59.0\nGenerated on ")
    assert b" for Acme - Corp by sfmock." in document

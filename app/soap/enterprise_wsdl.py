"""The Enterprise WSDL of one org, generated from its schema (`store.schema`) as Salesforce generates it.

Everything but the sObject types is the Partner WSDL's (wsdl/partner.wsdl: the same operations, headers and
result types; "the v51 E WSDL and v58 P WSDL have identical operation names") moved into the Enterprise
namespaces. The sobject schema is Salesforce's shape (salesforce-bulk-enterprise-metadata.md §1, from a real
org's enterprise WSDL): `sObject` = fieldsToNull*, Id; `AggregateResult` (sObject plus lax <any>); then one
complexType per object extending ens:sObject, objects and elements both in ASCII order (case-sensitive), every
element `nillable="true" minOccurs="0"`, fields and relationships interleaved: a parent relationship typed as
its object (`ens:Account`), a polymorphic one (Lead/Case.Owner) as `ens:sObject`, a child relationship as
`tns:QueryResult`. app/soap/sobjects.py writes typed records in the same order, which zeep relies on.
"""
from __future__ import annotations

import copy
import re
from datetime import UTC, datetime
from functools import lru_cache

from lxml import etree

from sfmock.core.relationships import child_relationships
from sfmock.core.schema import SchemaRegistry, SObjectDef
from sfmock.soap import wsdl
from sfmock.soap.family import ENTERPRISE, PARTNER

XSD = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"
SOAP = "http://schemas.xmlsoap.org/wsdl/soap/"
_TEXT_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)


@lru_cache(maxsize=1)
def _template() -> etree._Element:
    """The Partner WSDL moved into the Enterprise namespaces (the sobject namespace first: its name contains
    the Partner one's tail but not its `urn:` head)."""
    text = wsdl.template()
    for old, new in ((PARTNER.ens, ENTERPRISE.ens), (PARTNER.fns, ENTERPRISE.fns),
                     (PARTNER.tns, ENTERPRISE.tns)):
        text = text.replace(old, new)
    return etree.fromstring(text.encode("utf-8"), _TEXT_PARSER)


def _x(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{XSD}}}{tag}", attrs)


def _element(sequence: etree._Element, name: str, kind: str) -> None:
    _x(sequence, "element", name=name, nillable="true", minOccurs="0", type=kind)


def _extension(schema: etree._Element, name: str) -> etree._Element:
    """`<complexType name><complexContent><extension base="ens:sObject"><sequence>`: the sequence."""
    content = _x(_x(schema, "complexType", name=name), "complexContent")
    return _x(_x(content, "extension", base="ens:sObject"), "sequence")


def _elements(sobject: SObjectDef, schema: SchemaRegistry) -> dict[str, str]:
    """Element name -> type for every field the org gives the object, its parents and its children."""
    known = {o.name for o in schema.all()}
    out: dict[str, str] = {}
    for field in sobject.api_fields():
        if field.name == "Id":
            continue  # inherited from ens:sObject
        out[field.name] = field.soap_type
        if field.type == "reference" and field.relationship_name:
            targets = [t for t in field.reference_to if t in known]
            out[field.relationship_name] = f"ens:{targets[0]}" if len(field.reference_to) == 1 and targets \
                else "ens:sObject"
    for relationship in child_relationships(sobject, schema):
        out[relationship.name] = "tns:QueryResult"
    return out


def _sobject_schema(target: etree._Element, schema: SchemaRegistry) -> None:
    """Replaces the sobject schema's types with the base sObject, AggregateResult and one type per object."""
    for child in [c for c in target if not isinstance(c.tag, str) or etree.QName(c).localname != "import"]:
        target.remove(child)
    base = _x(_x(target, "complexType", name="sObject"), "sequence")
    _x(base, "element", name="fieldsToNull", type="xsd:string", nillable="true", minOccurs="0",
       maxOccurs="unbounded")
    _x(base, "element", name="Id", type="tns:ID", nillable="true")
    _x(_extension(target, "AggregateResult"), "any", namespace="##targetNamespace", minOccurs="0",
       maxOccurs="unbounded", processContents="lax")
    for sobject in sorted(schema.all(), key=lambda o: o.name):
        sequence = _extension(target, sobject.name)
        for name, kind in sorted(_elements(sobject, schema).items()):
            _element(sequence, name, kind)


def document(schema: SchemaRegistry, location: str, version: str, org_name: str | None = None) -> bytes:
    """The org's Enterprise WSDL with its soap:address at `location` (Salesforce's has no org id in it)."""
    root = copy.deepcopy(_template())
    [target] = root.iterfind(f"{{{WSDL}}}types/{{{XSD}}}schema[@targetNamespace='{ENTERPRISE.ens}']")
    _sobject_schema(target, schema)
    root.find(f".//{{{SOAP}}}address").set("location", location)
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S +0000")
    org_name = re.sub("-+", "-", org_name or "").strip("-")  # an XML comment holds no "--"
    # Salesforce's own heading (a real enterprise WSDL: "Salesforce.com Enterprise Web Services API Version
    # 51.0 / Generated on 2021-06-08 17:20:02 +0000."), naming the org it was generated for.
    heading = etree.Comment(f"\nSalesforce.com Enterprise Web Services API Version {version}\nGenerated on "
                            f"{generated}{f' for {org_name}' if org_name else ''} by sfmock.\n")
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(heading, encoding="UTF-8") + b"\n"
            + etree.tostring(root, encoding="UTF-8", pretty_print=True))

"""sObjects on the wire, for both families. Partner: reading `type, fieldsToNull*, Id, <field>*` into
RecordInput, and writing records back as `<x xsi:type="sf:sObject"><sf:type/><sf:Id/>…</x>` the way
Salesforce's query and retrieve responses do. Enterprise: the object is the sObject's xsi:type
(`<sObjects xsi:type="urn1:Lead">`) and records are written typed (`<records xsi:type="sf:Lead">`, no sf:type,
Id once, nulls omitted), salesforce-bulk-enterprise-metadata.md §1.

Fields are matched by local name whatever their namespace: zeep qualifies them with the sobject namespace,
jsforce's conn.soap puts them unqualified under a "sobject.partner.soap.sforce.com" (no urn:) element, and
hand-written clients use the partner namespace (wire-captures/README.md).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from lxml import etree

from sfmock.core.errors import CallError
from sfmock.core.results import RecordInput
from sfmock.core.schema import registry
from sfmock.soap.envelope import children, is_nil, local
from sfmock.soap.family import PARTNER, Family
from sfmock.soap.faults import XSI
from sfmock.soap.values import text

_XSI_TYPE = f"{{{XSI}}}type"
_XSI_NIL = f"{{{XSI}}}nil"


def concrete_type(element: etree._Element) -> str:
    """An Enterprise sObject's object: its xsi:type's local name (whatever prefix the client bound). Without
    one, or with the abstract sObject, Salesforce refuses the call: "INVALID_TYPE: Must send a concrete entity
    type." (the fault a zeep user got from a real org, salesforce-bulk-enterprise-metadata.md §1)."""
    declared = (element.get(_XSI_TYPE) or "").strip()
    name = declared.rpartition(":")[2]
    if not name or name == "sObject":
        raise CallError("INVALID_TYPE", "Must send a concrete entity type.")
    return name


def read(element: etree._Element, family: Family = PARTNER) -> RecordInput:
    """One sObject element as the core's RecordInput: field values stay text (the core converts by type),
    xsi:nil fields are left out. Partner: the `type` element names the object and an xsi:type on the sObject
    is tolerated and ignored; Enterprise: the xsi:type names it."""
    sobject = concrete_type(element) if family.typed else ""
    record_id: str | None = None
    nulls: list[str] = []
    values: dict[str, Any] = {}
    for child in children(element):
        name = local(child)
        nil = is_nil(child)
        if name == "type" and not family.typed:
            sobject = (child.text or "").strip()
        elif name == "fieldsToNull":
            if not nil and (child.text or "").strip():
                nulls.append(child.text.strip())
        elif name == "Id":
            record_id = None if nil or not (child.text or "").strip() else child.text.strip()
        elif not nil:
            # A nil field element is absent, as in Salesforce's SOAP API: nulling takes fieldsToNull.
            values[name] = child.text or ""
    return RecordInput(sobject, values, tuple(nulls), record_id)


def _field_type(sobject: str, name: str) -> str | None:
    found = registry.get(sobject)
    field = found.field(name) if found else None
    return field.type if field else None


class Record:
    """A record to write: its type, its selected fields in order (name, value) and the Id for the leading
    sf:Id element (by default the selected Id field's value, nil when Id was not selected). `concrete` is the
    actual object of a polymorphic parent (User or Group where the Partner type says "Name")."""

    __slots__ = ("concrete", "fields", "id", "sobject")

    def __init__(self, sobject: str, fields: Iterable[tuple[str, Any]], record_id: Any = ...,
                 concrete: str | None = None) -> None:
        self.sobject = sobject
        self.fields = list(fields)
        self.id = next((v for n, v in self.fields if n == "Id"), None) if record_id is ... else record_id
        self.concrete = concrete or sobject


def write(parent: etree._Element, tag: str, record: Record, family: Family = PARTNER) -> etree._Element:
    """The record in the family's shape (Partner: sf:sObject with sf:type; Enterprise: typed)."""
    if family.typed:
        return _write_typed(parent, tag, record, family)
    return _write_partner(parent, tag, record, family)


def _write_partner(parent: etree._Element, tag: str, record: Record, family: Family) -> etree._Element:
    """`<tag xsi:type="sf:sObject">`: sf:type, sf:Id, then every selected field in order, so a selected Id
    appears twice (Partner query/retrieve responses). Record values are nested relationship records
    (`<sf:Owner xsi:type="sf:sObject">…`); None is xsi:nil."""
    node = _open(parent, tag, record, "sObject")
    ens = family.ens
    etree.SubElement(node, f"{{{ens}}}type").text = record.sobject
    _write_id(node, ens, record)
    for name, value in record.fields:
        if isinstance(value, Record):
            _write_partner(node, f"{{{ens}}}{name}", value, family)
            continue
        if isinstance(value, Children):
            _write_children(node, name, value, family)
            continue
        child = etree.SubElement(node, f"{{{ens}}}{name}")
        if value is None:
            child.set(_XSI_NIL, "true")
        else:
            _write_value(child, record, name, value)
    return node


def _open(parent: etree._Element, tag: str, record: Record, xsi_type: str) -> etree._Element:
    """The record's element, `xsi:type="sf:<xsi_type>"` (aggregate rows also bind xsd for their values)."""
    node = etree.SubElement(parent, tag, nsmap={"xsd": _XSD} if record.sobject == AGGREGATE else None)
    node.set(_XSI_TYPE, f"sf:{xsi_type}")
    return node


def _write_id(node: etree._Element, ens: str, record: Record) -> None:
    first = etree.SubElement(node, f"{{{ens}}}Id")
    if record.id is None:
        first.set(_XSI_NIL, "true")
    else:
        first.text = str(record.id)


def _write_value(child: etree._Element, record: Record, name: str, value: Any) -> None:
    if record.sobject == AGGREGATE:
        # AggregateResult has no schema: each value names its type (xsi:type="xsd:int" …), as
        # Salesforce's aggregate rows do, so that zeep reads numbers as numbers [XML UNCONFIRMED].
        child.set(_XSI_TYPE, f"xsd:{_xsd_type(value)}")
    child.text = text(value, _field_type(record.sobject, name))


def _write_typed(parent: etree._Element, tag: str, record: Record, family: Family) -> etree._Element:
    """`<tag xsi:type="sf:Lead">`: Id once and first, then the selected fields that hold a value, parents
    typed (`<sf:Owner xsi:type="sf:User">`), child subqueries as QueryResult; nulls omitted
    (salesforce-bulk-enterprise-metadata.md §1, "Responses compared with partner"). Fields go in the order of
    the type in the generated WSDL (Id from ens:sObject first, then ASCII order, app/soap/enterprise_wsdl.py):
    zeep reads a typed record as its schema's sequence and refuses elements out of order.

    An Id that was not selected is written `<sf:Id xsi:nil="true"/>`. The evidence: a v35 enterprise reply
    writes it so for a nested parent (`<sf:Precinct__r xsi:type="sf:Precinct__c"><sf:Id xsi:nil="true"/>`),
    and the enterprise WSDL declares ens:sObject's Id required and nillable (no minOccurs: Salesforce's
    generated enterprise.wsdl, and the WSC/JAXB classes generated from it), so zeep, strict by default,
    refuses a record whose fields follow a missing Id ("Unexpected element … expected Id"). Against it: an
    older reply recorded by salesforce-python-toolkit's tests (queryAll `SELECT Account.Name, FirstName,
    LastName FROM Contact`) leaves Id out of the record and of its parent, which the notes
    (salesforce-bulk-enterprise-metadata.md §1) follow. [UNCONFIRMED] for a current API version's top-level
    record; the nil element is what the current WSDL allows."""
    node = _open(parent, tag, record, record.concrete)
    ens = family.ens
    _write_id(node, ens, record)
    fields = record.fields if record.sobject == AGGREGATE else sorted(record.fields, key=lambda pair: pair[0])
    for name, value in fields:
        if value is None or name == "Id":
            continue
        if isinstance(value, Record):
            _write_typed(node, f"{{{ens}}}{name}", value, family)
        elif isinstance(value, Children):
            _write_children(node, name, value, family)
        else:
            _write_value(etree.SubElement(node, f"{{{ens}}}{name}"), record, name, value)
    return node


AGGREGATE = "AggregateResult"
_XSD = "http://www.w3.org/2001/XMLSchema"


def _xsd_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "double"
    if isinstance(value, dt.datetime):
        return "dateTime"
    if isinstance(value, dt.date):
        return "date"
    return "string"


class Children:
    """A child subquery's result inside a record: a QueryResult of its own (done, queryLocator, records,
    size), written as `<sf:Cases xsi:type="QueryResult">` (Partner WSDL: a child relationship's value)."""

    def __init__(self, records: list[Record], size: int, done: bool = True) -> None:
        self.records, self.size, self.done = records, size, done


def _write_children(parent: etree._Element, name: str, value: Children, family: Family) -> None:
    node = etree.SubElement(parent, f"{{{family.ens}}}{name}")
    # The result type lives in the API namespace (the response's default one), named as in the WSDL.
    node.set(_XSI_TYPE, "QueryResult")
    tns = family.tns
    etree.SubElement(node, f"{{{tns}}}done").text = "true" if value.done else "false"
    etree.SubElement(node, f"{{{tns}}}queryLocator").set(_XSI_NIL, "true")
    for record in value.records:
        write(node, f"{{{tns}}}records", record, family)
    etree.SubElement(node, f"{{{tns}}}size").text = str(value.size)


def from_query_record(record: Any) -> Record:
    """A SOQL engine QueryRecord (sobject, id, fields with nested QueryRecords) as a Record."""
    fields: list[tuple[str, Any]] = []
    for name, value in record.fields:
        if hasattr(value, "fields") and hasattr(value, "sobject"):
            value = from_query_record(value)
        elif hasattr(value, "records") and hasattr(value, "total_size"):
            value = Children([from_query_record(r) for r in value.records], value.total_size, value.done)
        fields.append((name, value))
    return Record(record.sobject, fields, concrete=getattr(record, "url_type", None))

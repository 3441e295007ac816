"""Partner sObjects: reading `type, fieldsToNull*, Id, <field>*` into RecordInput, and writing records back as
`<x xsi:type="sf:sObject"><sf:type/><sf:Id/>…</x>` the way Salesforce's query and retrieve responses do.

Fields are matched by local name whatever their namespace: zeep qualifies them with the sobject namespace,
jsforce's conn.soap puts them unqualified under a "sobject.partner.soap.sforce.com" (no urn:) element, and
hand-written clients use the partner namespace (wire-captures/README.md).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from lxml import etree

from sfmock.core.results import RecordInput
from sfmock.core.schema import registry
from sfmock.soap.envelope import children, is_nil, local
from sfmock.soap.faults import XSI
from sfmock.soap.partner_types import ENS, TNS
from sfmock.soap.values import text

_XSI_TYPE = f"{{{XSI}}}type"
_XSI_NIL = f"{{{XSI}}}nil"


def read(element: etree._Element) -> RecordInput:
    """One sObject element as the core's RecordInput: field values stay text (the core converts by type),
    xsi:nil fields are left out, an xsi:type on the sObject is tolerated and ignored."""
    sobject = ""
    record_id: str | None = None
    nulls: list[str] = []
    values: dict[str, Any] = {}
    for child in children(element):
        name = local(child)
        nil = is_nil(child)
        if name == "type":
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
    sf:Id element (by default the selected Id field's value, nil when Id was not selected)."""

    __slots__ = ("fields", "id", "sobject")

    def __init__(self, sobject: str, fields: Iterable[tuple[str, Any]], record_id: Any = ...) -> None:
        self.sobject = sobject
        self.fields = list(fields)
        self.id = next((v for n, v in self.fields if n == "Id"), None) if record_id is ... else record_id


def write(parent: etree._Element, tag: str, record: Record) -> etree._Element:
    """`<tag xsi:type="sf:sObject">`: sf:type, sf:Id, then every selected field in order, so a selected Id
    appears twice (Partner query/retrieve responses). Record values are nested relationship records
    (`<sf:Owner xsi:type="sf:sObject">…`); None is xsi:nil."""
    node = etree.SubElement(parent, tag, nsmap={"xsd": _XSD} if record.sobject == AGGREGATE else None)
    node.set(_XSI_TYPE, "sf:sObject")
    etree.SubElement(node, f"{{{ENS}}}type").text = record.sobject
    first = etree.SubElement(node, f"{{{ENS}}}Id")
    if record.id is None:
        first.set(_XSI_NIL, "true")
    else:
        first.text = str(record.id)
    for name, value in record.fields:
        if isinstance(value, Record):
            write(node, f"{{{ENS}}}{name}", value)
            continue
        if isinstance(value, Children):
            _write_children(node, name, value)
            continue
        child = etree.SubElement(node, f"{{{ENS}}}{name}")
        if value is None:
            child.set(_XSI_NIL, "true")
        else:
            if record.sobject == AGGREGATE:
                # AggregateResult has no schema: each value names its type (xsi:type="xsd:int" …), as
                # Salesforce's aggregate rows do, so that zeep reads numbers as numbers [XML UNCONFIRMED].
                child.set(_XSI_TYPE, f"xsd:{_xsd_type(value)}")
            child.text = text(value, _field_type(record.sobject, name))
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


def _write_children(parent: etree._Element, name: str, value: Children) -> None:
    node = etree.SubElement(parent, f"{{{ENS}}}{name}")
    node.set(_XSI_TYPE, "QueryResult")
    etree.SubElement(node, f"{{{TNS}}}done").text = "true" if value.done else "false"
    etree.SubElement(node, f"{{{TNS}}}queryLocator").set(_XSI_NIL, "true")
    for record in value.records:
        write(node, f"{{{TNS}}}records", record)
    etree.SubElement(node, f"{{{TNS}}}size").text = str(value.size)


def from_query_record(record: Any) -> Record:
    """A SOQL engine QueryRecord (sobject, id, fields with nested QueryRecords) as a Record."""
    fields: list[tuple[str, Any]] = []
    for name, value in record.fields:
        if hasattr(value, "fields") and hasattr(value, "sobject"):
            value = from_query_record(value)
        elif hasattr(value, "records") and hasattr(value, "total_size"):
            value = Children([from_query_record(r) for r in value.records], value.total_size, value.done)
        fields.append((name, value))
    return Record(record.sobject, fields)

"""The one response serializer: walks the spyne types of app/soap/partner_types.py (element order, minOccurs,
nillable) and writes Salesforce's response shape with lxml: a `soapenv:`-prefixed envelope, unprefixed
elements in the family's default namespace (urn:partner.soap.sforce.com or urn:enterprise.soap.sforce.com),
sObject fields under `sf:` (its sobject namespace), LimitInfoHeader."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from lxml import etree
from spyne.model import AnyXml
from spyne.model.complex import ComplexModelBase
from spyne.model.primitive import Boolean, DateTime

from sfmock.soap.family import PARTNER, Family
from sfmock.soap.faults import SOAP_ENV, XSI
from sfmock.soap.partner_types import SINCE
from sfmock.soap.sobjects import Record
from sfmock.soap.sobjects import write as write_record
from sfmock.soap.values import datetime_text, text

_XSI_NIL = f"{{{XSI}}}nil"
_XSI_TYPE = f"{{{XSI}}}type"
XSD = "http://www.w3.org/2001/XMLSchema"
# xsi:type Salesforce puts on Partner result elements whose declared type clients may need spelled out; the
# Enterprise API writes a plain `<result>` (salesforce-bulk-enterprise-metadata.md §1).
_RESULT_XSI_TYPES = {"QueryResult": "QueryResult"}


def _get(value: Any, name: str) -> Any:
    if isinstance(value, Mapping):
        return value.get(name)
    return getattr(value, name, None)


def _is_complex(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, ComplexModelBase)


def _primitive_text(cls: type[Any], value: Any) -> str:
    if issubclass(cls, Boolean):
        return "true" if value else "false"
    if issubclass(cls, DateTime) and isinstance(value, datetime):
        return datetime_text(value)
    return text(value)


def write_value(parent: etree._Element, name: str, cls: type[Any], value: Any, version: float, *,
                item: bool = False, family: Family = PARTNER) -> None:
    """One declared element (repeated for maxOccurs > 1) under `parent`, following the declaration:
    None is left out when minOccurs=0, else xsi:nil when nillable; a required, non-nillable None is a bug."""
    attrs = cls.Attributes
    tag = f"{{{family.tns}}}{name}"
    if attrs.max_occurs > 1 and not item:
        for one in value or ():
            write_value(parent, name, cls, one, version, item=True, family=family)
        return
    if value is None:
        # An absent optional element is left out; a required (or array item) one is written as xsi:nil.
        if attrs.min_occurs == 0 and not item:
            return
        if attrs.nillable:
            etree.SubElement(parent, tag).set(_XSI_NIL, "true")
            return
        raise ValueError(f"required element {name} has no value")
    if isinstance(value, Record):
        write_record(parent, tag, value, family)
        return
    if _is_complex(cls):
        node = etree.SubElement(parent, tag)
        type_name = cls.get_type_name()
        if not family.typed and name == "result" and isinstance(type_name, str) \
                and type_name in _RESULT_XSI_TYPES:
            node.set(_XSI_TYPE, _RESULT_XSI_TYPES[type_name])
        write_fields(node, cls, value, version, family)
        return
    if issubclass(cls, AnyXml):
        # xsd:anyType content (Field.defaultValue): Salesforce names its type, e.g. xsi:type="xsd:boolean".
        node = etree.SubElement(parent, tag, nsmap={"xsd": XSD})
        xsd_type = ("boolean" if isinstance(value, bool) else "double" if isinstance(value, float)
                    else "string")
        node.set(_XSI_TYPE, f"xsd:{xsd_type}")
    else:
        node = etree.SubElement(parent, tag)
    node.text = _primitive_text(cls, value)


def write_fields(node: etree._Element, cls: type[Any], value: Any, version: float,
                 family: Family = PARTNER) -> None:
    """The elements of complex type `cls` in declaration order, skipping those newer than `version`."""
    type_name = cls.get_type_name()
    for name, field_cls in cls.get_flat_type_info(cls).items():
        since = SINCE.get((type_name, name))
        if since is not None and version < since:
            continue
        write_value(node, name, field_cls, _get(value, name), version, family=family)


def envelope(usage: tuple[int, int] | None,
             family: Family = PARTNER) -> tuple[etree._Element, etree._Element]:
    """(root, body) of a response envelope, with LimitInfoHeader when the call counted against the limit."""
    tns = family.tns
    root = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soapenv": SOAP_ENV, None: tns, "xsi": XSI,
                                                            "sf": family.ens})
    if usage is not None:
        header = etree.SubElement(root, f"{{{SOAP_ENV}}}Header")
        info = etree.SubElement(etree.SubElement(header, f"{{{tns}}}LimitInfoHeader"), f"{{{tns}}}limitInfo")
        etree.SubElement(info, f"{{{tns}}}current").text = str(usage[0])
        etree.SubElement(info, f"{{{tns}}}limit").text = str(usage[1])
        etree.SubElement(info, f"{{{tns}}}type").text = "API REQUESTS"
    return root, etree.SubElement(root, f"{{{SOAP_ENV}}}Body")


def response(message_cls: type[Any], result: Any, *, version: float, usage: tuple[int, int] | None,
             family: Family = PARTNER) -> bytes:
    """The whole response document for an operation whose output message type is `message_cls`
    (e.g. createResponse{result:SaveResult*}); `result` is the value of its only part."""
    root, body = envelope(usage, family)
    node = etree.SubElement(body, f"{{{family.tns}}}{message_cls.get_type_name()}")
    for name, field_cls in message_cls.get_flat_type_info(message_cls).items():
        write_value(node, name, field_cls, result, version, family=family)
    return b'<?xml version="1.0" encoding="UTF-8"?>' + etree.tostring(root, encoding="UTF-8")

"""The Metadata API on the wire: arguments read by their spyne declarations (order-free, by local name:
jsforce and the sf CLI send DeployOptions in object-key order, §4.1), responses written in WSDL order
under a `soapenv:`-prefixed envelope with the metadata namespace as default (jsforce looks up
`*:Envelope/*:Body`), and faults as Salesforce's metadata endpoint sends them (HTTP 500, `xmlns:sf` the
metadata namespace, faultcode `sf:CODE`, faultstring `CODE: message`;
salesforce-bulk-enterprise-metadata.md §4.1)."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from lxml import etree
from spyne.model import AnyXml
from spyne.model.complex import ComplexModelBase
from spyne.model.primitive import Boolean, DateTime, Double, Int, Long

from sfmock.metadata.types import MNS
from sfmock.soap.envelope import children, is_nil, local
from sfmock.soap.faults import SOAP_ENV, XSI, SoapFault
from sfmock.soap.values import datetime_text, parse_boolean, parse_int, text
from sfmock.soap.xmltext import xml_text

_XSI_NIL = f"{{{XSI}}}nil"


def read_argument(elements: list[etree._Element], cls: type[Any]) -> Any:
    many = cls.Attributes.max_occurs > 1
    present = [e for e in elements if not is_nil(e)]
    if issubclass(cls, AnyXml):
        values: list[Any] = present  # Metadata subtypes stay XML (read by app/orgs' readers)
    elif issubclass(cls, ComplexModelBase):
        values = [read_complex(e, cls) for e in present]
    else:
        values = [_primitive(e.text or "", cls, local(e)) for e in present]
    return values if many else (values[0] if values else None)


def read_complex(element: etree._Element, cls: type[Any]) -> dict[str, Any]:
    grouped: dict[str, list[etree._Element]] = {}
    for child in children(element):
        grouped.setdefault(local(child), []).append(child)
    return {name: read_argument(grouped.get(name, []), inner)
            for name, inner in cls.get_flat_type_info(cls).items()}


def _primitive(raw: str, cls: type[Any], name: str) -> Any:
    if issubclass(cls, Boolean):
        return parse_boolean(raw, name)
    if issubclass(cls, Int | Long):
        return parse_int(raw, name)
    if issubclass(cls, Double):
        try:
            return float(raw)
        except ValueError:
            return None
    return raw.strip()


def _get(value: Any, name: str) -> Any:
    return value.get(name) if isinstance(value, Mapping) else getattr(value, name, None)


def write_value(parent: etree._Element, name: str, cls: type[Any], value: Any, *, item: bool = False) -> None:
    attrs = cls.Attributes
    tag = f"{{{MNS}}}{name}"
    if attrs.max_occurs > 1 and not item:
        for one in value or ():
            write_value(parent, name, cls, one, item=True)
        return
    if value is None:
        if attrs.min_occurs == 0 and not item:
            return
        raise ValueError(f"required element {name} has no value")
    if issubclass(cls, AnyXml):
        parent.append(value)  # a Metadata record, already named and typed
        return
    node = etree.SubElement(parent, tag)
    if issubclass(cls, ComplexModelBase):
        for field, field_cls in cls.get_flat_type_info(cls).items():
            write_value(node, field, field_cls, _get(value, field))
    elif issubclass(cls, Boolean):
        node.text = "true" if value else "false"
    elif issubclass(cls, DateTime) and isinstance(value, datetime):
        node.text = datetime_text(value)
    else:
        node.text = text(value)


def response(message_cls: type[Any], result: Any) -> bytes:
    root = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soapenv": SOAP_ENV, None: MNS, "xsi": XSI})
    body = etree.SubElement(root, f"{{{SOAP_ENV}}}Body")
    node = etree.SubElement(body, f"{{{MNS}}}{message_cls.get_type_name()}")
    for name, field_cls in message_cls.get_flat_type_info(message_cls).items():
        write_value(node, name, field_cls, result)
    return b'<?xml version="1.0" encoding="UTF-8"?>' + etree.tostring(root, encoding="UTF-8")


def render_fault(fault: SoapFault) -> bytes:
    """A metadata fault: no fns detail element (the Metadata WSDL declares no faults), sf bound to its
    namespace, as the real INVALID_SESSION_ID reply (§4.1)."""
    root = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soapenv": SOAP_ENV, "sf": MNS, "xsi": XSI})
    node = etree.SubElement(etree.SubElement(root, f"{{{SOAP_ENV}}}Body"), f"{{{SOAP_ENV}}}Fault")
    etree.SubElement(node, "faultcode").text = fault.faultcode
    etree.SubElement(node, "faultstring").text = xml_text(fault.faultstring)
    return b'<?xml version="1.0" encoding="UTF-8"?>' + etree.tostring(root, encoding="UTF-8")

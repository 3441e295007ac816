"""Calls the spyne application in-process: the Body's first element names the operation (SOAPAction is
ignored), its arguments and the accepted headers are read by their spyne declarations, and spyne's
process_request runs the @rpc method. No WSGI bridge: the door calls Dispatcher.call on the event loop when
nothing in the operation waits, else in the thread pool (sfmock.call_lanes)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import spyne.const
from lxml import etree
from spyne import MethodContext
from spyne.model.complex import ComplexModel
from spyne.model.primitive import Int
from spyne.server._base import ServerBase

from sfmock.soap import headers as header_reader
from sfmock.soap import sobjects
from sfmock.soap.context import SoapContext
from sfmock.soap.envelope import Envelope, children, is_nil, local
from sfmock.soap.family import PARTNER, Family
from sfmock.soap.faults import client_fault
from sfmock.soap.partner_types import SObject
from sfmock.soap.service import applications
from sfmock.soap.values import parse_int

# spyne runs a full gc.collect() when a call's context closes, at most once a second, to close attachment
# files (spyne/context.py, MethodContext.close): sfmock has no attachments, and that collection cost SOAP
# calls hundreds of milliseconds at p99 under load. Python's own collector still runs as usual.
spyne.const.MIN_GC_INTERVAL = float("inf")


@dataclass
class Outcome:
    """The operation's output message type (e.g. createResponse) and the value of its `result` part."""

    message: type[Any]
    result: Any


class _Transport(ServerBase):
    transport = "sfmock://in-process"


def _read_complex(element: etree._Element, cls: type[Any], family: Family) -> dict[str, Any]:
    """A structured argument (MergeRequest…) as a dict of its elements, each read by its declared type."""
    grouped: dict[str, list[etree._Element]] = {}
    for child in children(element):
        grouped.setdefault(local(child), []).append(child)
    return {name: _read_argument(grouped.get(name, []), inner, family)
            for name, inner in cls._type_info.items()}


def _read_argument(elements: list[etree._Element], cls: type[Any], family: Family) -> Any:
    many = cls.Attributes.max_occurs > 1
    if issubclass(cls, SObject):
        records = [sobjects.read(e, family) for e in elements if not is_nil(e)]
        return records if many else (records[0] if records else None)
    if issubclass(cls, ComplexModel):
        values = [_read_complex(e, cls, family) for e in elements if not is_nil(e)]
        return values if many else (values[0] if values else None)
    texts = [None if is_nil(e) else (e.text or "") for e in elements]
    if issubclass(cls, Int):
        texts = [None if t is None else parse_int(t, cls.get_type_name()) for t in texts]
    if many:
        return [t for t in texts if t is not None]
    return texts[0] if texts else None


class Dispatcher:
    """The operations of one API family (Partner or Enterprise), each its own spyne Application."""

    def __init__(self, family: Family = PARTNER) -> None:
        self.family = family
        self.app = application = applications[family.name]
        self.transport = _Transport(application)
        # Operation local name -> spyne method descriptor (Salesforce's operations live in one namespace).
        self.methods = {key.partition("}")[2]: found[0]
                        for key, found in application.interface.service_method_map.items()}

    def descriptor(self, envelope: Envelope) -> Any:
        found = self.methods.get(envelope.operation)
        if found is None:
            # Text of Salesforce's Axis-based endpoint for an unknown operation [UNCONFIRMED wording].
            namespace = envelope.namespace or self.family.tns
            raise client_fault(f"No operation available for request {{{namespace}}}"
                               f"{envelope.operation}, please check the WSDL for the service.")
        return found

    def arguments(self, descriptor: Any, body: etree._Element) -> list[Any]:
        """The operation element's children, grouped by local name, in the order spyne declares them."""
        grouped: dict[str, list[etree._Element]] = {}
        for child in children(body):
            grouped.setdefault(local(child), []).append(child)
        return [_read_argument(grouped.get(name, []), cls, self.family)
                for name, cls in descriptor.in_message._type_info.items()]

    def call(self, envelope: Envelope, context: SoapContext) -> Outcome:
        descriptor = self.descriptor(envelope)
        context.headers = header_reader.read(envelope.headers, descriptor.in_header or ())
        context.operation = envelope.operation
        ctx = MethodContext(self.transport, MethodContext.SERVER)
        ctx.descriptor = descriptor
        ctx.method_request_string = f"{{{self.family.tns}}}{envelope.operation}"
        ctx.udc = context
        ctx.in_header = context.headers
        ctx.in_object = self.arguments(descriptor, envelope.body)
        try:
            self.app.process_request(ctx)
        finally:
            ctx.close()
        if context.error is not None:
            raise context.error
        if ctx.out_error is not None:
            raise RuntimeError(f"spyne could not run {envelope.operation}: {ctx.out_error}")
        result = ctx.out_object[0] if ctx.out_object else None
        return Outcome(descriptor.out_message, result)

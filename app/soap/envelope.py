"""Reading a request envelope safely: hardened lxml parsing, no DTDs or entities, bounded depth; the Header's
blocks and the Body's first element, all matched by local name (clients re-bind prefixes and namespaces)."""
from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from sfmock.soap.faults import SOAP_ENV, XSI, client_fault

MAX_DEPTH = 100
_NIL = f"{{{XSI}}}nil"


def _parser() -> etree.XMLParser:
    # No entity resolution, no network, no DTD loading, libxml2's default (non-huge) limits.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           dtd_validation=False, remove_comments=True, remove_pis=True, collect_ids=False)


_PARSER = _parser()
# An element deeper than MAX_DEPTH exists when this path matches (evaluated in libxml2, no Python walk).
_TOO_DEEP = etree.XPath("boolean(" + "/*" * (MAX_DEPTH + 1) + ")")


@dataclass
class Envelope:
    operation: str
    namespace: str | None
    body: etree._Element
    headers: dict[str, etree._Element] = field(default_factory=dict)


def local(element: etree._Element) -> str:
    return etree.QName(element).localname


def is_nil(element: etree._Element) -> bool:
    return element.get(_NIL, "").strip() in ("true", "1")


def children(element: etree._Element) -> list[etree._Element]:
    """Element children only (comments and processing instructions are removed by the parser anyway)."""
    return [c for c in element if isinstance(c.tag, str)]


def parse(data: bytes) -> Envelope:
    """The envelope, or a soapenv:Client fault for anything but a plain, well-formed SOAP 1.1 message."""
    if not data.strip():
        raise client_fault("Premature end of file: the request has no SOAP envelope")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        raise client_fault(f"Unable to parse the request as XML: {error.msg}") from None
    except ValueError as error:  # e.g. an encoding declaration lxml cannot use
        raise client_fault(f"Unable to parse the request as XML: {error}") from None
    # The one DOCTYPE check, after parsing: the parser above never loads, fetches or resolves anything a DTD
    # declares (libxml2 also caps entity amplification), and the parsed prolog is exact wherever the DOCTYPE
    # sits and whatever the encoding, while the same characters inside a CDATA section stay data.
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise client_fault("DOCTYPE is not allowed in a SOAP message")
    if _TOO_DEEP(root):
        raise client_fault(f"The request nests elements more than {MAX_DEPTH} levels deep")
    if not isinstance(root.tag, str) or root.tag != f"{{{SOAP_ENV}}}Envelope":
        raise client_fault(f"The request is not a SOAP 1.1 Envelope ({SOAP_ENV})")
    header, body = None, None
    for child in children(root):
        if child.tag == f"{{{SOAP_ENV}}}Header":
            header = child
        elif child.tag == f"{{{SOAP_ENV}}}Body":
            body = child
    if body is None:
        raise client_fault("The SOAP Envelope has no Body")
    parts = children(body)
    if not parts:
        raise client_fault("The SOAP Body is empty: no operation element")
    operation = parts[0]
    headers = {local(h): h for h in children(header)} if header is not None else {}
    return Envelope(local(operation), etree.QName(operation).namespace, operation, headers)

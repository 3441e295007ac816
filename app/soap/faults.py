"""SOAP faults exactly as Salesforce sends them (HTTP 500): faultcode sf:CODE, faultstring "CODE: message",
and a detail element of the fault class that the Partner WSDL declares, with exceptionCode/exceptionMessage
(+ row/column for ApiQueryFault subtypes). Malformed requests get a plain soapenv:Client fault."""
from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from sfmock.core.errors import QueryError, SalesforceError
from sfmock.soap.xmltext import xml_text
from sfmock.soql import diagnostics

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
FNS = "urn:fault.partner.soap.sforce.com"
# Enterprise faults are Partner-shaped with `sf` bound to urn:fault.enterprise.soap.sforce.com
# (salesforce-bulk-enterprise-metadata.md §1); the door passes the family's fault namespace.

# Which fns:*Fault carries each exception code. Sources: salesforce-api.md §1.4 (CumulusCI fixture for
# INVALID_SESSION_ID -> UnexpectedErrorFault, LoginFault for INVALID_LOGIN) and the WSDL's fault docs
# (InvalidSObjectFault: bad sObject; InvalidFieldFault: bad field; InvalidIdFault: bad id; ...).
# [UNCONFIRMED] the fault class of EXCEEDED_ID_LIMIT, UNSUPPORTED_API_VERSION and INVALID_OPERATION: no
# capture shows it; UnexpectedErrorFault is the WSDL's catch-all.
FAULT_CLASS = {
    "INVALID_LOGIN": "LoginFault",
    "LOGIN_MUST_USE_SECURITY_TOKEN": "LoginFault",
    "PASSWORD_LOCKOUT": "LoginFault",
    "INVALID_SESSION_ID": "UnexpectedErrorFault",
    "INVALID_TYPE": "InvalidSObjectFault",
    "INVALID_FIELD": "InvalidFieldFault",
    "MALFORMED_QUERY": "MalformedQueryFault",
    # SOSL: syntax errors are MalformedSearchFault (Partner WSDL, search); INVALID_SEARCH too [UNCONFIRMED].
    "MALFORMED_SEARCH": "MalformedSearchFault",
    "INVALID_SEARCH": "MalformedSearchFault",
    "INVALID_QUERY_LOCATOR": "InvalidQueryLocatorFault",
    "MALFORMED_ID": "InvalidIdFault",
    "INVALID_ID_FIELD": "InvalidIdFault",
}
QUERY_FAULTS = frozenset({"InvalidSObjectFault", "InvalidFieldFault", "MalformedQueryFault",
                          "MalformedSearchFault"})


@dataclass
class SoapFault(Exception):
    """A fault to send. `detail` is the fns fault element name; None for soapenv:Client/Server faults."""

    faultcode: str
    faultstring: str
    code: str = ""
    message: str = ""
    detail: str | None = None
    row: int = -1
    column: int = -1

    def __str__(self) -> str:
        return self.faultstring


def client_fault(message: str) -> SoapFault:
    """The request itself could not be read (not XML, not a SOAP envelope, refused construct)."""
    return SoapFault("soapenv:Client", message)


def api_fault(code: str, message: str, *, row: int = -1, column: int = -1) -> SoapFault:
    detail = FAULT_CLASS.get(code, "UnexpectedErrorFault")
    return SoapFault(f"sf:{code}", f"{code}: {message}", code, message, detail, row, column)


def query_message(error: QueryError, soql: str | None) -> str:
    """Salesforce prefixes a SOQL error with the statement, a caret and the position (exceptionMessage)."""
    return diagnostics.query_message(error, soql)


def from_error(error: SalesforceError, *, soql: str | None = None) -> SoapFault:
    """The fault for a core error that failed the whole call."""
    if isinstance(error, QueryError):
        # ApiQueryFault's row/column are required elements; Salesforce reports the SOQL position.
        return api_fault(error.code, query_message(error, soql), row=error.row, column=error.column)
    return api_fault(error.code, error.message)


def render(fault: SoapFault, fns: str = FNS) -> bytes:
    """The fault envelope (sf bound to the family's fault namespace, as in Salesforce's responses)."""
    nsmap = {"soapenv": SOAP_ENV, "sf": fns, "xsi": XSI}
    root = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap=nsmap)
    body = etree.SubElement(root, f"{{{SOAP_ENV}}}Body")
    node = etree.SubElement(body, f"{{{SOAP_ENV}}}Fault")
    etree.SubElement(node, "faultcode").text = fault.faultcode
    etree.SubElement(node, "faultstring").text = xml_text(fault.faultstring)
    if fault.detail is not None:
        detail = etree.SubElement(etree.SubElement(node, "detail"), f"{{{fns}}}{fault.detail}")
        detail.set(f"{{{XSI}}}type", f"sf:{fault.detail}")
        etree.SubElement(detail, f"{{{fns}}}exceptionCode").text = fault.code
        etree.SubElement(detail, f"{{{fns}}}exceptionMessage").text = xml_text(fault.message)
        if fault.detail in QUERY_FAULTS:
            # Outside SOQL (describe, create with a bad type) there is no position: -1 [UNCONFIRMED value].
            etree.SubElement(detail, f"{{{fns}}}row").text = str(fault.row)
            etree.SubElement(detail, f"{{{fns}}}column").text = str(fault.column)
    return b'<?xml version="1.0" encoding="UTF-8"?>' + etree.tostring(root, encoding="UTF-8")

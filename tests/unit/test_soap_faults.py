"""Faults as Salesforce sends them: sf:CODE, "CODE: message", the declared fns fault element with xsi:type."""
from __future__ import annotations

import pytest
from lxml import etree

from sfmock.core.errors import CallError, QueryError
from sfmock.soap.faults import client_fault, from_error, render

NS = {"s": "http://schemas.xmlsoap.org/soap/envelope/", "sf": "urn:fault.partner.soap.sforce.com",
      "xsi": "http://www.w3.org/2001/XMLSchema-instance"}


def _fault(xml: bytes) -> etree._Element:
    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return etree.fromstring(xml).find("s:Body/s:Fault", NS)


@pytest.mark.parametrize(("code", "detail"), [
    ("INVALID_LOGIN", "LoginFault"),
    ("INVALID_SESSION_ID", "UnexpectedErrorFault"),
    ("INVALID_TYPE", "InvalidSObjectFault"),
    ("INVALID_FIELD", "InvalidFieldFault"),
    ("MALFORMED_QUERY", "MalformedQueryFault"),
    ("INVALID_QUERY_LOCATOR", "InvalidQueryLocatorFault"),
    ("MALFORMED_ID", "InvalidIdFault"),
    ("EXCEEDED_ID_LIMIT", "UnexpectedErrorFault"),
    ("UNSUPPORTED_API_VERSION", "UnexpectedErrorFault"),
    ("INVALID_OPERATION", "UnexpectedErrorFault"),
    ("UNKNOWN_EXCEPTION", "UnexpectedErrorFault"),
])
def test_each_code_has_its_fault_element(code: str, detail: str) -> None:
    fault = _fault(render(from_error(CallError(code, "the message"))))
    assert fault.findtext("faultcode") == f"sf:{code}"
    assert fault.findtext("faultstring") == f"{code}: the message"
    element = fault.find(f"detail/sf:{detail}", NS)
    assert element is not None
    assert element.get(f"{{{NS['xsi']}}}type") == f"sf:{detail}"
    names = [etree.QName(c).localname for c in element]
    query_fault = detail in ("InvalidSObjectFault", "InvalidFieldFault", "MalformedQueryFault")
    assert names == ["exceptionCode", "exceptionMessage"] + (["row", "column"] if query_fault else [])
    assert element.findtext("sf:exceptionCode", namespaces=NS) == code
    assert element.findtext("sf:exceptionMessage", namespaces=NS) == "the message"


def test_the_envelope_binds_sf_to_the_fault_namespace() -> None:
    xml = render(from_error(CallError("INVALID_SESSION_ID",
                                      "Invalid Session ID found in SessionHeader: Illegal Session")))
    assert xml == (
        b'<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope '
        b'xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
        b'xmlns:sf="urn:fault.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        b"<soapenv:Body><soapenv:Fault><faultcode>sf:INVALID_SESSION_ID</faultcode>"
        b"<faultstring>INVALID_SESSION_ID: "
        b"Invalid Session ID found in SessionHeader: Illegal Session</faultstring><detail>"
        b'<sf:UnexpectedErrorFault xsi:type="sf:UnexpectedErrorFault"><sf:exceptionCode>INVALID_SESSION_ID'
        b"</sf:exceptionCode><sf:exceptionMessage>Invalid Session ID found in SessionHeader: Illegal Session"
        b"</sf:exceptionMessage></sf:UnexpectedErrorFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>"
    )


def test_query_faults_carry_row_column_and_the_caret_excerpt() -> None:
    soql = "SELECT Id FROM Lead WHERE"
    fault = _fault(render(from_error(QueryError("MALFORMED_QUERY", "unexpected token: <EOF>", 1, 26),
                                     soql=soql)))
    detail = fault.find("detail/sf:MalformedQueryFault", NS)
    assert (detail.findtext("sf:row", namespaces=NS),
            detail.findtext("sf:column", namespaces=NS)) == ("1", "26")
    assert detail.findtext("sf:exceptionMessage", namespaces=NS) == (
        f"\n{soql}\n{' ' * 25}^\nERROR at Row:1:Column:26\nunexpected token: <EOF>")


def test_a_client_fault_has_no_detail() -> None:
    fault = _fault(render(client_fault("The SOAP Body is empty")))
    assert fault.findtext("faultcode") == "soapenv:Client"
    assert fault.findtext("faultstring") == "The SOAP Body is empty"
    assert fault.find("detail") is None

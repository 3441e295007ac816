"""Wire shapes of the SOAP door, through the real app in-process: the login response in WSDL order (per API
version), LimitInfoHeader, query records (Id twice, xsi:nil, nested relationships), every fault shape, and the
exact SOAP requests recorded from simple-salesforce, zeep and jsforce (../shared/docs/wire-captures)."""
from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from lxml import etree

from sfmock.core import clock
from sfmock.main import create_app
from sfmock.soap import operations
from sfmock.soql.engine import QueryPage, QueryRecord
from tests.conftest import DemoDb

ENV = "http://schemas.xmlsoap.org/soap/envelope/"
TNS = "urn:partner.soap.sforce.com"
ENS = "urn:sobject.partner.soap.sforce.com"
FNS = "urn:fault.partner.soap.sforce.com"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NS = {"s": ENV, "p": TNS, "sf": ENS, "f": FNS, "xsi": XSI}
PASSWORD = "sfmock-passwordSFMOCKTOKEN"
CAPTURES = Path(__file__).resolve().parents[2].parent / "shared" / "docs" / "wire-captures"


def envelope(body: str, headers: str = "") -> str:
    return (f'<s:Envelope xmlns:s="{ENV}" xmlns:u="{TNS}" xmlns:o="{ENS}" xmlns:xsi="{XSI}">'
            f"<s:Header>{headers}</s:Header><s:Body>{body}</s:Body></s:Envelope>")


class Soap:
    """A SOAP client on the ASGI app itself, in process (no server, no sockets)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def post(self, body: str | bytes, *, path: str = "/services/Soap/u/59.0",
             headers: dict[str, str] | None = None) -> httpx.Response:
        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://sfmock.test") as client:
                return await client.post(path, content=body, headers=headers or {"Content-Type": "text/xml"})
        return asyncio.run(send())

    def login(self, version: str = "59.0") -> str:
        body = (f"<u:login><u:username>admin@acme.example</u:username><u:password>{PASSWORD}</u:password>"
                "</u:login>")
        response = self.post(envelope(body), path=f"/services/Soap/u/{version}")
        assert response.status_code == 200, response.text
        return etree.fromstring(response.content).findtext(".//p:sessionId", namespaces=NS)

    def call(self, body: str, session: str, headers: str = "", version: str = "59.0") -> httpx.Response:
        session_header = f"<u:SessionHeader><u:sessionId>{session}</u:sessionId></u:SessionHeader>"
        return self.post(envelope(body, session_header + headers), path=f"/services/Soap/u/{version}")


@pytest.fixture
def soap(app_db: DemoDb) -> Soap:
    return Soap(create_app(app_db.settings, app_db.db))


def names(element: etree._Element) -> list[str]:
    return [etree.QName(c).localname for c in element]


# ---- login -------------------------------------------------------------------------------------------
USER_INFO_66 = ["accessibilityMode", "chatterExternal", "currencySymbol", "orgAttachmentFileSizeLimit",
                "orgDefaultCurrencyIsoCode", "orgDefaultCurrencyLocale", "orgDisallowHtmlAttachments",
                "orgHasPersonAccounts", "organizationId", "organizationMultiCurrency", "organizationName",
                "profileId", "roleId", "sessionSecondsValid", "userDefaultCurrencyIsoCode", "userEmail",
                "userFullName", "userId", "userLanguage", "userLocale", "userName", "userTimeZone",
                "userType",
                "userUiSkin"]


def test_login_response_in_wsdl_order(soap: Soap, app_db: DemoDb) -> None:
    body = (
        f"<u:login><u:username>admin@acme.example</u:username><u:password>{PASSWORD}</u:password></u:login>"
    )
    response = soap.post(envelope(body), path="/services/Soap/u/64.0")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/xml;charset=UTF-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope ')
    root = etree.fromstring(response.content)
    assert root.nsmap == {"soapenv": ENV, None: TNS, "xsi": XSI, "sf": ENS}
    assert names(root) == ["Body"]  # login carries no LimitInfoHeader (Partner binding)
    result = root.find("s:Body/p:loginResponse/p:result", NS)
    assert names(result) == ["metadataServerUrl", "passwordExpired", "sandbox", "serverUrl", "sessionId",
                             "userId",
                             "userInfo"]
    org15 = app_db.org.org_id[:15]
    assert result.findtext("p:serverUrl", namespaces=NS) == f"http://sfmock.test/services/Soap/u/64.0/{org15}"
    assert result.findtext("p:metadataServerUrl", namespaces=NS).endswith(f"/services/Soap/m/64.0/{org15}")
    assert result.findtext("p:sessionId", namespaces=NS).startswith(f"{org15}!")
    assert result.findtext("p:userId", namespaces=NS) == app_db.org.user_ids["admin@acme.example"]
    info = result.find("p:userInfo", NS)
    assert names(info) == USER_INFO_66
    assert info.findtext("p:organizationId", namespaces=NS) == app_db.org.org_id
    assert info.find("p:roleId", NS).get(f"{{{XSI}}}nil") == "true"
    # Unprefixed elements in the default namespace: what simple-salesforce's minidom lookup needs.
    assert b"<sessionId>" in response.content and b"<serverUrl>" in response.content


@pytest.mark.parametrize(("version", "absent"), [
    ("31.0", {"chatterExternal", "orgDefaultCurrencyLocale"}),
    ("37.0", {"chatterExternal", "orgDefaultCurrencyLocale"}),
    ("38.0", {"chatterExternal"}),
    ("39.0", {"chatterExternal"}),
    ("40.0", set()),
    ("64.0", set()),
])
def test_user_info_is_shaped_per_api_version(soap: Soap, version: str, absent: set[str]) -> None:
    session = soap.login(version)
    for response in (
        soap.post(
            envelope(
                f"<u:login><u:username>admin@acme.example</u:username><u:password>"
                f"{PASSWORD}</u:password></u:login>"
            ),
            path=f"/services/Soap/u/{version}",
        ),
        soap.call("<u:getUserInfo/>", session, version=version),
    ):
        info = etree.fromstring(response.content).find(".//p:userInfo", NS)
        info = info if info is not None else etree.fromstring(response.content).find(".//p:result", NS)
        assert names(info) == [n for n in USER_INFO_66 if n not in absent]


def test_login_is_retired_from_65_unless_enabled(soap: Soap, app_db: DemoDb) -> None:
    body = envelope(f"<u:login><u:username>admin@acme.example</u:username><u:password>{PASSWORD}</u:password>"
                    "</u:login>")
    refused = soap.post(body, path="/services/Soap/u/65.0")
    assert refused.status_code == 500
    fault = etree.fromstring(refused.content).find(".//s:Fault", NS)
    assert fault.findtext("faultcode") == "sf:INVALID_OPERATION"
    assert fault.findtext("faultstring") == ("INVALID_OPERATION: The SOAP Login operation is not available "
                                             "in the API "
                                             "version specified (65.0). Refer to the documentation for "
                                             "supported "
                                             "versions.")
    allowed = Soap(create_app(app_db.settings.model_copy(update={"soap_login_all_versions": True}),
                              app_db.db))
    assert allowed.post(body, path="/services/Soap/u/68.0").status_code == 200


# ---- headers and query records --------------------------------------------------------------------------
def test_limit_info_header_on_every_session_call(soap: Soap) -> None:
    session = soap.login()
    first = etree.fromstring(soap.call("<u:getServerTimestamp/>", session).content)
    second = etree.fromstring(soap.call("<u:getServerTimestamp/>", session).content)
    info = first.find("s:Header/p:LimitInfoHeader/p:limitInfo", NS)
    assert names(info) == ["current", "limit", "type"]
    assert info.findtext("p:type", namespaces=NS) == "API REQUESTS"
    assert int(info.findtext("p:limit", namespaces=NS)) > 0
    again = second.find("s:Header/p:LimitInfoHeader/p:limitInfo", NS)
    assert int(again.findtext("p:current",
                              namespaces=NS)) == int(info.findtext("p:current", namespaces=NS)) + 1
    assert first.findtext(".//p:timestamp", namespaces=NS).endswith("Z")


FROZEN = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)


def test_query_records_have_id_twice_nil_and_nested_sobjects(soap: Soap,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    owner = QueryRecord("Name", "00G001000000001AAA", [("Name", "Enterprise India Queue")])
    page = QueryPage(3, False, [
        QueryRecord("Lead", "00Q001000000001AAA",
                    [("Id", "00Q001000000001AAA"), ("AnnualRevenue", 20000000.0),
                                                   ("Email", None), ("Owner", owner)]),
        QueryRecord("Lead", "00Q001000000002AAA", [("Id", "00Q001000000002AAA"), ("AnnualRevenue", None),
                                                   ("Email", "a@b.c"), ("Owner", None)]),
    ], "01g001000000001-2")

    class Engine:
        @staticmethod
        def run_query(sql: Any, org_id: str, soql: str, *, include_deleted: bool, batch_size: int,
                      time_zone: str, now: datetime, schema: Any = None) -> QueryPage:
            assert (soql, include_deleted, batch_size, time_zone) == ("SELECT Id FROM Lead", False, 250,
                                                                    "America/Los_Angeles")  # the admin's zone
            assert now == FROZEN  # the one clock's (sfmock.core.clock)
            return page

    monkeypatch.setattr(operations, "engine", Engine)
    session = soap.login()
    with clock.frozen(FROZEN):
        response = soap.call("<u:query><u:queryString>SELECT Id FROM Lead</u:queryString></u:query>", session,
                             headers="<u:QueryOptions><u:batchSize>250</u:batchSize></u:QueryOptions>")
    result = etree.fromstring(response.content).find(".//p:queryResponse/p:result", NS)
    assert result.get(f"{{{XSI}}}type") == "QueryResult"
    assert names(result) == ["done", "queryLocator", "records", "records", "size"]
    assert (result.findtext("p:done", namespaces=NS), result.findtext("p:queryLocator", namespaces=NS),
            result.findtext("p:size", namespaces=NS)) == ("false", "01g001000000001-2", "3")
    first, second = result.findall("p:records", NS)
    assert first.get(f"{{{XSI}}}type") == "sf:sObject"
    assert [etree.QName(c).namespace for c in first] == [ENS] * 6
    assert names(first) == ["type", "Id", "Id", "AnnualRevenue", "Email", "Owner"]
    assert [c.text for c in first.findall("sf:Id", NS)] == ["00Q001000000001AAA"] * 2
    assert first.findtext("sf:AnnualRevenue", namespaces=NS) == "2.0E7"
    assert first.find("sf:Email", NS).get(f"{{{XSI}}}nil") == "true"
    nested = first.find("sf:Owner", NS)
    assert nested.get(f"{{{XSI}}}type") == "sf:sObject"
    assert names(nested) == ["type", "Id", "Name"] and nested.findtext("sf:type", namespaces=NS) == "Name"
    assert second.find("sf:Owner", NS).get(f"{{{XSI}}}nil") == "true"
    assert b'<records xsi:type="sf:sObject"><sf:type>Lead</sf:type><sf:Id>' in response.content


def test_a_real_query_round_trip(soap: Soap) -> None:
    session = soap.login()
    created = soap.call(
        "<u:create><u:sObjects><o:type>Lead</o:type><o:LastName>Q</o:LastName><o:Company>C</o:Company>"
        "<o:AnnualRevenue>20000000</o:AnnualRevenue></u:sObjects></u:create>",
        session,
    )
    lead_id = etree.fromstring(created.content).findtext(".//p:id", namespaces=NS)
    response = soap.call("<u:query><u:queryString>SELECT Id, AnnualRevenue, Email FROM Lead WHERE LastName = "
                         "'Q'</u:queryString></u:query>", session)
    assert response.status_code == 200, response.text
    record = etree.fromstring(response.content).find(".//p:records", NS)
    assert [c.text for c in record.findall("sf:Id", NS)] == [lead_id, lead_id]
    assert record.findtext("sf:AnnualRevenue", namespaces=NS) == "2.0E7"
    assert record.find("sf:Email", NS).get(f"{{{XSI}}}nil") == "true"


# ---- faults ------------------------------------------------------------------------------------------------
def _fault(response: httpx.Response) -> tuple[str, str, str | None, etree._Element | None]:
    assert response.status_code == 500, response.text
    fault = etree.fromstring(response.content).find("s:Body/s:Fault", NS)
    detail = fault.find("detail")
    element = detail[0] if detail is not None else None
    kind = etree.QName(element).localname if element is not None else None
    if element is not None:
        assert element.get(f"{{{XSI}}}type") == f"sf:{kind}"
        assert etree.QName(element).namespace == FNS
    return fault.findtext("faultcode"), fault.findtext("faultstring"), kind, element


def _many_leads(count: int) -> str:
    one = "<u:sObjects><o:type>Lead</o:type><o:LastName>L</o:LastName><o:Company>C</o:Company></u:sObjects>"
    return f"<u:create>{one * count}</u:create>"


FAULT_CASES = {
    "INVALID_SESSION_ID": ("UnexpectedErrorFault", "<u:getUserInfo/>", "bad-session", "Illegal Session"),
    "INVALID_TYPE": ("InvalidSObjectFault",
                     "<u:create><u:sObjects><o:type>Foo</o:type></u:sObjects></u:create>",
                     None, "sObject type 'Foo' is not supported."),
    "INVALID_FIELD": ("InvalidFieldFault", ("<u:retrieve><u:fieldList>Id, Bogus</u:fieldList><u:sObjectType>"
                      "Lead</u:sObjectType><u:ids>00Q000000000001AAA</u:ids></u:retrieve>"), None,
                      "No such column 'Bogus'"),
    "MALFORMED_QUERY": ("MalformedQueryFault", ("<u:query><u:queryString>SELEKT Id FROM Lead</u:queryString>"
                        "</u:query>"), None, "ERROR at Row:1:Column:1"),
    "INVALID_QUERY_LOCATOR": ("InvalidQueryLocatorFault", ("<u:queryMore><u:queryLocator>01gNOPE-500"
                              "</u:queryLocator></u:queryMore>"), None, ""),
    "MALFORMED_ID": ("InvalidIdFault", ("<u:retrieve><u:fieldList>Id</u:fieldList><u:sObjectType>Lead"
                     "</u:sObjectType><u:ids>not-an-id</u:ids></u:retrieve>"), None, "not-an-id"),
    "EXCEEDED_ID_LIMIT": ("UnexpectedErrorFault", _many_leads(201), None,
                          "record limit reached. cannot submit more than 200 records into this call"),
}


@pytest.mark.parametrize("code", FAULT_CASES)
def test_call_fault_shapes(soap: Soap, code: str) -> None:
    kind, body, session, text = FAULT_CASES[code]
    faultcode, faultstring, detail, element = _fault(soap.call(body, session or soap.login()))
    assert (faultcode, detail) == (f"sf:{code}", kind)
    assert faultstring.startswith(f"{code}: ") and text in faultstring
    assert element.findtext("f:exceptionCode", namespaces=NS) == code
    assert faultstring == f"{code}: {element.findtext('f:exceptionMessage', namespaces=NS)}"
    query_fault = kind in ("InvalidSObjectFault", "InvalidFieldFault", "MalformedQueryFault")
    assert names(element)[2:] == (["row", "column"] if query_fault else [])


def test_wrong_password_is_invalid_login(soap: Soap) -> None:
    body = envelope(
        "<u:login><u:username>admin@acme.example</u:username><u:password>sfmock-password</u:password>"
        "</u:login>"
    )  # no security token
    faultcode, faultstring, detail, _ = _fault(soap.post(body))
    assert (faultcode, detail) == ("sf:INVALID_LOGIN", "LoginFault")
    assert faultstring == "INVALID_LOGIN: Invalid username, password, security token; or user locked out."


@pytest.mark.parametrize("path", ["/services/Soap/u/30.0", "/services/Soap/u/69.0", "/services/Soap/u/abc",
                                  "/services/Soap/u/20.0/00D000000000001"])
def test_unsupported_versions(soap: Soap, path: str) -> None:
    faultcode, faultstring, detail, _ = _fault(soap.post(envelope("<u:getUserInfo/>"), path=path))
    assert (faultcode, detail) == ("sf:UNSUPPORTED_API_VERSION", "UnexpectedErrorFault")
    assert faultstring == "UNSUPPORTED_API_VERSION: Invalid Api version specified on URL"


def test_unknown_operation_and_malformed_envelopes_are_client_faults(soap: Soap) -> None:
    # describeSoftphoneLayout is in Salesforce's Partner WSDL; sfmock does not serve it.
    assert _fault(soap.post(envelope("<u:describeSoftphoneLayout/>")))[:3] == (
        "soapenv:Client", (f"No operation available for request {{{TNS}}}describeSoftphoneLayout, please "
                           "check the WSDL for the service."), None)
    assert _fault(soap.post(b"<not-soap/>"))[0] == "soapenv:Client"
    assert _fault(soap.post(b"\x00\xff garbage"))[0] == "soapenv:Client"


def test_unexpected_errors_are_unknown_exception_with_a_logged_traceback(
        soap: Soap, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    session = soap.login()
    with caplog.at_level(logging.INFO, logger="sfmock.soap"):
        soap.call("<u:getUserInfo/>", "bad-session")  # an expected fault: logged without a traceback
    assert all(r.exc_info is None for r in caplog.records)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(operations, "describe_global", broken)
    faultcode, faultstring, detail, _ = _fault(soap.call("<u:describeGlobal/>", session))
    assert (faultcode, detail) == ("sf:UNKNOWN_EXCEPTION", "UnexpectedErrorFault")
    assert faultstring.startswith("UNKNOWN_EXCEPTION: An unexpected error occurred. Please include this "
                                  "ErrorId")
    assert "database on fire" not in faultstring
    logged = [r for r in caplog.records if r.exc_info]
    assert len(logged) == 1 and "database on fire" in str(logged[0].exc_info[1])


# ---- replaying what real clients sent ----------------------------------------------------------------------
def _captured() -> list[Any]:
    out = []
    for file in sorted(CAPTURES.glob("*.jsonl")):
        for n, line in enumerate(file.read_text().splitlines()):
            request = json.loads(line)
            if request["path"].startswith("/services/Soap/"):
                out.append(pytest.param(request, id=f"{file.stem}-line{n + 1}"))
    return out


def _replay(soap: Soap, request: dict[str, Any], body: str) -> httpx.Response:
    keep = {k: v for k, v in request["headers"].items()
            if k.lower() in ("content-type", "soapaction", "charset", "accept", "user-agent")}
    return soap.post(body.encode(), path=request["path"], headers=keep)


@pytest.mark.skipif(not CAPTURES.exists(), reason="../shared/docs/wire-captures is not beside the project")
@pytest.mark.parametrize("request_", _captured())
def test_recorded_client_requests_are_understood(soap: Soap, app_db: DemoDb,
                                                 request_: dict[str, Any]) -> None:
    body = request_["body"]
    if "<login" in body or ":login" in body:
        # As recorded (unknown user): dispatched to login, refused as Salesforce refuses it.
        assert _fault(_replay(soap, request_, body))[:3] == (
            "sf:INVALID_LOGIN",
            "INVALID_LOGIN: Invalid username, password, security token; or user locked out.",
            "LoginFault")
        for user in ("u@example.com", ">u<"):
            body = body.replace(user, ">admin@acme.example<" if user == ">u<" else "admin@acme.example")
        for password in ("pwTOKEN", "pwTOK", ">pt<"):
            body = body.replace(password, f">{PASSWORD}<" if password == ">pt<" else PASSWORD)
        response = _replay(soap, request_, body)
        assert response.status_code == 200, response.text
        assert etree.fromstring(response.content).findtext(".//p:loginResponse/p:result/p:userInfo/"
                                                           "p:organizationId",
                                                           namespaces=NS) == app_db.org.org_id
        return
    # the recorded session is not ours
    assert _fault(_replay(soap, request_, body))[0] == "sf:INVALID_SESSION_ID"
    response = _replay(soap, request_, body.replace("00D000000000001!SESSIONTOKEN", soap.login()))
    assert response.status_code == 200, response.text
    results = etree.fromstring(response.content).findall(".//p:createResponse/p:result", NS)
    assert [r.findtext("p:success", namespaces=NS) for r in results] == ["true"]

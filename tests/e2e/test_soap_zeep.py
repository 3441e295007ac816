"""Real clients against a real sfmock server (live_server): zeep built from the project's WSDL, from the WSDL
the server serves, and from Salesforce's own partner-66.wsdl; simple-salesforce's SOAP login; a chunked
jsforce-style login. Assignment rules and notification mail are checked through the clients and the outbox."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest
from lxml import etree
from zeep import Client
from zeep.exceptions import Fault

from sfmock.soap.wsdl import WSDL_PATH
from tests.e2e.zeep_partner import PartnerClient

pytestmark = pytest.mark.e2e

ADMIN, PASSWORD, TOKEN = "admin@acme.example", "sfmock-password", "SFMOCKTOKEN"
REFERENCE_WSDL = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "partner-66.wsdl"
ENTERPRISE = {"LastName": "Kumar", "Company": "Tata", "Country": "India", "AnnualRevenue": "20000000"}
ENTERPRISE_MAIL = {"enterprise-india@acme.example", "priya.rep@acme.example", "raj.rep@acme.example"}
ASSIGN = {"AssignmentRuleHeader": {"useDefaultRule": True}}
MAIL = {"EmailHeader": {"triggerAutoResponseEmail": False, "triggerOtherEmail": False,
                        "triggerUserEmail": True}}


class Partner(PartnerClient):
    """A zeep client logged in as the admin; `service` points at the serverUrl login returned."""

    def __init__(self, wsdl: str | Path, server: Any, version: str = "59.0") -> None:
        super().__init__(wsdl, f"{server.http_url}/services/Soap/u/{version}", ADMIN, PASSWORD + TOKEN)

    def create(self, records: list[Any], **headers: dict) -> list[Any]:
        return self.service.create(records, _soapheaders=self.session | headers).body.result

    def query(self, soql: str) -> list[dict[str, str]]:
        records = self.service.query(soql, _soapheaders=self.session).body.result.records
        return [{etree.QName(e).localname: e.text for e in r._value_1} | {"Id": r.Id} for r in records]

    def owner(self, kind: str, record_id: str) -> str:
        [record] = self.service.retrieve("OwnerId", kind, [record_id], _soapheaders=self.session).body.result
        return next(e.text for e in record._value_1 if etree.QName(e).localname == "OwnerId")

    def id_of(self, soql: str) -> str:
        return self.query(soql)[0]["Id"]


@pytest.fixture
def partner(fresh_server: Any) -> Partner:
    return Partner(WSDL_PATH, fresh_server)


def test_default_rule_and_user_email_assign_and_notify(partner: Partner, fresh_server: Any) -> None:
    [result] = partner.create([partner.sobject("Lead", **ENTERPRISE)], **ASSIGN, **MAIL)
    assert result.success is True and result.errors == []
    queue_id = partner.id_of("SELECT Id FROM Group WHERE DeveloperName = 'Enterprise_India_Queue'")
    assert partner.owner("Lead", result.id) == queue_id
    sent = fresh_server.outbox(record_id=result.id)
    assert sorted(m["recipient"] for m in sent) == sorted(ENTERPRISE_MAIL)
    assert {m["subject"] for m in sent} == {"New enterprise lead assigned to you: Kumar from Tata"}
    assert {(m["template_name"], m["api"],
             m["record_type"]) for m in sent} == {("New enterprise lead", "soap", "Lead")}


def test_rule_without_email_header_sends_nothing(partner: Partner, fresh_server: Any) -> None:
    [result] = partner.create([partner.sobject("Lead", **ENTERPRISE)], **ASSIGN)
    queue_id = partner.id_of("SELECT Id FROM Group WHERE DeveloperName = 'Enterprise_India_Queue'")
    assert partner.owner("Lead", result.id) == queue_id
    assert fresh_server.outbox() == []


def test_no_headers_no_rule_no_mail(partner: Partner, fresh_server: Any) -> None:
    [result] = partner.create([partner.sobject("Lead", **ENTERPRISE)], **MAIL)
    assert partner.owner("Lead", result.id) == partner.login.userId
    assert fresh_server.outbox() == []


def test_escalated_case_goes_to_test_user(partner: Partner) -> None:
    [result] = partner.create([partner.sobject("Case", Subject="Down", IsEscalated="true")], **ASSIGN)
    assert partner.owner("Case",
                         result.id) == partner.id_of("SELECT Id FROM User WHERE Username = "
                                                     "'testUser@org.com'")


def test_required_field_missing_comes_back_in_the_save_result(partner: Partner) -> None:
    [result] = partner.create([partner.sobject("Lead", Company="Acme")])
    assert (result.success, result.id) == (False, None)
    [error] = result.errors
    assert (error.statusCode, error.fields, error.message) == \
        ("REQUIRED_FIELD_MISSING", ["LastName"], "Required fields are missing: [LastName]")


def test_more_than_200_records_is_a_fault(partner: Partner) -> None:
    with pytest.raises(Fault) as caught:
        partner.create([partner.sobject("Lead", LastName="L", Company="C") for _ in range(201)])
    assert caught.value.code == "sf:EXCEEDED_ID_LIMIT"
    assert caught.value.message == ("EXCEEDED_ID_LIMIT: record limit reached. cannot submit more than 200 "
                                    "records "
                                    "into this call")


def test_a_bad_session_is_invalid_session_id(partner: Partner) -> None:
    with pytest.raises(Fault) as caught:
        partner.service.getUserInfo(_soapheaders={"SessionHeader": {"sessionId": "00D000000000001!nope"}})
    assert caught.value.code == "sf:INVALID_SESSION_ID"
    assert (
        caught.value.message
        == "INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session"
    )
    detail = caught.value.detail[0]
    assert etree.QName(detail).localname == "UnexpectedErrorFault"


def test_user_info_and_describe_parse_in_a_strict_client(partner: Partner) -> None:
    info = partner.service.getUserInfo(_soapheaders=partner.session).body.result
    assert (info.userName, info.organizationId) == (ADMIN, partner.login.userInfo.organizationId)
    described = partner.service.describeSObject("Lead", _soapheaders=partner.session).body.result
    assert described.name == "Lead" and "LastName" in {f.name for f in described.fields}
    assert len(partner.service.describeGlobal(_soapheaders=partner.session).body.result.sobjects) >= 2


def test_zeep_from_the_served_wsdl(fresh_server: Any) -> None:
    client = Client(f"{fresh_server.http_url}/services/Soap/u/59.0?wsdl")  # soap:address = this server
    result = client.service.login(username=ADMIN, password=PASSWORD + TOKEN)
    assert result.serverUrl.startswith(f"{fresh_server.http_url}/services/Soap/u/59.0/")


@pytest.mark.skipif(not REFERENCE_WSDL.exists(),
                    reason="../shared/reference/partner-66.wsdl is not beside the project")
def test_zeep_from_salesforces_own_wsdl(fresh_server: Any) -> None:
    # login() is retired from API 65.0 (the version of that WSDL): talk to 64.0, as a 66.0-era client must.
    partner = Partner(REFERENCE_WSDL, fresh_server, version="64.0")
    assert partner.login.userInfo.organizationId.startswith("00D")
    [result] = partner.create([partner.sobject("Lead", **ENTERPRISE)], **ASSIGN)
    assert result.success is True
    queue_id = partner.id_of("SELECT Id FROM Group WHERE DeveloperName = 'Enterprise_India_Queue'")
    assert partner.owner("Lead", result.id) == queue_id


# ---- simple-salesforce and jsforce-style transport
# -------------------------------------------------------------
@pytest.fixture
def trust_ca(live_server: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE override a session's `verify`: point them at the CA.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(live_server.ca_file))
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    yield


def _soap_works(server_url_base: str, session_id: str, verify: Any = True) -> bool:
    body = (f'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" '
            f'xmlns:u="urn:partner.soap.sforce.com">'
            f"<s:Header><u:SessionHeader><u:sessionId>{session_id}</u:sessionId></u:SessionHeader></s:Header>"
            "<s:Body><u:getUserInfo/></s:Body></s:Envelope>")
    response = httpx.post(f"{server_url_base}/services/Soap/u/59.0", content=body, verify=verify, timeout=30,
                          headers={"Content-Type": "text/xml", "SOAPAction": '""'})
    return response.status_code == 200 and b"<userName>admin@acme.example</userName>" in response.content


def test_simple_salesforce_soap_login(fresh_server: Any, trust_ca: None) -> None:
    from simple_salesforce import Salesforce
    from simple_salesforce.exceptions import SalesforceAuthenticationFailed
    from simple_salesforce.login import SalesforceLogin

    # scratch_url: its SOAP login posts to <scratch_url>/services/Soap/u/<version>, over plain HTTP here.
    session_id, instance = SalesforceLogin(username=ADMIN, password=PASSWORD, security_token=TOKEN,
                                           scratch_url=fresh_server.http_url)
    assert instance == urlparse(fresh_server.http_url).netloc
    assert _soap_works(fresh_server.http_url, session_id)
    with pytest.raises(SalesforceAuthenticationFailed) as caught:
        SalesforceLogin(username=ADMIN, password=PASSWORD, security_token="WRONG",
                        scratch_url=fresh_server.http_url)
    assert caught.value.code == "INVALID_LOGIN"
    # Its default login URL is https://{domain}.salesforce.com/services/Soap/u/NN.0: a domain ending in "?_="
    # turns the suffix into a query string, so its unmodified login goes to sfmock's HTTPS listener.
    host = urlparse(fresh_server.https_url).netloc
    session_id, instance = SalesforceLogin(username=ADMIN, password=PASSWORD, security_token=TOKEN,
                                           domain=f"{host}/services/Soap/u/59.0?_=", sf_version="59.0")
    assert instance == host
    # The session works on REST too (one kind of session), through simple-salesforce itself.
    sf = Salesforce(instance=instance, session_id=session_id, version="59.0")
    assert sf.query("SELECT Id FROM User WHERE Username = 'admin@acme.example'")["totalSize"] == 1


def test_chunked_login_like_jsforce(fresh_server: Any) -> None:
    body = (b'<se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/"><se:Header/><se:Body><login '
            b'xmlns="urn:partner.soap.sforce.com"><username>admin@acme.example</username><password>'
            + (PASSWORD + TOKEN).encode() + b"</password></login></se:Body></se:Envelope>")

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 50):
            yield body[start:start + 50]

    response = httpx.post(f"{fresh_server.http_url}/services/Soap/u/59.0", content=chunks(), timeout=30,
                          headers={"Content-Type": "text/xml", "SOAPAction": '""'})
    assert response.request.headers.get("transfer-encoding") == "chunked"
    assert response.status_code == 200
    assert b"<organizationId>" in response.content


def test_format_of_an_aggregate_reads_as_text_in_zeep(partner: Partner) -> None:
    """An AggregateResult's FORMAT()ted value is xsd:string text, the raw aggregate beside it a number (zeep
    reads each xsi:typed value of the record's <any> as its type, in SELECT order)."""
    [result] = partner.create([partner.sobject("Lead", **ENTERPRISE)])
    soql = f"SELECT FORMAT(MAX(AnnualRevenue)) top, MAX(AnnualRevenue) FROM Lead WHERE Id = '{result.id}'"
    [record] = partner.service.query(soql, _soapheaders=partner.session).body.result.records
    assert record._value_1 == ["$20,000,000.00", 20000000.0]

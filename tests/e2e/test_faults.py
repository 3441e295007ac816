"""Fault and latency injection seen by unmodified clients: simple-salesforce (REST) and zeep (SOAP Partner)
get the exception each Salesforce error gives them; each injected fault is journalled."""
from __future__ import annotations

from typing import Any

import pytest
import requests
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import (
    SalesforceExpiredSession,
    SalesforceGeneralError,
    SalesforceMalformedRequest,
    SalesforceRefusedRequest,
)
from zeep.exceptions import Fault

from sfmock.pytest_plugin import SfmockOrg
from sfmock.soap.wsdl import WSDL_PATH
from tests.e2e.zeep_partner import PartnerClient

pytestmark = pytest.mark.e2e
LEAD = {"LastName": "Rao", "Company": "Acme", "Country": "India"}


@pytest.fixture
def sf(live_org: SfmockOrg) -> Salesforce:
    return Salesforce(instance_url=live_org.instance_url, session_id=live_org.access_token(),
                      session=live_org.http_session())


@pytest.fixture
def partner(live_org: SfmockOrg) -> PartnerClient:
    return PartnerClient(WSDL_PATH, live_org.soap_login_url, live_org.username,
                         live_org.password + live_org.security_token)


def _soap_create(partner: PartnerClient) -> Any:
    return partner.service.create([partner.sobject("Lead", **LEAD)], _soapheaders=partner.session).body.result


def test_rest_request_limit_then_the_next_call_succeeds(sf: Salesforce, live_org: SfmockOrg) -> None:
    live_org.inject_fault("REQUEST_LIMIT_EXCEEDED", door="rest", operation="create", sobject="Lead", count=1)
    with pytest.raises(SalesforceRefusedRequest) as raised:
        sf.Lead.create(LEAD)
    assert raised.value.status == 403
    assert raised.value.content == [{"message": "TotalRequests Limit exceeded.",
                                     "errorCode": "REQUEST_LIMIT_EXCEEDED"}]
    assert sf.Lead.create(LEAD)["success"] is True  # count=1: spent
    [first,
     second] = [(j["operation"], j["sobject"], j["error"], j["fault"]) for j in live_org.journal(door="rest")]
    assert first == ("create", "Lead", "REQUEST_LIMIT_EXCEEDED", "REQUEST_LIMIT_EXCEEDED")
    assert second == ("create", "Lead", None, None)
    assert live_org.faults()[0]["remaining"] == 0 and live_org.faults()[0]["hits"] == 1


def test_rest_unable_to_lock_row_is_a_record_error(sf: Salesforce, live_org: SfmockOrg) -> None:
    live_org.inject_fault("UNABLE_TO_LOCK_ROW", sobject="Lead")
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.Lead.create(LEAD)
    assert raised.value.status == 400
    assert raised.value.content == [{"message": "unable to obtain exclusive access to this record",
                                     "errorCode": "UNABLE_TO_LOCK_ROW", "fields": []}]
    assert sf.query("SELECT Id FROM Lead")["totalSize"] == 0  # nothing written; reads are not refused
    assert sf.Case.create({"Subject": "Help"})["success"] is True  # another object is not affected


def test_rest_invalid_session_expires_the_orgs_sessions(sf: Salesforce, live_org: SfmockOrg) -> None:
    live_org.inject_fault("INVALID_SESSION_ID", count=1)
    with pytest.raises(SalesforceExpiredSession) as raised:
        sf.query("SELECT Id FROM Lead")
    assert raised.value.content == [{"message": "Session expired or invalid",
                                     "errorCode": "INVALID_SESSION_ID"}]
    with pytest.raises(SalesforceExpiredSession):  # the session stays dead: the client must log in again
        sf.query("SELECT Id FROM Lead")
    fresh = Salesforce(instance_url=live_org.instance_url, session_id=live_org.access_token(),
                       session=live_org.http_session())
    assert fresh.query("SELECT Id FROM Lead")["totalSize"] == 0


def test_rest_server_unavailable_is_503(sf: Salesforce, live_org: SfmockOrg) -> None:
    live_org.inject_fault("SERVER_UNAVAILABLE", door="rest", count=1)
    with pytest.raises(SalesforceGeneralError) as raised:
        sf.Lead.create(LEAD)
    assert raised.value.status == 503 and raised.value.content[0]["errorCode"] == "SERVER_UNAVAILABLE"


def test_rest_dropped_connection_and_delay(sf: Salesforce, live_org: SfmockOrg) -> None:
    live_org.inject_fault("DROP_CONNECTION", operation="query", count=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        sf.query("SELECT Id FROM Lead")
    live_org.inject_fault("DELAY", delay_ms=50, count=1)
    assert sf.query("SELECT Id FROM Lead")["totalSize"] == 0
    assert [(j["operation"], j["error"], j["fault"]) for j in live_org.journal()] == [
        ("query", None, "DROP_CONNECTION"), ("query", None, "DELAY")]


def test_zeep_request_limit_and_server_unavailable_faults(partner: PartnerClient,
                                                          live_org: SfmockOrg) -> None:
    live_org.inject_fault("REQUEST_LIMIT_EXCEEDED", door="soap", operation="create", count=1)
    live_org.inject_fault("SERVER_UNAVAILABLE", door="soap", operation="query", count=1)
    with pytest.raises(Fault) as raised:
        _soap_create(partner)
    assert raised.value.code == "sf:REQUEST_LIMIT_EXCEEDED"
    assert raised.value.message == "REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded."
    with pytest.raises(Fault) as raised:
        partner.service.query("SELECT Id FROM Lead", _soapheaders=partner.session)
    assert raised.value.code == "sf:SERVER_UNAVAILABLE"
    assert _soap_create(partner)[0].success is True


def test_zeep_unable_to_lock_row_fails_each_record(partner: PartnerClient, live_org: SfmockOrg) -> None:
    live_org.inject_fault("UNABLE_TO_LOCK_ROW", door="soap", sobject="Lead", count=1)
    [result] = _soap_create(partner)
    assert result.success is False and result.id is None
    assert [(e.statusCode, e.message) for e in result.errors] == [
        ("UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record")]
    [entry] = live_org.journal(door="soap", operation="create")
    assert (entry["results"], entry["fault"]) == (["UNABLE_TO_LOCK_ROW"], "UNABLE_TO_LOCK_ROW")


def test_zeep_invalid_session_and_dropped_connection(partner: PartnerClient, live_org: SfmockOrg) -> None:
    live_org.inject_fault("DROP_CONNECTION", door="soap", count=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        partner.service.getServerTimestamp(_soapheaders=partner.session)
    live_org.inject_fault("INVALID_SESSION_ID", door="soap", count=1)
    with pytest.raises(Fault) as raised:
        partner.service.getServerTimestamp(_soapheaders=partner.session)
    assert raised.value.code == "sf:INVALID_SESSION_ID"
    with pytest.raises(Fault):
        partner.service.getUserInfo(_soapheaders=partner.session)

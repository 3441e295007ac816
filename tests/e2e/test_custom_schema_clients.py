"""The demo org's own schema through unmodified clients on a real server: zeep on Salesforce's own
partner-66.wsdl, simple-salesforce and jsforce create, upsert by External ID, describe and query custom
fields, with routing on a custom field, its merge fields in the mail, and Salesforce's errors."""
from __future__ import annotations

from typing import Any

import pytest
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceMalformedRequest, SalesforceResourceNotFound
from zeep.exceptions import Fault

from tests.e2e.test_jsforce import Jsforce, jsforce_installed
from tests.e2e.test_simple_salesforce import _queue_id, _trust_sfmock_ca, sf
from tests.e2e.test_soap_zeep import ASSIGN, MAIL, REFERENCE_WSDL, Partner

pytestmark = pytest.mark.e2e
__all__ = ["_trust_sfmock_ca", "jsforce_installed", "sf"]


def test_simple_salesforce_custom_fields_upsert_describe_query(sf: Salesforce, fresh_server: Any) -> None:
    created = sf.Lead.upsert("External_Id__c/SS-1",
                             {"LastName": "Weber", "Company": "BASF", "Region__c": "EMEA",
                                                     "Score__c": 7})
    assert created == 201
    assert sf.Lead.upsert("External_Id__c/SS-1", {"Title": "CFO"}) == 200
    record = sf.Lead.get_by_custom_id("External_Id__c", "SS-1")
    assert (record["Region__c"], record["Score__c"], record["Title"]) == ("EMEA", 7, "CFO")
    assert record["OwnerId"] == _queue_id(sf, "EMEA_Leads_Queue")  # Sforce-Auto-Assign absent = TRUE
    assert fresh_server.outbox() == []  # REST sends no assignment mail
    rows = sf.query("SELECT External_Id__c, Region__c FROM Lead WHERE Region__c = 'EMEA' ORDER BY Score__c")
    assert [(r["External_Id__c"], r["Region__c"]) for r in rows["records"]] == [("SS-1", "EMEA")]
    fields = {f["name"]: f for f in sf.Lead.describe()["fields"]}
    assert (fields["External_Id__c"]["externalId"], fields["Region__c"]["restrictedPicklist"]) == (True, True)
    with pytest.raises(SalesforceMalformedRequest) as bad:
        sf.Lead.create({"LastName": "X", "Company": "C", "Region__c": "Mars"})
    assert bad.value.content[0]["errorCode"] == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
    assert bad.value.content[0]["message"] == "Region: bad value for restricted picklist field: Mars"
    with pytest.raises(SalesforceResourceNotFound):
        sf.Lead.upsert("Score__c/1", {"LastName": "X", "Company": "C"})
    account = sf.Account.create({"Name": "BASF SE"})["id"]
    contact = sf.Contact.create({"LastName": "Weber", "AccountId": account, "Email": "w@basf.example"})["id"]
    sf.Case.create({"Subject": "Leak", "AccountId": account, "ContactId": contact})
    [case] = sf.query("SELECT Account.Name, Contact.Email FROM Case WHERE Subject = 'Leak'")["records"]
    assert (case["Account"]["Name"], case["Contact"]["Email"]) == ("BASF SE", "w@basf.example")


@pytest.mark.skipif(not REFERENCE_WSDL.exists(),
                    reason="../shared/reference/partner-66.wsdl is not beside the project")
def test_zeep_on_salesforces_wsdl_custom_fields(fresh_server: Any) -> None:
    partner = Partner(REFERENCE_WSDL, fresh_server)
    lead = partner.sobject("Lead", LastName="Rossi", Company="Eni", Region__c="EMEA", External_Id__c="Z-1",
                           Score__c="3")
    [result] = partner.create([lead], **ASSIGN, **MAIL)
    assert result.success is True, result
    sent = fresh_server.outbox()
    assert [(m["recipient"], m["subject"]) for m in sent] == [("emea-leads@acme.example",
                                                              "New EMEA lead: Rossi (Z-1)")]
    upsert = partner.service.upsert("External_Id__c",
                                    [partner.sobject("Lead", LastName="Rossi2", Company="Eni",
                                                                       External_Id__c="Z-1")],
                                    _soapheaders=partner.session).body.result
    assert (upsert[0].success, upsert[0].created, upsert[0].id) == (True, False, result.id)
    rows = partner.query("SELECT LastName, Region__c FROM Lead WHERE External_Id__c = 'Z-1'")
    assert [(r["LastName"], r["Region__c"]) for r in rows] == [("Rossi2", "EMEA")]
    described = partner.service.describeSObject("Lead", _soapheaders=partner.session).body.result
    ext = next(f for f in described.fields if f.name == "External_Id__c")
    assert (ext.custom, ext.externalId, ext.unique, ext.length) == (True, True, True, 40)
    assert [r.developerName for r in described.recordTypeInfos] == ["Partner_Lead", "Master"]
    [bad] = partner.create([partner.sobject("Lead", LastName="X", Company="C", Score__c="1000")])
    assert (bad.success, bad.errors[0].statusCode) == (False, "NUMBER_OUTSIDE_VALID_RANGE")
    with pytest.raises(Fault) as fault:
        partner.service.upsert("Score__c", [partner.sobject("Lead", LastName="X", Company="C", Score__c="1")],
                               _soapheaders=partner.session)
    assert fault.value.code.endswith("INVALID_FIELD")


def test_jsforce_custom_fields(jsforce_installed: str, fresh_server: Any) -> None:
    js = Jsforce(fresh_server)
    first = js("upsert", record={"External_Id__c": "J-1", "LastName": "Dupont", "Company": "Total",
                                 "Region__c": "EMEA"}, extIdField="External_Id__c")
    assert first["result"]["success"] is True and first["record"]["Region__c"] == "EMEA"
    again = js("upsert", record={"External_Id__c": "J-1", "Title": "COO"}, extIdField="External_Id__c")
    assert again["result"]["id"] == first["result"]["id"] and again["record"]["Title"] == "COO"
    described = js("describe", sobject="Lead")
    region = described["fields"]["Region__c"]
    assert (region["custom"], region["type"], region["picklistValues"]) == (True, "picklist", ["APAC", "EMEA",
                                                                                              "Americas"])
    assert described["fields"]["External_Id__c"]["externalId"] is True
    assert described["recordTypes"] == ["Partner_Lead", "Master"]
    page = js("query", soql="SELECT External_Id__c, Title FROM Lead WHERE Region__c = 'EMEA'")
    assert page["totalSize"] == 1
    refused = js.run("crud", record={"LastName": "X", "Company": "C", "Nope__c": 1}, changes={})
    assert refused["ok"] is False and refused["error"]["errorCode"] == "INVALID_FIELD"

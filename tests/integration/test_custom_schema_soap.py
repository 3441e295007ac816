"""The demo org's own schema through the SOAP door: custom fields in create, upsert by External ID, retrieve,
query and describe; a rule on a custom field routes and its template merges custom fields into the mail."""
from __future__ import annotations

from lxml import etree

from tests.conftest import DemoDb
from tests.contract.test_soap_shapes import NS, Soap, soap
from tests.integration.test_soap_calls import ASSIGN, MAIL, fault_code, mail, results, retrieve, sobject

__all__ = ["soap"]


def test_rule_on_a_custom_field_routes_and_merges_it_into_the_mail(soap: Soap, app_db: DemoDb) -> None:
    session = soap.login()
    [result] = results(
        soap.call(
            "<u:create>"
            + sobject("Lead", LastName="Muller", Company="SAP", Region__c="EMEA", External_Id__c="E-7",
                      Score__c="12")
            + "</u:create>",
            session,
            ASSIGN + MAIL,
        )
    )
    assert result["success"] == "true", result
    row = retrieve(soap, session, result["id"], "OwnerId, region__c, Score__c, External_Id__c")
    assert row["OwnerId"] == app_db.org.queue_ids["EMEA_Leads_Queue"]
    assert (row["Region__c"], row["Score__c"], row["External_Id__c"]) == ("EMEA", "12.0", "E-7")
    sent = mail(app_db)
    # The queue does not send to its members (doesSendEmailToMembers false): the queue's address only.
    assert [(m["recipient"], m["subject"]) for m in sent] == [("emea-leads@acme.example",
                                                               "New EMEA lead: Muller (E-7)")]
    assert sent[0]["body"].startswith("A lead of the EMEA region has been assigned to EMEA Leads Queue.")
    assert "External Id:  E-7\nScore:  12" in sent[0]["body"]


def test_upsert_by_external_id_field_name(soap: Soap) -> None:
    session = soap.login()
    call = ("<u:upsert><u:externalIDFieldName>External_Id__c</u:externalIDFieldName>"
            f"{sobject('Lead', LastName='Up', Company='C', External_Id__c='S-1')}</u:upsert>")
    [first] = results(soap.call(call, session), "upsert")
    assert (first["success"], first["created"]) == ("true", "true")
    again = call.replace("<o:LastName>Up</o:LastName>", "<o:LastName>Up2</o:LastName>")
    [second] = results(soap.call(again, session), "upsert")
    assert (second["success"], second["created"], second["id"]) == ("true", "false", first["id"])
    assert retrieve(soap, session, first["id"], "LastName")["LastName"] == "Up2"
    wrong = call.replace("<u:externalIDFieldName>External_Id__c", "<u:externalIDFieldName>Score__c")
    # A field that is no External ID fails the whole call (an INVALID_FIELD fault, not a record error).
    refused = soap.call(wrong, session)
    assert fault_code(refused) == "sf:INVALID_FIELD"
    assert b"Field name provided, Score__c is not an External ID or indexed field for Lead" in refused.content


def test_query_and_describe_custom_fields(soap: Soap) -> None:
    session = soap.login()
    results(soap.call(f"<u:create>{sobject('Lead', LastName='Q', Company='C', Region__c='APAC')}</u:create>",
                      session))
    page = etree.fromstring(soap.call("<u:query><u:queryString>SELECT Region__c FROM Lead WHERE Region__c = "
                                      "'APAC'</u:queryString></u:query>", session).content)
    assert [r.findtext("sf:Region__c", namespaces=NS) for r in page.findall(".//p:records", NS)] == ["APAC"]
    lead = etree.fromstring(
        soap.call(
            "<u:describeSObject><u:sObjectType>Lead</u:sObjectType></u:describeSObject>", session
        ).content
    ).find(".//p:result", NS)
    fields = {f.findtext("p:name", namespaces=NS): f for f in lead.findall("p:fields", NS)}
    ext = fields["External_Id__c"]
    assert [ext.findtext(f"p:{k}", namespaces=NS) for k in ("custom", "externalId", "unique", "type",
                                                            "length")] == \
        ["true", "true", "true", "string", "40"]
    region = fields["Region__c"]
    assert [v.findtext("p:value", namespaces=NS) for v in region.findall("p:picklistValues", NS)] == \
        ["APAC", "EMEA", "Americas"]
    kinds = [r.findtext("p:developerName", namespaces=NS) for r in lead.findall("p:recordTypeInfos", NS)]
    assert kinds == ["Partner_Lead", "Master"]
    # A field the org does not have fails the whole SOAP call with the INVALID_FIELD fault (not a record
    # error).
    bad = soap.call(f"<u:create>{sobject('Lead', LastName='Q', Company='C', Nope__c='x')}</u:create>",
                    session)
    assert fault_code(bad) == "sf:INVALID_FIELD" and "No such column 'Nope__c' on entity 'Lead'" in bad.text
